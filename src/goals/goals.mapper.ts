import type { GoalResponse } from './dto/goal.dto.js';
import type { Horizon, Perspective } from './goal.entity.js';
import { progressPercent } from './progress.js';
import type { Status } from '../plan-items/traffic-light.js';

/** A goal row as the read query returns it: the table's columns plus its latest measurement and contributors. */
export interface GoalRow {
  id: string;
  cluster_id: string;
  title: string;
  description: string | null;
  horizon: Horizon;
  perspective: Perspective | null;
  contributes_to_goal_id: string | null;
  contributing_goal_ids: string[];
  due_date: string | null;
  indicator_unit: string | null;
  indicator_baseline: string | null;
  indicator_target: string | null;
  latest_value: string | null;
  latest_measured_on: string | null;
  status: Status;
  version: number;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

export function toGoalResponse(g: GoalRow): GoalResponse {
  const indicator =
    g.indicator_unit !== null && g.indicator_baseline !== null && g.indicator_target !== null
      ? { unit: g.indicator_unit, baseline: Number(g.indicator_baseline), target: Number(g.indicator_target) }
      : null;
  const latest =
    g.latest_value !== null && g.latest_measured_on !== null ? { value: Number(g.latest_value), measuredOn: g.latest_measured_on } : null;
  return {
    id: g.id,
    clusterId: g.cluster_id,
    title: g.title,
    description: g.description,
    horizon: g.horizon,
    perspective: g.perspective,
    contributesToGoalId: g.contributes_to_goal_id,
    contributingGoalIds: g.contributing_goal_ids,
    dueDate: g.due_date,
    indicator,
    latestMeasurement: latest,
    progressPercent: indicator ? progressPercent(indicator.baseline, indicator.target, latest?.value ?? null) : null,
    status: g.status,
    version: g.version,
    createdAt: g.created_at.toISOString(),
    updatedAt: g.updated_at.toISOString(),
    archivedAt: g.archived_at?.toISOString() ?? null,
  };
}
