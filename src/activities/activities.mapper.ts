import type { Row } from '../plan-items/plan-item-kind.js';
import { responseHead, responseTailWithState } from '../plan-items/plan-item-response.js';
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
  const a = row as unknown as ActivityRow;
  return {
    ...responseHead(row),
    title: a.title,
    description: a.description,
    owner: a.owner,
    goalId: a.goal_id,
    startDate: a.start_date,
    dueDate: a.due_date,
    ...responseTailWithState(row, a.due_date, today),
  };
}
