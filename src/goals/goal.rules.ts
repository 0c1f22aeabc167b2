import type { EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { namedQuery } from '../common/sql.js';
import type { PlanItemRule } from '../plan-items/plan-item-kind.js';
import { assertGoalOfCluster, valueAfter } from '../plan-items/rules.js';
import type { Goal, Horizon } from './goal.entity.js';

const FIELD = 'contributesToGoalId';

/**
 * The effect logic: only a short-term goal (a result) contributes, and only to
 * a long-term goal (an effect) of its own cluster; a long-term goal that
 * results contribute to stays long-term while they do.
 */
export const effectLogic: PlanItemRule<Goal> = async (context) => {
  const { manager, clusterId, values, current } = context;
  const horizon = valueAfter(context, 'horizon') as Horizon;
  const contributesTo = valueAfter(context, FIELD) as string | null;
  if (contributesTo && (values[FIELD] !== undefined || horizon !== current?.horizon)) {
    if (horizon !== 'short_term') throw DomainError.rule(FIELD, 'Only a short-term goal (a result) may contribute to another goal');
    if (contributesTo === current?.id) throw DomainError.rule(FIELD, 'A goal cannot contribute to itself');
    const targetHorizon = await assertGoalOfCluster(manager, clusterId, contributesTo, FIELD);
    if (targetHorizon !== 'long_term') throw DomainError.rule(FIELD, `${FIELD} must name a long-term goal (an effect)`);
  }
  if (current && horizon === 'short_term' && current.horizon === 'long_term') await assertNoContributors(manager, current.id);
};

async function assertNoContributors(manager: EntityManager, id: string): Promise<void> {
  const [{ n }] = await namedQuery<{ n: number }>(manager, 'SELECT count(*)::int AS n FROM goal WHERE contributes_to_goal_id = :id', {
    id,
  });
  if (n > 0) throw DomainError.rule('horizon', `${n} short-term goal(s) contribute to this goal; it must stay long-term while they do`);
}
