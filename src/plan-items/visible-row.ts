import type { EntityManager } from 'typeorm';
import { readableClusters } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import { namedQuery } from '../common/sql.js';

/** Where and how to read one row of a table that belongs to a cluster. */
export interface VisibleRowQuery {
  /** `SELECT … FROM <table> <alias> …`: what to read. */
  selectFrom: string;
  /** The alias `selectFrom` gives the table. */
  alias: string;
  /** "The actor", for the 404. */
  label: string;
  /** A locking clause (` FOR UPDATE OF i`), or nothing. */
  lock?: string;
  params?: Record<string, unknown>;
}

/**
 * The row `id` if the caller may read its cluster, else 404. Hand-written
 * rather than built by the query builder: it runs on every read and write of
 * a plan item and an actor.
 */
export async function visibleRow(
  manager: EntityManager,
  caller: Caller,
  id: string,
  query: VisibleRowQuery,
): Promise<Record<string, unknown>> {
  const { selectFrom, alias, label, lock = '', params = {} } = query;
  const visible = readableClusters(caller, `${alias}.cluster_id`);
  const [row] = await namedQuery(manager, `${selectFrom} WHERE ${alias}.id = :id AND ${visible.sql}${lock}`, {
    ...params,
    id,
    ...visible.params,
  });
  if (!row) throw DomainError.notFound(label);
  return row;
}
