import { DomainError } from '../common/domain-error.js';
import { CreateGoalStatusUpdateDto } from '../plan-items/dto/status-update.dto.js';
import { ARCHIVED, field as f } from '../plan-items/fields.js';
import type { PlanItemKind } from '../plan-items/plan-item-kind.js';
import { asOfRows } from '../revisions/as-of.js';
import { CreateGoalDto, GoalResponse, ListGoalsQueryDto, UpdateGoalDto } from './dto/goal.dto.js';
import { Goal } from './goal.entity.js';
import { adoption, effectLogic } from './goal.rules.js';
import { toGoalResponse } from './goals.mapper.js';

/**
 * The indicator's columns. Milestones are one per date, dates strictly
 * ascending (422 naming the first out of order); left out, they stay as they
 * are; without an indicator there are none.
 */
function indicatorColumns(indicator: CreateGoalDto['indicator']): Record<string, unknown> {
  if (indicator === undefined) return {};
  const milestones = indicator?.milestones;
  milestones?.forEach((m, i) => {
    if (i > 0 && m.on <= milestones[i - 1].on) {
      throw DomainError.rule(`indicator.milestones.${i}.on`, 'Milestones must come in ascending date order, one per date');
    }
  });
  return {
    // An adopted indicator's unit is its definition's: the adoption rule fills it in.
    indicatorDefinitionId: indicator?.definitionId ?? null,
    indicatorUnit: indicator?.unit ?? null,
    indicatorBaseline: indicator ? String(indicator.baseline) : null,
    indicatorTarget: indicator ? String(indicator.target) : null,
    ...(indicator === null
      ? { indicatorMilestones: null }
      : milestones !== undefined
        ? { indicatorMilestones: milestones.length > 0 ? milestones.map((m) => ({ on: m.on, target: m.target })) : null }
        : {}),
  };
}

/** Goals: long-term effects and short-term results, with an optional indicator and its measurements; no state. */
export const GOAL: PlanItemKind<Goal, GoalResponse, CreateGoalDto, UpdateGoalDto> = {
  entity: Goal,
  table: 'goal',
  subjectType: 'goal',
  label: 'The goal',
  names: {
    en: { one: 'goal', the: 'goal', many: 'Goals' },
    sv: { one: 'mål', the: 'målet', many: 'Mål' },
  },
  fields: [
    f('title', 'title'),
    f('description', 'description'),
    f('horizon', 'horizon'),
    f('perspective', 'perspective'),
    f('contributes_to_goal_id', 'contributesToGoalId'),
    f('due_date', 'dueDate'),
    f('indicator_definition_id', 'indicator.definitionId'),
    f('indicator_unit', 'indicator.unit'),
    f('indicator_baseline', 'indicator.baseline', 'number'),
    f('indicator_target', 'indicator.target', 'number'),
    f('status', 'status'),
    ARCHIVED,
  ],
  columns: { due: 'due_date', search: 'title' },
  replanned: ['title', 'due_date', 'indicator_baseline', 'indicator_target'],
  sort: { columns: { title: 'title', dueDate: 'due_date', createdAt: 'created_at', updatedAt: 'updated_at' }, default: 'createdAt' },
  filters(where, query) {
    const q = query as ListGoalsQueryDto;
    where
      .when(q.horizon, 'i.horizon = :horizon', { horizon: q.horizon })
      .when(q.perspective, 'i.perspective = :perspective', { perspective: q.perspective })
      .when(q.contributesToGoalId, 'i.contributes_to_goal_id = :contributesTo', { contributesTo: q.contributesToGoalId });
  },
  // A goal answers with its latest measurement and the goals contributing to it, in the same statement.
  // As of an instant: the goals of its cluster and the measurements recorded as they were then.
  read: (asOf) => ({
    columns: `lm.value AS latest_value, lm.measured_on AS latest_measured_on,
      ARRAY(SELECT c.id FROM ${asOf ? asOfRows('goal', 'live.cluster_id = i.cluster_id') : 'goal'} c
            WHERE c.contributes_to_goal_id = i.id AND c.archived_at IS NULL
            ORDER BY c.created_at, c.id) AS contributing_goal_ids`,
    joins: `LEFT JOIN LATERAL (
      SELECT m.value, m.measured_on FROM measurement m
      WHERE m.goal_id = i.id${asOf ? " AND date_trunc('milliseconds', m.created_at) <= :asOf" : ''}
      ORDER BY m.measured_on DESC, m.created_at DESC
      LIMIT 1
    ) lm ON true`,
  }),
  createValues: (dto) => ({
    title: dto.title,
    description: dto.description ?? null,
    horizon: dto.horizon,
    perspective: dto.perspective ?? null,
    contributesToGoalId: dto.contributesToGoalId ?? null,
    dueDate: dto.dueDate ?? null,
    ...indicatorColumns(dto.indicator),
  }),
  updateValues: ({ indicator, ...fields }) => ({ ...fields, ...indicatorColumns(indicator) }),
  rules: [effectLogic, adoption],
  toResponse: toGoalResponse,
  dtos: { create: CreateGoalDto, update: UpdateGoalDto, list: ListGoalsQueryDto, statusUpdate: CreateGoalStatusUpdateDto },
  response: GoalResponse,
  routes: {
    path: 'goals',
    param: 'goalId',
    operationPrefix: 'GoalsController',
    anItem: 'a goal',
    theItem: 'the goal',
    notFound: 'goal',
    docs: {
      page: 'GoalPage',
      tag: 'Goals: results and effects, with indicators, milestones and measurements.',
      all: 'the goals',
      allShort: 'goals',
      create:
        'Admin keys, and editor keys of the goal’s cluster. Records the first status (default green) in the history; yellow or red need a statusComment.',
      createRules: 'contributesToGoalId breaks the effect logic, or a yellow / red status has no statusComment.',
      update: 'Only the fields sent change. The status changes only through status updates (a PATCH with status is a 400).',
      updateRules: 'contributesToGoalId or horizon breaks the effect logic.',
      archive: 'Nothing is deleted; the goal and its history stay readable.',
    },
  },
};
