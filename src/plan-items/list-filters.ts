import { escapeLike, Where } from '../common/sql.js';
import type { ItemListQueryDto, PlanListQueryDto } from './dto/plan-query.dto.js';
import { overdueSql } from './overdue.js';

/**
 * The filters of a plan list on alias `i`, as one WHERE clause: the cluster,
 * archived, status, due dates and words in the title for every kind; state,
 * goal and overdue for kinds with a state
 * (a kind's list DTO declares which of them it takes).
 */
export function planFilters(
  columns: { due?: string; search: string },
  hasState: boolean,
  clusterId: string,
  query: PlanListQueryDto,
  today: string,
): Where {
  const where = new Where().add('i.cluster_id = :clusterId', { clusterId, today });
  if (!query.includeArchived) where.add('i.archived_at IS NULL');
  if (hasState) stateFilters(where, columns.due, query);
  if (columns.due) {
    where
      .when(query.dueBefore, `i.${columns.due} <= :dueBefore`, { dueBefore: query.dueBefore })
      .when(query.dueAfter, `i.${columns.due} >= :dueAfter`, { dueAfter: query.dueAfter });
  }
  return where
    .when(query.status, 'i.status = :status', { status: query.status })
    .when(query.q, `i.${columns.search} ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(query.q ?? '')}%` });
}

function stateFilters(where: Where, due: string | undefined, query: ItemListQueryDto): void {
  if (due && query.overdue !== undefined) {
    const overdue = overdueSql(`i.${due}`, 'i.state');
    where.add(query.overdue ? overdue : `NOT COALESCE(${overdue}, false)`);
  }
  where.when(query.state, 'i.state = :state', { state: query.state }).when(query.goalId, 'i.goal_id = :goalId', { goalId: query.goalId });
}
