import { readableClusters, readableFunders, readableFundings, readableSubmissions } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import type { RevisionSubject } from './revision.entity.js';

/** How a stored column is shown in the API: as stored (text, booleans, dates), a JSON number, or an ISO timestamp. */
type Shape = 'as-is' | 'number' | 'timestamp';

/** A column of a revision's state and the API field it is shown as (`indicator.target` for nested ones). */
interface Field {
  column: string;
  field: string;
  shape?: Shape;
}

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

export const SUBJECTS: Record<RevisionSubject, Subject> = {
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
  goal: {
    type: 'goal',
    table: 'goal',
    label: 'The goal',
    cluster: 't.cluster_id',
    version: 't.version',
    visible: inCluster,
    fields: [
      f('title', 'title'),
      f('description', 'description'),
      f('horizon', 'horizon'),
      f('perspective', 'perspective'),
      f('contributes_to_goal_id', 'contributesToGoalId'),
      f('due_date', 'dueDate'),
      f('indicator_unit', 'indicator.unit'),
      f('indicator_baseline', 'indicator.baseline', 'number'),
      f('indicator_target', 'indicator.target', 'number'),
      f('status', 'status'),
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
  activity: {
    type: 'activity',
    table: 'activity',
    label: 'The activity',
    cluster: 't.cluster_id',
    version: 't.version',
    visible: inCluster,
    fields: [
      f('title', 'title'),
      f('description', 'description'),
      f('owner', 'owner'),
      f('goal_id', 'goalId'),
      f('start_date', 'startDate'),
      f('due_date', 'dueDate'),
      f('state', 'state'),
      f('status', 'status'),
      f('completed_at', 'completedAt', 'timestamp'),
      ARCHIVED,
    ],
  },
  low_hanging_fruit: {
    type: 'low_hanging_fruit',
    table: 'low_hanging_fruit',
    label: 'The low-hanging fruit',
    cluster: 't.cluster_id',
    version: 't.version',
    visible: inCluster,
    fields: [
      f('what', 'what'),
      f('when_date', 'when'),
      f('how', 'how'),
      f('owner', 'owner'),
      f('goal_id', 'goalId'),
      f('state', 'state'),
      f('status', 'status'),
      f('completed_at', 'completedAt', 'timestamp'),
      ARCHIVED,
    ],
  },
  risk: {
    type: 'risk',
    table: 'risk',
    label: 'The risk',
    cluster: 't.cluster_id',
    version: 't.version',
    visible: inCluster,
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
  },
  actor: {
    type: 'actor',
    table: 'actor',
    label: 'The actor',
    cluster: 't.cluster_id',
    version: 't.version',
    visible: inCluster,
    fields: [f('name', 'name'), f('kind', 'kind'), f('core', 'core'), f('engagement', 'engagement'), f('role', 'role'), ARCHIVED],
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
