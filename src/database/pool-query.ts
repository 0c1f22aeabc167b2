import type { Pool, PoolClient } from 'pg';
import { type EntityManager, QueryFailedError } from 'typeorm';

/**
 * Sends one statement as `manager.query` would, and answers the same: the rows (for an UPDATE or a DELETE, the rows
 * and the count). Outside a transaction it goes to the connection pool itself, not through a TypeORM query runner,
 * which a read answered from one statement paid for with a tenth of its CPU (a runner, an entity manager and a
 * broadcaster made and dropped per statement). What callers rely on stays: the statement is logged (and counted) as
 * before, a failed one is a `QueryFailedError` with the driver's error, a connection that cannot be had rejects with
 * the pool's error; the pool is the data source's own (its size and timeouts). Inside a transaction, and for a data
 * source that is not connected (the SQL files' generator catches `manager.query`), it is `manager.query`.
 */
export async function poolQuery<T>(manager: EntityManager, sql: string, parameters: unknown[]): Promise<T[]> {
  const source = manager.connection;
  if (manager.queryRunner || !source.isInitialized) return manager.query<T[]>(sql, parameters);
  const pool = (source.driver as unknown as { master?: Pool }).master;
  if (!pool) return manager.query<T[]>(sql, parameters);
  const client: PoolClient = await pool.connect();
  source.logger.logQuery(sql, parameters);
  let failed: unknown;
  try {
    const result = await client.query(sql, parameters);
    return (result.command === 'UPDATE' || result.command === 'DELETE' ? [result.rows, result.rowCount] : result.rows) as T[];
  } catch (error) {
    failed = error;
    source.logger.logQueryError(error as Error, sql, parameters);
    throw new QueryFailedError(sql, parameters, error as Error);
  } finally {
    // An error PostgreSQL answered (it has a SQLSTATE) leaves the connection fit for use; any other ends it.
    client.release(failed !== undefined && !(failed as { code?: unknown }).code ? (failed as Error) : undefined);
  }
}
