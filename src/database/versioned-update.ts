import type { EntityMetadata, ObjectLiteral, Repository, WhereExpressionBuilder } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { firstRow, rowToEntity } from '../common/sql.js';

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
    params[`changed_${i}`] = value;
    return `"${column.databaseName}" IS DISTINCT FROM :changed_${i}`;
  });
  qb.andWhere(`(${conditions.join(' OR ')})`, params);
  return true;
}

/**
 * One UPDATE that raises the version and, under If-Match, checks the version
 * the caller read in its own WHERE clause, so that two writers can never both
 * succeed against the same version. 412 when the version has moved on. A
 * change to nothing (no field, or every field as stored) writes nothing and
 * answers the row as it is.
 */
export async function updateVersioned<T extends ObjectLiteral & { id: string; version: number }>(
  repo: Repository<T>,
  current: T,
  ifMatch: number[] | undefined,
  changes: Record<string, unknown>,
): Promise<T> {
  if (ifMatch && !ifMatch.includes(current.version)) throw DomainError.preconditionFailed(current.version);
  const qb = repo
    .createQueryBuilder()
    .update()
    .set({ ...changes, version: () => 'version + 1' } as never)
    .where('id = :id', { id: current.id })
    .returning('*');
  if (ifMatch) qb.andWhere('version IN (:...ifMatch)', { ifMatch });
  if (!onlyIfChanged(qb, repo.metadata, changes)) return current;
  const row = firstRow((await qb.execute()).raw);
  if (row) return rowToEntity(repo, row);
  // Nothing updated: either every value was as stored, or the version moved on under If-Match.
  const now = await repo.findOneByOrFail({ id: current.id } as never);
  if (ifMatch && !ifMatch.includes(now.version)) throw DomainError.preconditionFailed(now.version);
  return now;
}
