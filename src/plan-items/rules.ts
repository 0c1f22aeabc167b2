import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { namedQuery } from '../common/sql.js';
import type { PlanItem, PlanItemRule, RuleContext } from './plan-item-kind.js';

/** A value after the change: the one sent, else the one stored. */
export function valueAfter<T extends PlanItem>({ values, current }: RuleContext<T>, property: string): unknown {
  return values[property] !== undefined ? values[property] : current?.[property];
}

/** `start` on or before `end` when both are set; a 422 naming `end` otherwise. */
export function dateOrder<T extends PlanItem>(start: string, end: string): PlanItemRule<T> {
  return (context) => {
    const from = valueAfter(context, start) as string | null | undefined;
    const to = valueAfter(context, end) as string | null | undefined;
    if (from && to && from > to) throw DomainError.rule(end, `${end} must be on or after ${start}`);
  };
}

/** A goal reference (`goalId`), when one is sent: a goal of the same cluster that is not archived. */
export function goalOfCluster<T extends PlanItem>(field: string): PlanItemRule<T> {
  return async ({ manager, clusterId, values }) => {
    const goalId = values[field] as string | null | undefined;
    if (goalId) await assertGoalOfCluster(manager, clusterId, goalId, field);
  };
}

/**
 * A goal of the cluster that is not archived, or a 422 naming the field; says
 * nothing about goals the caller may not read. Answers the goal's horizon.
 */
export async function assertGoalOfCluster(manager: EntityManager, clusterId: string, goalId: string, field: string): Promise<string> {
  const [goal] = await namedQuery<{ cluster_id: string; archived_at: Date | null; horizon: string }>(
    manager,
    'SELECT cluster_id, archived_at, horizon FROM goal WHERE id = :goalId',
    { goalId },
  );
  if (!goal || goal.cluster_id !== clusterId) throw DomainError.rule(field, `${field} must name a goal of the same cluster`);
  if (goal.archived_at) throw DomainError.rule(field, `${field} names an archived goal`);
  return goal.horizon;
}
