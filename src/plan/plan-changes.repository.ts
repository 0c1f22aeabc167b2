import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EXAMPLE_IDS } from '../auth/example-callers.js';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import { CHANGED_SUBJECT_TYPES, type ChangedSubjectType, type ChangeRevision } from './plan-changes.dto.js';

/** An item with a revision between the two instants: its state at each (JSON text; none before it existed) and those revisions. */
export interface ChangedRow {
  subject_type: ChangedSubjectType;
  subject_id: string;
  revisions: ChangeRevision[];
  state_from: string | null;
  state_to: string;
}

const TYPES = CHANGED_SUBJECT_TYPES.map((type) => `'${type}'`).join(', ');

/**
 * The revisions of an item as the comparisons list them (`ChangeRevision[]`, oldest first), aggregated over the
 * revision rows `r` of a GROUP BY: one definition for the plan's changes and a submission's comparison.
 */
export const CHANGE_REVISIONS_AGG = `jsonb_agg(jsonb_build_object(
             'version', r.version,
             'recordedAt', to_char(r.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'author', r.author) ORDER BY r.recorded_at, r.position)`;

/**
 * What changed in a cluster's plan between two instants, from its revisions:
 * the items with a revision in (from, to], each with its state at both
 * instants (one index lookup each) and those revisions. One statement,
 * whatever the length of the history before `from`.
 */
const PLAN_CHANGES_SQL = `
  WITH touched AS (
    SELECT r.subject_type, r.subject_id, min(r.position) AS first_position, ${CHANGE_REVISIONS_AGG} AS revisions
    FROM revision r
    WHERE r.cluster_id = :clusterId AND r.recorded_at > :from AND r.recorded_at <= :to AND r.subject_type IN (${TYPES})
    GROUP BY r.subject_type, r.subject_id)
  SELECT t.subject_type, t.subject_id, t.revisions, a.state::text AS state_from, b.state::text AS state_to
  FROM touched t
  LEFT JOIN LATERAL (
    SELECT r.state FROM revision r WHERE r.subject_id = t.subject_id AND r.recorded_at <= :from
    ORDER BY r.recorded_at DESC, r.position DESC LIMIT 1) a ON true
  JOIN LATERAL (
    SELECT r.state FROM revision r WHERE r.subject_id = t.subject_id AND r.recorded_at <= :to
    ORDER BY r.recorded_at DESC, r.position DESC LIMIT 1) b ON true
  ORDER BY array_position(ARRAY[${TYPES}]::text[], t.subject_type::text), t.first_position`;

/** The read side of plan changes: one statement over the revisions. */
@Injectable()
export class PlanChangesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @GenerateSql({
    name: 'a cluster from the end of the third quarter to a day in December',
    args: () => [EXAMPLE_IDS.cluster, new Date('2026-09-30T21:59:59.999Z'), new Date('2026-12-06T12:00:00.000Z')],
  })
  changed(clusterId: string, from: Date, to: Date): Promise<ChangedRow[]> {
    return namedQuery<ChangedRow>(db(this.dataSource), PLAN_CHANGES_SQL, { clusterId, from, to });
  }
}
