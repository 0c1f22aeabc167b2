import { MIGRATIONS } from '../../migrations/index.js';
import pg from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { StyrmanNamingStrategy } from './naming-strategy.js';
import { StatementCountingLogger } from './statement-counter.js';

// Calendar dates stay 'YYYY-MM-DD' strings: turned into JS Dates they would shift with the time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/**
 * The one definition of how Styrman talks to PostgreSQL: migrations, naming,
 * pool. The entities come from the caller (the application's list in
 * src/entities.ts), so that database/ depends on no feature.
 */
export function dataSourceOptions(url: string, entities: DataSourceOptions['entities'], poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    uuidExtension: 'pgcrypto',
    url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    namingStrategy: new StyrmanNamingStrategy(),
    synchronize: false,
    logger: new StatementCountingLogger(['migration']),
    applicationName: 'styrman',
    extra: {
      max: poolSize,
      // Fail fast when the database is down instead of queueing requests.
      connectionTimeoutMillis: 2000,
      idleTimeoutMillis: 30000,
      statement_timeout: 30000,
      query_timeout: 35000,
      keepAlive: true,
    },
  };
}
