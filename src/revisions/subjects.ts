import { readableClusters, readableFunders, readableFundings, readableSubmissions } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { PLAN_ITEM_KINDS } from '../plan-item-kinds.js';
import type { AnyPlanItemKind, FieldShape, KindField } from '../plan-items/plan-item-kind.js';
import type { SubjectType } from '../plan-items/traffic-light.js';
import type { RevisionSubject } from './revision.entity.js';

type Shape = FieldShape;
type Field = KindField;

/**
 * What revisions need to know of a kind of resource: its table, how its
 * revision names its cluster, who may read it, and which stored columns are
 * API fields. Version and timestamps are bookkeeping, not fields that change.
 */
export interface Subject {
  type: RevisionSubject;
  table: string;
  /** "The goal", for a 404. */
  label: string;
  /** The cluster a row belongs to, as SQL on the row alias `t`. */
  cluster: string;
  /** The version after a write, as SQL on `t` (measurements never change: 1). */
  version: string;
  /** The caller may read the row `t` (as of now: access is decided as of now). */
  visible(caller: Caller): { sql: string; params: Record<string, unknown> };
  fields: readonly Field[];
}

const f = (column: string, field: string, shape: Shape = 'as-is'): Field => ({ column, field, shape });
const ARCHIVED = f('archived_at', 'archivedAt', 'timestamp');
const inCluster = (caller: Caller) => readableClusters(caller, 't.cluster_id');

/** A kind of plan item's subject: its table, label and fields table come from its descriptor. */
function planItemSubject(kind: AnyPlanItemKind): Subject {
  const type = kind.subjectType;
  return {
    type,
    table: kind.table,
    label: kind.label,
    cluster: 't.cluster_id',
    version: 't.version',
    visible: inCluster,
    fields: kind.fields,
  };
}

export const SUBJECTS: Record<RevisionSubject, Subject> = {
  // Every kind of plan item (each subject type has one: see subjects.spec.ts).
  ...(Object.fromEntries(PLAN_ITEM_KINDS.map((kind) => [kind.subjectType, planItemSubject(kind)])) as Record<SubjectType, Subject>),
  cluster: {
    type: 'cluster',
    table: 'cluster',
    label: 'The cluster',
    cluster: 't.id',
    version: 't.version',
    visible: (caller) => readableClusters(caller, 't.id'),
    fields: [
      f('name', 'name'),
      f('region', 'region'),
      f('phase', 'phase'),
      f('focus_area', 'focusArea'),
      f('vision', 'vision'),
      f('purpose', 'purpose'),
      f('public_badge', 'publicBadge'),
      ARCHIVED,
    ],
  },
  measurement: {
    type: 'measurement',
    table: 'measurement',
    label: 'The measurement',
    cluster: '(SELECT g.cluster_id FROM goal g WHERE g.id = t.goal_id)',
    version: '1',
    visible: (caller) => readableClusters(caller, '(SELECT g.cluster_id FROM goal g WHERE g.id = t.goal_id)'),
    fields: [f('value', 'value', 'number'), f('measured_on', 'measuredOn'), f('comment', 'comment')],
  },
  actor: {
    type: 'actor',
    table: 'actor',
    label: 'The actor',
    cluster: 't.cluster_id',
    version: 't.version',
    visible: inCluster,
    fields: [
      f('name', 'name'),
      f('kind', 'kind'),
      f('core', 'core'),
      f('engagement', 'engagement'),
      f('role', 'role'),
      f('organisation_number', 'organisationNumber'),
      ARCHIVED,
    ],
  },
  funder: {
    type: 'funder',
    table: 'funder',
    label: 'The funder',
    cluster: 'NULL::uuid',
    version: 't.version',
    visible: (caller) => readableFunders(caller, 't.id'),
    fields: [f('name', 'name'), f('kind', 'kind'), f('reporting_period', 'reportingPeriod'), f('report_due_days', 'reportDueDays')],
  },
  funding: {
    type: 'funding',
    table: 'funding',
    label: 'The funding',
    cluster: 't.cluster_id',
    version: 't.version',
    visible: (caller) => readableFundings(caller, 't'),
    fields: [
      f('cluster_id', 'clusterId'),
      f('programme', 'programme'),
      // As the API shows it: an exact decimal string ("2000000.00").
      f('amount', 'amount'),
      f('currency', 'currency'),
      f('starts_on', 'startsOn'),
      f('ends_on', 'endsOn'),
      ARCHIVED,
    ],
  },
  report_submission: {
    type: 'report_submission',
    table: 'report_submission',
    label: 'The report submission',
    cluster: 't.cluster_id',
    version: 't.version',
    visible: (caller) => readableSubmissions(caller, 't'),
    fields: [
      f('cluster_id', 'clusterId'),
      f('funder_id', 'funderId'),
      f('period', 'period'),
      f('period_from', 'from', 'timestamp'),
      f('period_to', 'to', 'timestamp'),
      f('state', 'state'),
      f('sha256', 'sha256'),
      f('submitted_at', 'submittedAt', 'timestamp'),
      f('known_at', 'knownAt', 'timestamp'),
      f('submitted_by', 'submittedBy'),
      f('comment', 'comment'),
      f('previous_submission_id', 'previousSubmissionId'),
      f('decided_at', 'decidedAt', 'timestamp'),
      f('decided_by', 'decidedBy'),
      f('decision_comment', 'decisionComment'),
    ],
  },
  narrative: {
    type: 'narrative',
    table: 'narrative',
    label: 'The narrative',
    cluster: 't.cluster_id',
    version: 't.version',
    visible: inCluster,
    fields: [
      f('period', 'period'),
      f('summary', 'summary'),
      f('results', 'results'),
      f('deviations', 'deviations'),
      f('next_steps', 'nextSteps'),
    ],
  },
  indicator_definition: {
    type: 'indicator_definition',
    table: 'indicator_definition',
    label: 'The indicator definition',
    cluster: 'NULL::uuid',
    version: 't.version',
    // Every key reads the definitions.
    visible: () => ({ sql: 'TRUE', params: {} }),
    fields: [
      f('code', 'code'),
      f('name', 'name'),
      f('description', 'description'),
      f('unit', 'unit'),
      f('aggregation', 'aggregation'),
      f('breakdown', 'breakdown'),
      f('funder_id', 'funderId'),
      ARCHIVED,
    ],
  },
};

/**
 * A revision's stored state as JSON text, read with every number kept as
 * the text PostgreSQL wrote (an amount of 2000000.00 stays "2000000.00").
 */
export function parseState(text: string): Record<string, unknown> {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === 'number' && context?.source !== undefined ? context.source : value,
  ) as Record<string, unknown>;
}

/** The API fields of a stored state, flat (`indicator.target`), in the subject's field order. */
export function fieldsOf(subject: Subject, state: Record<string, unknown>): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const { column, field, shape } of subject.fields) {
    const value = state[column] ?? null;
    fields.set(field, value === null ? null : show(value, shape ?? 'as-is'));
  }
  return fields;
}

function show(value: unknown, shape: Shape): unknown {
  switch (shape) {
    case 'as-is':
      return value;
    case 'number':
      return Number(value);
    case 'timestamp':
      return new Date(String(value)).toISOString();
  }
}
