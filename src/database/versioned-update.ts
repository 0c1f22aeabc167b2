import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral, WhereExpressionBuilder } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { firstRow, rowToEntity } from '../common/sql.js';
import { recordRevision, type RevisionOf } from '../revisions/record.js';

/**
 * Narrows an UPDATE to a row where at least one of the changes differs from
 * what is stored, so that a PATCH repeating the stored values (or sending
 * none) writes nothing and keeps the version and the ETag. PostgreSQL compares
 * each value as the column's type: 2000000 equals a stored 2000000.00.
 * Returns false when there is nothing to compare: no change at all.
 */
export function onlyIfChanged(qb: WhereExpressionBuilder, metadata: EntityMetadata, changes: Record<string, unknown>): boolean {
  const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return false;
  // A value computed by SQL (now(), version + 1) is a change by definition.
  if (entries.some(([, value]) => typeof value === 'function')) return true;
  const params: Record<string, unknown> = {};
  const conditions = entries.map(([property, value], i) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.name} has no column ${property}`);
    // JSON is compared as JSON (jsonb equality), sent as its text.
    if (column.type === 'jsonb' && value !== null) {
      params[`changed_${i}`] = JSON.stringify(value);
      return `"${column.databaseName}" IS DISTINCT FROM CAST(:changed_${i} AS jsonb)`;
    }
    params[`changed_${i}`] = value;
    return `"${column.databaseName}" IS DISTINCT FROM :changed_${i}`;
  });
  qb.andWhere(`(${conditions.join(' OR ')})`, params);
  return true;
}

/** 412 unless If-Match is absent or names the version of the row as locked. */
export function checkVersion(current: { version: number }, ifMatch: number[] | undefined): void {
  if (ifMatch && !ifMatch.includes(current.version)) throw DomainError.preconditionFailed(current.version);
}

/**
 * The one way to change a versioned row, the way every plan item is changed:
 * the caller has read `current` FOR UPDATE in the transaction `manager`
 * belongs to (so no other writer can move the version until it ends); this
 * compares its version with If-Match (412 when the version has moved on),
 * then writes the changes and raises the version in one UPDATE. A change to
 * nothing (no field, or every field as stored) writes nothing and answers the
 * row as it is, version and ETag unchanged. A change that was written appends
 * its `revision` in the same transaction; one that changed nothing makes none.
 */
export async function updateLocked<T extends ObjectLiteral & { id: string; version: number }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  current: T,
  ifMatch: number[] | undefined,
  changes: Record<string, unknown>,
  revision: RevisionOf,
): Promise<T> {
  checkVersion(current, ifMatch);
  const changed = await updateVersion(manager, entity, current, changes);
  // None: every value was as stored (the lock rules out anything else).
  if (!changed) return current;
  await recordRevision(manager, revision.subject, current, revision.caller, revision.kind);
  return changed;
}

/**
 * `updateLocked`'s one statement, for a repository whose service checks the version and records the revision
 * itself: writes the changes and raises the version, only where a value differs from what is stored; the row
 * as written, or none when nothing would change.
 */
export async function updateVersion<T extends ObjectLiteral & { id: string; version: number }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  current: T,
  changes: Record<string, unknown>,
): Promise<T | undefined> {
  const repo = manager.getRepository(entity);
  const qb = repo
    .createQueryBuilder()
    .update()
    .set({ ...changes, version: () => 'version + 1' } as never)
    .where('id = :id', { id: current.id })
    .returning('*');
  if (!onlyIfChanged(qb, repo.metadata, changes)) return undefined;
  const row = firstRow((await qb.execute()).raw);
  return row ? rowToEntity(repo, row) : undefined;
}
