import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';

const scope = new AsyncLocalStorage<EntityManager>();
/** Where the reads of the current request go when they were routed (to the replica, see ReplicaReads). */
const routed = new AsyncLocalStorage<DataSource>();

/**
 * The entity manager to use now: the transaction of the current request when
 * one is open (an Idempotency-Key request claims its key and does its work in
 * one transaction), else the data source's own.
 */
export function db(dataSource: DataSource): EntityManager {
  return scope.getStore() ?? readSource(dataSource).manager;
}

/** The data source reads go to now: the one `readsOn` chose for the current request, else `dataSource`. */
export function readSource(dataSource: DataSource): DataSource {
  return routed.getStore() ?? dataSource;
}

/**
 * Runs `work` with its reads (`db()`, `transaction()`, `readSource()`) on `source`. Only for work that writes nothing:
 * a replica refuses writes.
 */
export function readsOn<T>(source: DataSource, work: () => T): T {
  return routed.run(source, work);
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
  const source = readSource(dataSource);
  return isolation ? source.transaction(isolation, run) : source.transaction(run);
}

/** Runs `work` with `manager` as the current one (`db()`): a transaction the caller opened and will end itself. */
export function within<T>(manager: EntityManager, work: () => T): T {
  return scope.run(manager, work);
}
