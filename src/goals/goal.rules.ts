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

/**
 * Adopting a programme indicator: the definition must exist and not be archived, a funder's only in a cluster that
 * funder funds (422 naming `indicator.definitionId`); the unit is the definition's (another is a 422). Marking the
 * definition adopted, which freezes what it measures, happens in the goal's own write (a trigger on `goal`).
 */
export const adoption: PlanItemRule<Goal> = async ({ manager, clusterId, values, current }) => {
  const definitionId = values.indicatorDefinitionId as string | null | undefined;
  if (!definitionId) return;
  const [definition] = await namedQuery<{ unit: string; archived_at: Date | null; funder_id: string | null }>(
    manager,
    'SELECT unit, archived_at, funder_id FROM indicator_definition WHERE id = :definitionId',
    { definitionId },
  );
  const field = 'indicator.definitionId';
  if (!definition) throw DomainError.rule(field, 'definitionId names no indicator definition');
  // Keeping a definition already adopted is no new adoption: an archived one stays with the goals that have it.
  if (definition.archived_at && current?.indicatorDefinitionId !== definitionId) {
    throw DomainError.rule(field, 'The indicator definition is archived and can no longer be adopted');
  }
  if (definition.funder_id !== null) {
    const [funds] = await namedQuery(
      manager,
      'SELECT 1 FROM funding WHERE funder_id = :funderId AND cluster_id = :clusterId AND archived_at IS NULL LIMIT 1',
      { funderId: definition.funder_id, clusterId },
    );
    if (!funds) throw DomainError.rule(field, 'A funder’s indicator definition can be adopted only by clusters that funder funds');
  }
  if (values.indicatorUnit !== null && values.indicatorUnit !== definition.unit) {
    throw DomainError.rule('indicator.unit', `The definition measures in ${definition.unit}; leave unit out or send that`);
  }
  values.indicatorUnit = definition.unit;
};
