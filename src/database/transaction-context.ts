import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

/** The isolation levels PostgreSQL knows. */
export type IsolationLevel = 'READ UNCOMMITTED' | 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/** The open transaction of the current request, and the isolation it was opened at. */
interface Ambient {
  manager: EntityManager;
  isolation: IsolationLevel;
  /** Work to run once this transaction has committed (see `afterCommit`); absent where the caller ends it. */
  afterCommit?: (() => Promise<void>)[];
}

const scope = new AsyncLocalStorage<Ambient>();

/** PostgreSQL's levels, weakest first; READ UNCOMMITTED behaves as READ COMMITTED there. */
const STRENGTH: Record<IsolationLevel, number> = {
  'READ UNCOMMITTED': 1,
  'READ COMMITTED': 1,
  'REPEATABLE READ': 2,
  SERIALIZABLE: 3,
};

/** The level a transaction opened without one runs at: PostgreSQL's default. */
const DEFAULT_ISOLATION: IsolationLevel = 'READ COMMITTED';

/** Where the reads of the current request go when they were routed (to the replica, see ReplicaReads). */
const routed = new AsyncLocalStorage<DataSource>();

/**
 * The entity manager to use now: the transaction of the current request when
 * one is open (an Idempotency-Key request claims its key and does its work in
 * one transaction), else the data source's own.
 */
export function db(dataSource: DataSource): EntityManager {
  return scope.getStore()?.manager ?? readSource(dataSource).manager;
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

/**
 * Runs `work` in a transaction at `isolation` (PostgreSQL's default when not
 * given): the current one if a request already opened one, else a new one.
 * Joining a transaction opened at a weaker level than asked would silently
 * give `work` less than it relies on (a snapshot that moves under it), so it
 * throws instead: whoever opened the transaction must open it at the level
 * its work needs.
 */
export function transaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  isolation?: IsolationLevel,
): Promise<T> {
  const current = scope.getStore();
  if (current) {
    if (isolation && STRENGTH[current.isolation] < STRENGTH[isolation]) {
      return Promise.reject(
        new Error(`A ${isolation} transaction was asked for inside an open ${current.isolation} one, which cannot give it.`),
      );
    }
    return work(current.manager);
  }
  const level = isolation ?? DEFAULT_ISOLATION;
  const after: (() => Promise<void>)[] = [];
  const run = (manager: EntityManager) => scope.run({ manager, isolation: level, afterCommit: after }, () => work(manager));
  const source = readSource(dataSource);
  return (isolation ? source.transaction(isolation, run) : source.transaction(run)).then(async (result) => {
    for (const next of after) await next();
    return result;
  });
}

/**
 * Runs `next` once the current transaction has committed (at once when none is
 * open): for work that must see what the transaction wrote as committed and
 * must not read through its snapshot, such as chaining a new submission's
 * statement to the head another transaction may have committed meanwhile.
 * Nothing runs when the transaction rolls back.
 */
export async function afterCommit(next: () => Promise<void>): Promise<void> {
  const current = scope.getStore();
  if (current?.afterCommit) current.afterCommit.push(next);
  else if (!current) await next();
  else throw new Error('afterCommit inside a transaction whose caller ends it itself.');
}

/**
 * Runs `work` with `manager` as the current one (`db()`): a transaction the
 * caller opened at `isolation` and will end itself.
 */
export function within<T>(manager: EntityManager, isolation: IsolationLevel, work: () => T): T {
  return scope.run({ manager, isolation }, work);
}
