import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { namedQuery } from '../common/sql.js';

/** 404 unless the cluster or funder `id` is one the caller may read (`visible`, on alias `x`). */
export async function assertReadable(
  manager: EntityManager,
  table: 'cluster' | 'funder',
  visible: { sql: string; params: Record<string, unknown> },
  id: string,
): Promise<void> {
  const [row] = await namedQuery(manager, `SELECT 1 FROM "${table}" x WHERE x.id = :id AND ${visible.sql}`, {
    id,
    ...visible.params,
  });
  if (!row) throw DomainError.notFound(`The ${table}`);
}
