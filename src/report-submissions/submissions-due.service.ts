import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { Environment } from '../config/environment.js';
import type { SubmissionDueResponse, SubmissionsDueQueryDto } from './dto/report-submission.dto.js';
import { dueOn, duePeriods } from './due-periods.js';
import { ReportSubmissionsRepository } from './report-submissions.repository.js';

/** `GET /funders/{id}/submissions-due` and `GET /clusters/{id}/submissions-due`: the reports due, and where they stand. */
@Injectable()
export class SubmissionsDueService {
  constructor(
    private readonly repository: ReportSubmissionsRepository,
    private readonly env: Environment,
  ) {}

  /** What a funder is due from the clusters it funds (those the caller may read); 404 for a funder the caller may not read. */
  async dueForFunder(caller: Caller, funderId: string, query: SubmissionsDueQueryDto): Promise<Page<SubmissionDueResponse>> {
    if (!(await this.repository.readable(caller, 'funder', funderId))) throw DomainError.notFound('The funder');
    return this.due(caller, { funderId }, query);
  }

  /** What a cluster owes its funders (those the caller may read); 404 for a cluster the caller may not read. */
  async dueForCluster(caller: Caller, clusterId: string, query: SubmissionsDueQueryDto): Promise<Page<SubmissionDueResponse>> {
    if (!(await this.repository.readable(caller, 'cluster', clusterId))) throw DomainError.notFound('The cluster');
    return this.due(caller, { clusterId }, query);
  }

  /**
   * Every ended period of each funder's reporting period that overlaps one of
   * the fundings (as they are now, archived ones left out), with the newest
   * submission for it: the fundings and submissions in two queries, the
   * periods counted out here.
   */
  private async due(
    caller: Caller,
    of: { funderId: string } | { clusterId: string },
    query: SubmissionsDueQueryDto,
  ): Promise<Page<SubmissionDueResponse>> {
    const fundings = await this.repository.dueFundings(caller, of);
    if (fundings.length === 0) return { items: [], total: 0, limit: query.limit, offset: query.offset };
    const submitted = await this.repository.newestSubmissions(fundings);
    const newest = new Map(submitted.map((s) => [`${s.cluster_id}/${s.funder_id}/${s.period_from.getTime()}/${s.period_to.getTime()}`, s]));
    const now = new Date();
    const items: SubmissionDueResponse[] = [];
    for (const funding of fundings) {
      for (const p of duePeriods(funding.reporting_period, funding.starts_on, funding.ends_on, this.env.REPORT_TIME_ZONE, now)) {
        const s = newest.get(`${funding.cluster_id}/${funding.funder_id}/${p.from.getTime()}/${p.to.getTime()}`);
        const state = (s?.state ?? 'missing') as SubmissionDueResponse['state'];
        if (query.state && query.state !== state) continue;
        items.push({
          clusterId: funding.cluster_id,
          clusterName: funding.cluster_name,
          funderId: funding.funder_id,
          fundingId: funding.id,
          period: p.name,
          from: p.fromDate,
          to: p.toDate,
          dueOn: dueOn(p.toDate, funding.report_due_days),
          state,
          submissionId: s?.id ?? null,
        });
      }
    }
    // Newest period first; within one, by cluster, funder and funding.
    items.sort(
      (a, b) =>
        b.from.localeCompare(a.from) ||
        a.clusterId.localeCompare(b.clusterId) ||
        a.funderId.localeCompare(b.funderId) ||
        a.fundingId.localeCompare(b.fundingId),
    );
    return { items: items.slice(query.offset, query.offset + query.limit), total: items.length, limit: query.limit, offset: query.offset };
  }
}
