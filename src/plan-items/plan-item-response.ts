import { isOverdue } from './overdue.js';
import type { Row } from './plan-item-kind.js';
import type { ItemState, Status } from './traffic-light.js';

/** The columns every plan item has, as PostgreSQL returns them. */
interface PlanItemRow {
  id: string;
  cluster_id: string;
  status: Status;
  state: ItemState;
  completed_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

/** What every response of a plan item starts with. */
export function responseHead(row: Row): { id: string; clusterId: string } {
  const r = row as unknown as PlanItemRow;
  return { id: r.id, clusterId: r.cluster_id };
}

/** What every response of a plan item ends with: its version and times. */
export function responseVersion(row: Row) {
  const r = row as unknown as PlanItemRow;
  return {
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    archivedAt: r.archived_at?.toISOString() ?? null,
  };
}

/** The end of a response of a kind with a state: state, light, overdue (from its due date) and completion, then the rest. */
export function responseTailWithState(row: Row, dueDate: string | null, today: string) {
  const r = row as unknown as PlanItemRow;
  return {
    state: r.state,
    status: r.status,
    overdue: isOverdue(dueDate, r.state, today),
    completedAt: r.completed_at?.toISOString() ?? null,
    ...responseVersion(row),
  };
}
