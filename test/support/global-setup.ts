import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { ENTITIES } from '../../src/entities.js';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { TEMPLATE_DATABASE, withDatabase } from './database.js';
import { PgBouncer } from './pgbouncer.js';

/**
 * Starts a real PostgreSQL for the whole run (or uses DATABASE_URL), and
 * builds a template database with every migration applied. Each suite then
 * gets a fresh copy of it (CREATE DATABASE … TEMPLATE), so suites start from
 * clean tables and can run in parallel.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    // Under the system's temp folder, which the postgres user can enter even when the clone cannot.
    const dataDir = await mkdtemp(join(tmpdir(), 'styrman-test-'));
    const server = await EmbeddedPostgres.start({ dataDir, ephemeral: true });
    (globalThis as { styrmanTestServer?: EmbeddedPostgres }).styrmanTestServer = server;
    (globalThis as { styrmanTestDataDir?: string }).styrmanTestDataDir = dataDir;
    serverUrl = server.url;
  }
  process.env.STYRMAN_TEST_SERVER_URL = serverUrl;
  // STYRMAN_TEST_PGBOUNCER=1: the applications the suites start reach the database through a real PgBouncer in
  // transaction mode (DATABASE_URL), and the server itself only for what needs a session (DATABASE_DIRECT_URL).
  if (process.env.STYRMAN_TEST_PGBOUNCER === '1') {
    const bouncer = await PgBouncer.start(serverUrl);
    (globalThis as { styrmanTestPgBouncer?: PgBouncer }).styrmanTestPgBouncer = bouncer;
    process.env.STYRMAN_TEST_PGBOUNCER_URL = bouncer.url('postgres');
  }

  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();

  const dataSource = new DataSource(dataSourceOptions(withDatabase(serverUrl, TEMPLATE_DATABASE), ENTITIES));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'all' });
  await dataSource.destroy();
}
