/**
 * The data source for the TypeORM CLI (`npm run migration:run`,
 * `npm run migration:generate`). With DATABASE_URL unset it starts the
 * embedded PostgreSQL in STYRMAN_DATA_DIR, like `npm start` does.
 */
import { DataSource } from 'typeorm';
import { validateEnvironment } from './config/environment.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { EmbeddedPostgres } from './database/embedded-postgres.js';
import { ENTITIES } from './entities.js';

const env = validateEnvironment(process.env);
let url = env.DATABASE_URL;
if (!url) {
  const embedded = await EmbeddedPostgres.start({ dataDir: env.STYRMAN_DATA_DIR, port: env.EMBEDDED_PG_PORT, log: console.log });
  url = embedded.url;
  process.once('exit', () => void embedded.stop());
  process.once('beforeExit', () => void embedded.stop());
}

export default new DataSource(dataSourceOptions(url, ENTITIES));
