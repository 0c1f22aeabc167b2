import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readableSubmissions } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import { namedQuery } from '../common/sql.js';
import { db } from '../database/transaction-context.js';
import type { ChangeRevision } from '../plan/plan-changes.dto.js';
import { compareReports } from './submission-compare.js';
import type { ComparedSubmission, SubmissionComparisonResponse } from './submission-compare.dto.js';

interface SideRow {
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

function side(row: SideRow): ComparedSubmission {
  return {
    submissionId: row.id,
    period: row.period,
    from: row.period_from.toISOString(),
    to: row.period_to.toISOString(),
    submittedAt: row.submitted_at.toISOString(),
    knownAt: row.known_at.toISOString(),
    sha256: row.sha256,
  };
}

/** The earlier of two submissions: the one whose period ends first; for the same end, the one submitted first. */
function earlierFirst(a: SideRow, b: SideRow): [SideRow, SideRow] {
  const key = (s: SideRow) => [s.period_to.getTime(), s.submitted_at.getTime()];
  const [ka, kb] = [key(a), key(b)];
  return ka[0] < kb[0] || (ka[0] === kb[0] && ka[1] <= kb[1]) ? [a, b] : [b, a];
}

/**
 * Two submitted reports of a cluster to a funder, compared item by item from
 * their frozen JSON (never the live plan): two statements, the two
 * submissions with their reports, and the revisions of the items that differ.
 */
@Injectable()
export class SubmissionCompareService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async compare(caller: Caller, id: string, withId: string): Promise<SubmissionComparisonResponse> {
    const visible = readableSubmissions(caller, 's');
    const rows = await namedQuery<SideRow>(
      db(this.dataSource),
      `SELECT s.id, s.cluster_id, s.funder_id, s.period, s.period_from, s.period_to, s.submitted_at, s.known_at, s.sha256, r.body
       FROM report_submission s JOIN submitted_report r ON r.submission_id = s.id
       WHERE s.id IN (:id, :withId) AND ${visible.sql}`,
      { id, withId, ...visible.params },
    );
    const self = rows.find((r) => r.id === id);
    const other = rows.find((r) => r.id === withId);
    if (!self) throw DomainError.notFound('The report submission');
    if (!other) throw DomainError.notFound('The report submission named by `with`');
    if (self.cluster_id !== other.cluster_id || self.funder_id !== other.funder_id) {
      throw DomainError.rule('with', 'with must name a submission of the same cluster to the same funder');
    }
    const [earlier, later] = earlierFirst(self, other);
    const parse = (row: SideRow) => JSON.parse(row.body.toString('utf8')) as Record<string, unknown>;
    const changes = compareReports(parse(earlier), parse(later));
    const revisions = await this.revisionsBetween(
      changes.map((c) => c.subject.id),
      earlier.period_to,
      later.period_to,
    );
    return {
      from: side(earlier),
      to: side(later),
      items: changes.map((c) => ({ ...c, revisions: revisions.get(c.subject.id) ?? [] })),
    };
  }

  /** The revisions of the items recorded in (after, until], oldest first: one statement. */
  private async revisionsBetween(ids: string[], after: Date, until: Date): Promise<Map<string, ChangeRevision[]>> {
    if (ids.length === 0 || after.getTime() >= until.getTime()) return new Map();
    const rows = await namedQuery<{ subject_id: string; revisions: ChangeRevision[] }>(
      db(this.dataSource),
      `SELECT r.subject_id, jsonb_agg(jsonb_build_object(
                'version', r.version,
                'recordedAt', to_char(r.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'author', r.author) ORDER BY r.recorded_at, r.position) AS revisions
       FROM revision r
       WHERE r.subject_id = ANY(:ids) AND r.recorded_at > :after AND r.recorded_at <= :until
       GROUP BY r.subject_id`,
      { ids, after, until },
    );
    return new Map(rows.map((r) => [r.subject_id, r.revisions]));
  }
}
