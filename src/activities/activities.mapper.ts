import type { Row } from '../plan-items/plan-item-kind.js';
import { isOverdue } from '../plan-items/overdue.js';
import { columnsOf, isoOrNull } from '../plan-items/plan-item-response.js';
import type { ActivityResponse } from './dto/activity.dto.js';

/** An activity's own columns, as PostgreSQL returns them. */
interface ActivityRow {
  title: string;
  description: string | null;
  owner: string | null;
  goal_id: string | null;
  start_date: string | null;
  due_date: string | null;
}

export function toActivityResponse(row: Row, today: string): ActivityResponse {
  const a = columnsOf<ActivityRow>(row);
  return {
    id: a.id,
    clusterId: a.cluster_id,
    title: a.title,
    description: a.description,
    owner: a.owner,
    goalId: a.goal_id,
    startDate: a.start_date,
    dueDate: a.due_date,
    state: a.state,
    status: a.status,
    overdue: isOverdue(a.due_date, a.state, today),
    completedAt: isoOrNull(a.completed_at),
    version: a.version,
    createdAt: a.created_at.toISOString(),
    updatedAt: a.updated_at.toISOString(),
    archivedAt: isoOrNull(a.archived_at),
  };
}
