import { HttpStatus, Injectable } from '@nestjs/common';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import type { LateEntryResponse } from './dto/report-submission.dto.js';
import { LateEntriesRepository } from './late-entries.repository.js';
import { ReportSubmissionsRepository } from './report-submissions.repository.js';
import { ReportSubmissionsService } from './report-submissions.service.js';

/** `GET /report-submissions/{id}/late-entries`: what came after a submission was made. */
@Injectable()
export class LateEntriesService {
  constructor(
    private readonly repository: ReportSubmissionsRepository,
    private readonly late: LateEntriesRepository,
    private readonly submissions: ReportSubmissionsService,
  ) {}

  /**
   * Measurements of the cluster recorded after the moment the submission is known at (its knownAt: the submission
   * itself, or the end of the period for one made before knownAt existed) whose measuredOn falls in its period,
   * oldest first: what its frozen report does not hold.
   */
  async lateEntries(caller: Caller, id: string, page: { limit: number; offset: number }): Promise<Page<LateEntryResponse>> {
    const submission = await this.submissions.find(caller, id);
    // The submission stays readable to the funder it was sent to; the cluster's measurements since are read by
    // the rule of now: a funder whose funding was archived no longer reads them.
    if (!(await this.repository.readable(caller, 'cluster', submission.clusterId))) {
      throw new DomainError(
        'not-found',
        HttpStatus.NOT_FOUND,
        "This key no longer reads the submission's cluster, so not its measurements since (the submission and its report stay readable).",
      );
    }
    const { rows, total } = await this.late.lateEntries(submission, page);
    return {
      items: rows.map((r) => ({
        id: r.id,
        goalId: r.goal_id,
        goalTitle: r.goal_title,
        value: Number(r.value),
        measuredOn: r.measured_on,
        comment: r.comment,
        recordedAt: r.created_at.toISOString(),
        author: r.author,
      })),
      total,
      limit: page.limit,
      offset: page.offset,
    };
  }
}
