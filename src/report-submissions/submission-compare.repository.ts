import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readableSubmissions } from '../auth/access.js';
import { exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import type { ChangeRevision } from '../plan/plan-changes.dto.js';
import { CHANGE_REVISIONS_AGG } from '../plan/plan-changes.repository.js';

/** A submission with its frozen report, as a comparison reads it. */
export interface SubmissionSideRow {
  id: string;
  cluster_id: string;
  funder_id: string;
  period: string | null;
  period_from: Date;
  period_to: Date;
  submitted_at: Date;
  known_at: Date;
  sha256: string;
  body: Buffer;
}

const EXAMPLE_SUBMISSIONS = ['00000000-0000-4000-8000-00000000d001', '00000000-0000-4000-8000-00000000d002'];

/** The read side of comparing submissions: the two frozen reports, and the revisions of what differs. */
@Injectable()
export class SubmissionCompareRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Those of the two submissions the caller may read, with their frozen reports: one statement. */
  @GenerateSql({ name: 'two submissions, for a funder key', args: () => [exampleCaller('funder'), ...EXAMPLE_SUBMISSIONS] })
  sides(caller: Caller, id: string, withId: string): Promise<SubmissionSideRow[]> {
    const visible = readableSubmissions(caller, 's');
    return namedQuery<SubmissionSideRow>(
      db(this.dataSource),
      `SELECT s.id, s.cluster_id, s.funder_id, s.period, s.period_from, s.period_to, s.submitted_at, s.known_at, s.sha256, r.body
       FROM report_submission s JOIN submitted_report r ON r.submission_id = s.id
       WHERE s.id IN (:id, :withId) AND ${visible.sql}`,
      { id, withId, ...visible.params },
    );
  }

  /** The revisions of the items recorded in (after, until], oldest first, by item: one statement. */
  @GenerateSql({
    name: 'two items, between the ends of two quarters',
    args: () => [EXAMPLE_SUBMISSIONS, new Date('2026-06-30T21:59:59.999Z'), new Date('2026-09-30T21:59:59.999Z')],
  })
  revisionsBetween(ids: string[], after: Date, until: Date): Promise<{ subject_id: string; revisions: ChangeRevision[] }[]> {
    return namedQuery(
      db(this.dataSource),
      `SELECT r.subject_id, ${CHANGE_REVISIONS_AGG} AS revisions
       FROM revision r
       WHERE r.subject_id = ANY(:ids) AND r.recorded_at > :after AND r.recorded_at <= :until
       GROUP BY r.subject_id`,
      { ids, after, until },
    );
  }
}
