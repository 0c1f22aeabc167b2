import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import { namedQuery } from '../common/sql.js';
import { Environment } from '../config/environment.js';
import { db } from '../database/transaction-context.js';
import { parseAsOf } from '../revisions/as-of.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import { fieldsOf, parseState, SUBJECTS } from '../revisions/subjects.js';
import {
  CHANGED_SUBJECT_TYPES,
  type ChangedSubjectType,
  type ChangeRevision,
  type ItemChange,
  type PlanChangesResponse,
} from './plan-changes.dto.js';
import { compareItem, type Side } from './plan-changes.js';

/** The column that titles an item of each kind. */
const TITLE_COLUMN: Record<ChangedSubjectType, string> = {
  cluster: 'name',
  goal: 'title',
  activity: 'title',
  low_hanging_fruit: 'what',
  risk: 'title',
  actor: 'name',
};

interface ChangedRow {
  subject_type: ChangedSubjectType;
  subject_id: string;
  revisions: ChangeRevision[];
  before: string | null;
  after: string;
}

const TYPES = CHANGED_SUBJECT_TYPES.map((type) => `'${type}'`).join(', ');

/**
 * What changed in a cluster's plan between two instants, from its revisions:
 * the items with a revision in (from, to], each with its state at both
 * instants (one index lookup each) and those revisions. One statement,
 * whatever the length of the history before `from`.
 */
export const PLAN_CHANGES_SQL = `
  WITH touched AS (
    SELECT r.subject_type, r.subject_id, min(r.position) AS first_position,
           jsonb_agg(jsonb_build_object(
             'version', r.version,
             'recordedAt', to_char(r.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'author', r.author) ORDER BY r.recorded_at, r.position) AS revisions
    FROM revision r
    WHERE r.cluster_id = :clusterId AND r.recorded_at > :from AND r.recorded_at <= :to AND r.subject_type IN (${TYPES})
    GROUP BY r.subject_type, r.subject_id)
  SELECT t.subject_type, t.subject_id, t.revisions, a.state::text AS before, b.state::text AS after
  FROM touched t
  LEFT JOIN LATERAL (
    SELECT r.state FROM revision r WHERE r.subject_id = t.subject_id AND r.recorded_at <= :from
    ORDER BY r.recorded_at DESC, r.position DESC LIMIT 1) a ON true
  JOIN LATERAL (
    SELECT r.state FROM revision r WHERE r.subject_id = t.subject_id AND r.recorded_at <= :to
    ORDER BY r.recorded_at DESC, r.position DESC LIMIT 1) b ON true
  ORDER BY array_position(ARRAY[${TYPES}]::text[], t.subject_type::text), t.first_position`;

function side(type: ChangedSubjectType, stateText: string | null): Side | undefined {
  if (stateText === null) return undefined;
  const state = parseState(stateText);
  return { fields: fieldsOf(SUBJECTS[type], state), inPlan: state.archived_at === null || state.archived_at === undefined };
}

@Injectable()
export class PlanChangesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly revisions: RevisionsService,
    private readonly env: Environment,
  ) {}

  /**
   * Every item of the plan of a cluster the caller may read (404 otherwise)
   * whose state at `to` differs from its state at `from`, field by field, with
   * the revisions in between: two statements (the access check and the
   * comparison), whatever the length of the history.
   */
  async changes(caller: Caller, clusterId: string, query: { from: string; to: string }): Promise<PlanChangesResponse> {
    const now = new Date();
    const from = parseAsOf(query.from, this.env.REPORT_TIME_ZONE, now, 'from')!;
    const to = parseAsOf(query.to, this.env.REPORT_TIME_ZONE, now, 'to')!;
    if (from.getTime() >= to.getTime()) throw DomainError.invalid('from', 'from must be before to');
    await this.revisions.assertVisible('cluster', caller, clusterId);
    const rows = await namedQuery<ChangedRow>(db(this.dataSource), PLAN_CHANGES_SQL, { clusterId, from, to });
    const items: ItemChange[] = [];
    for (const row of rows) {
      const compared = compareItem(side(row.subject_type, row.before), side(row.subject_type, row.after));
      if (!compared) continue;
      const title = parseState(row.after)[TITLE_COLUMN[row.subject_type]] as string;
      items.push({ subject: { type: row.subject_type, id: row.subject_id, title }, ...compared, revisions: row.revisions });
    }
    return { from: from.toISOString(), to: to.toISOString(), items };
  }
}
