import { escapeLike, Where } from '../common/sql.js';
import type { ItemListQueryDto } from './dto/plan-query.dto.js';
import { overdueSql } from './overdue.js';

/** The filters of an activity or fruit list, as one WHERE clause. */
export function itemFilters(
  alias: string,
  columns: { due: string; search: string },
  clusterId: string,
  query: ItemListQueryDto,
  today: string,
): Where {
  const where = new Where().add(`${alias}.cluster_id = :clusterId`, { clusterId, today });
  if (!query.includeArchived) where.add(`${alias}.archived_at IS NULL`);
  if (query.overdue !== undefined) {
    const overdue = overdueSql(`${alias}.${columns.due}`, `${alias}.state`);
    where.add(query.overdue ? overdue : `NOT COALESCE(${overdue}, false)`);
  }
  return where
    .when(query.status, `${alias}.status = :status`, { status: query.status })
    .when(query.state, `${alias}.state = :state`, { state: query.state })
    .when(query.goalId, `${alias}.goal_id = :goalId`, { goalId: query.goalId })
    .when(query.dueBefore, `${alias}.${columns.due} <= :dueBefore`, { dueBefore: query.dueBefore })
    .when(query.dueAfter, `${alias}.${columns.due} >= :dueAfter`, { dueAfter: query.dueAfter })
    .when(query.q, `${alias}.${columns.search} ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(query.q ?? '')}%` });
}
