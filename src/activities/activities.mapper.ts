import { isOverdue } from '../plan-items/overdue.js';
import type { Activity } from './activity.entity.js';
import type { ActivityResponse } from './dto/activity.dto.js';

export function toActivityResponse(a: Activity, today: string): ActivityResponse {
  return {
    id: a.id,
    clusterId: a.clusterId,
    title: a.title,
    description: a.description,
    owner: a.owner,
    goalId: a.goalId,
    startDate: a.startDate,
    dueDate: a.dueDate,
    state: a.state,
    status: a.status,
    overdue: isOverdue(a.dueDate, a.state, today),
    completedAt: a.completedAt?.toISOString() ?? null,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    archivedAt: a.archivedAt?.toISOString() ?? null,
  };
}
