import type { Row } from '../plan-items/plan-item-kind.js';
import { isOverdue } from '../plan-items/overdue.js';
import { columnsOf, isoOrNull } from '../plan-items/plan-item-response.js';
import type { LowHangingFruitResponse } from './dto/low-hanging-fruit.dto.js';

/** A fruit's own columns, as PostgreSQL returns them. */
interface FruitRow {
  what: string;
  when_date: string;
  how: string | null;
  owner: string | null;
  goal_id: string | null;
}

export function toLowHangingFruitResponse(row: Row, today: string): LowHangingFruitResponse {
  const f = columnsOf<FruitRow>(row);
  return {
    id: f.id,
    clusterId: f.cluster_id,
    what: f.what,
    when: f.when_date,
    how: f.how,
    owner: f.owner,
    goalId: f.goal_id,
    state: f.state,
    status: f.status,
    overdue: isOverdue(f.when_date, f.state, today),
    completedAt: isoOrNull(f.completed_at),
    version: f.version,
    createdAt: f.created_at.toISOString(),
    updatedAt: f.updated_at.toISOString(),
    archivedAt: isoOrNull(f.archived_at),
  };
}
