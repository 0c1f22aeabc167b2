import { CreateRiskStatusUpdateDto } from '../plan-items/dto/status-update.dto.js';
import { ARCHIVED, field as f } from '../plan-items/fields.js';
import type { PlanItemKind } from '../plan-items/plan-item-kind.js';
import { goalOfCluster } from '../plan-items/rules.js';
import { RISK_STATES } from '../plan-items/traffic-light.js';
import { CreateRiskDto, ListRisksQueryDto, RiskResponse, UpdateRiskDto } from './dto/risk.dto.js';
import { Risk } from './risk.entity.js';
import { toRiskResponse } from './risks.mapper.js';

/** A score from which a risk that is still open counts as high (in reports and on the dashboard). */
export const HIGH_RISK_SCORE = 15;

/** Risks: what can go wrong, why and how it is handled, scored likelihood × impact; states of their own, no due date. */
export const RISK: PlanItemKind<Risk, RiskResponse, CreateRiskDto, UpdateRiskDto> = {
  entity: Risk,
  table: 'risk',
  subjectType: 'risk',
  label: 'The risk',
  names: {
    en: { one: 'risk', the: 'risk', many: 'Risks' },
    sv: { one: 'risk', the: 'risken', many: 'Risker' },
  },
  fields: [
    f('title', 'title'),
    f('cause', 'cause'),
    f('response', 'response'),
    f('likelihood', 'likelihood', 'number'),
    f('impact', 'impact', 'number'),
    f('owner', 'owner'),
    f('goal_id', 'goalId'),
    f('state', 'state'),
    f('status', 'status'),
    ARCHIVED,
  ],
  states: { values: RISK_STATES, initial: 'open' },
  columns: { search: 'title' },
  replanned: ['title', 'likelihood', 'impact'],
  inBadge: false,
  sort: {
    columns: {
      score: 'score',
      title: 'title',
      likelihood: 'likelihood',
      impact: 'impact',
      createdAt: 'created_at',
      updatedAt: 'updated_at',
    },
    default: '-score',
  },
  filters(where, query) {
    const q = query as ListRisksQueryDto;
    where
      .when(q.state, 'i.state = :state', { state: q.state })
      .when(q.goalId, 'i.goal_id = :goalId', { goalId: q.goalId })
      .when(q.minScore, 'i.score >= :minScore', { minScore: q.minScore });
  },
  createValues: (dto) => ({
    title: dto.title,
    cause: dto.cause ?? null,
    response: dto.response ?? null,
    likelihood: dto.likelihood,
    impact: dto.impact,
    owner: dto.owner ?? null,
    goalId: dto.goalId ?? null,
  }),
  rules: [goalOfCluster('goalId')],
  toResponse: toRiskResponse,
  dtos: { create: CreateRiskDto, update: UpdateRiskDto, list: ListRisksQueryDto, statusUpdate: CreateRiskStatusUpdateDto },
  response: RiskResponse,
  routes: {
    path: 'risks',
    param: 'riskId',
    operationPrefix: 'RisksController',
    anItem: 'a risk',
    theItem: 'the risk',
    notFound: 'risk',
    docs: {
      page: 'RiskPage',
      tag: 'Risks: what can go wrong, why, and how it is handled.',
      all: 'the risks',
      allShort: 'risks',
      create:
        'Admin keys, and editor keys of the cluster. The score is likelihood × impact. Records the first status (default green) and state (default open) in the history.',
      createRules: 'A goalId of another cluster, or a yellow / red status without statusComment.',
      update:
        'Only the fields sent change (the score follows likelihood and impact); a new state is recorded in the history. The status changes only through status updates.',
      updateRules: 'A goalId of another cluster.',
      archive: 'Nothing is deleted; it and its history stay readable.',
    },
  },
};
