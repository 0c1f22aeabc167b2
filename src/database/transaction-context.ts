import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';

const scope = new AsyncLocalStorage<EntityManager>();

/**
 * The entity manager to use now: the transaction of the current request when
 * one is open (an Idempotency-Key request claims its key and does its work in
 * one transaction), else the data source's own.
 */
export function db(dataSource: DataSource): EntityManager {
  return scope.getStore() ?? dataSource.manager;
}

/** Whether a request opened a transaction that the current work runs in. */
export function inTransaction(): boolean {
  return scope.getStore() !== undefined;
}

/** Runs `work` in a transaction: the current one if a request already opened one, else a new one. */
export function transaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  isolation?: IsolationLevel,
): Promise<T> {
  const current = scope.getStore();
  if (current) return work(current);
  const run = (manager: EntityManager) => scope.run(manager, () => work(manager));
  return isolation ? dataSource.transaction(isolation, run) : dataSource.transaction(run);
}

/** Runs `work` with `manager` as the current one (`db()`): a transaction the caller opened and will end itself. */
export function within<T>(manager: EntityManager, work: () => T): T {
  return scope.run(manager, work);
}
