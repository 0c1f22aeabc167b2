import type { ObjectLiteral, Repository } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { firstRow, rowToEntity } from '../common/sql.js';

/**
 * One UPDATE that raises the version and, under If-Match, checks the version
 * the caller read in its own WHERE clause, so that two writers can never both
 * succeed against the same version. 412 when the version has moved on.
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
  const row = firstRow((await qb.execute()).raw);
  if (!row) throw DomainError.preconditionFailed((await repo.findOneByOrFail({ id: current.id } as never)).version);
  return rowToEntity(repo, row);
}
