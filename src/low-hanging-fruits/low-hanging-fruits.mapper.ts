import { isOverdue } from '../plan-items/overdue.js';
import type { LowHangingFruitResponse } from './dto/low-hanging-fruit.dto.js';
import type { LowHangingFruit } from './low-hanging-fruit.entity.js';

export function toLowHangingFruitResponse(f: LowHangingFruit, today: string): LowHangingFruitResponse {
  return {
    id: f.id,
    clusterId: f.clusterId,
    what: f.what,
    when: f.when,
    how: f.how,
    owner: f.owner,
    goalId: f.goalId,
    state: f.state,
    status: f.status,
    overdue: isOverdue(f.when, f.state, today),
    completedAt: f.completedAt?.toISOString() ?? null,
    version: f.version,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
    archivedAt: f.archivedAt?.toISOString() ?? null,
  };
}
