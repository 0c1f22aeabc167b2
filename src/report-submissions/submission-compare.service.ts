import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { ChangeRevision } from '../plan/plan-changes.dto.js';
import { compareReports } from './submission-compare.js';
import { type SubmissionSideRow, SubmissionCompareRepository } from './submission-compare.repository.js';
import type { ComparedSubmission, SubmissionComparisonResponse } from './submission-compare.dto.js';

function side(row: SubmissionSideRow): ComparedSubmission {
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
function earlierFirst(a: SubmissionSideRow, b: SubmissionSideRow): [SubmissionSideRow, SubmissionSideRow] {
  const key = (s: SubmissionSideRow) => [s.period_to.getTime(), s.submitted_at.getTime()];
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
  constructor(private readonly repository: SubmissionCompareRepository) {}

  async compare(caller: Caller, id: string, withId: string): Promise<SubmissionComparisonResponse> {
    const rows = await this.repository.sides(caller, id, withId);
    const self = rows.find((r) => r.id === id);
    const other = rows.find((r) => r.id === withId);
    if (!self) throw DomainError.notFound('The report submission');
    if (!other) throw DomainError.notFound('The report submission named by `with`');
    if (self.cluster_id !== other.cluster_id || self.funder_id !== other.funder_id) {
      throw DomainError.rule('with', 'with must name a submission of the same cluster to the same funder');
    }
    const [earlier, later] = earlierFirst(self, other);
    const parse = (row: SubmissionSideRow) => JSON.parse(row.body.toString('utf8')) as Record<string, unknown>;
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
    const rows = await this.repository.revisionsBetween(ids, after, until);
    return new Map(rows.map((r) => [r.subject_id, r.revisions]));
  }
}
