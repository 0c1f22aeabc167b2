import type { GoalResponse } from './dto/goal.dto.js';
import type { Horizon, IndicatorMilestone, Perspective } from './goal.entity.js';
import { progressPercent } from './progress.js';
import type { Row } from '../plan-items/plan-item-kind.js';
import { columnsOf, isoOrNull } from '../plan-items/plan-item-response.js';

/** A goal's own columns as the read query returns them, with its latest measurement and contributors. */
interface GoalRow {
  title: string;
  description: string | null;
  horizon: Horizon;
  perspective: Perspective | null;
  contributes_to_goal_id: string | null;
  contributing_goal_ids: string[];
  due_date: string | null;
  indicator_unit: string | null;
  indicator_definition_id?: string | null;
  indicator_baseline: string | null;
  indicator_target: string | null;
  indicator_milestones: IndicatorMilestone[] | null;
  latest_value: string | null;
  latest_measured_on: string | null;
}

export function toGoalResponse(row: Row): GoalResponse {
  const g = columnsOf<GoalRow>(row);
  const indicator =
    g.indicator_unit !== null && g.indicator_baseline !== null && g.indicator_target !== null
      ? {
          // Only an adopted indicator names its definition: the cluster's own read as they always have.
          ...(g.indicator_definition_id ? { definitionId: g.indicator_definition_id } : {}),
          unit: g.indicator_unit,
          baseline: Number(g.indicator_baseline),
          target: Number(g.indicator_target),
          milestones: (g.indicator_milestones ?? []).map((m) => ({ on: m.on, target: m.target })),
        }
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
    archivedAt: isoOrNull(g.archived_at),
  };
}
