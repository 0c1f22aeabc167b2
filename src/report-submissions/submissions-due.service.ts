import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readableClusters, readableFunders, readableFundings } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import type { Page } from '../common/pagination.js';
import { namedQuery } from '../common/sql.js';
import { Environment } from '../config/environment.js';
import { db } from '../database/transaction-context.js';
import type { SubmissionDueResponse, SubmissionsDueQueryDto } from './dto/report-submission.dto.js';
import { dueOn, duePeriods } from './due-periods.js';
import { assertReadable } from './readable.js';

type Row = Record<string, unknown>;

/** `GET /funders/{id}/submissions-due` and `GET /clusters/{id}/submissions-due`: the reports due, and where they stand. */
@Injectable()
export class SubmissionsDueService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  /** What a funder is due from the clusters it funds (those the caller may read); 404 for a funder the caller may not read. */
  async dueForFunder(caller: Caller, funderId: string, query: SubmissionsDueQueryDto): Promise<Page<SubmissionDueResponse>> {
    await assertReadable(db(this.dataSource), 'funder', readableFunders(caller, 'x.id'), funderId);
    return this.due(caller, 'fd.funder_id = :funderId', { funderId }, query);
  }

  /** What a cluster owes its funders (those the caller may read); 404 for a cluster the caller may not read. */
  async dueForCluster(caller: Caller, clusterId: string, query: SubmissionsDueQueryDto): Promise<Page<SubmissionDueResponse>> {
    await assertReadable(db(this.dataSource), 'cluster', readableClusters(caller, 'x.id'), clusterId);
    return this.due(caller, 'fd.cluster_id = :clusterId', { clusterId }, query);
  }

  /**
   * Every ended period of each funder's reporting period that overlaps one of
   * the fundings (as they are now, archived ones left out), with the newest
   * submission for it: the fundings and submissions in two queries, the
   * periods counted out here.
   */
  private async due(caller: Caller, condition: string, params: Row, query: SubmissionsDueQueryDto): Promise<Page<SubmissionDueResponse>> {
    const manager = db(this.dataSource);
    const visible = readableFundings(caller, 'fd');
    const fundings = await namedQuery<{
      id: string;
      cluster_id: string;
      cluster_name: string;
      funder_id: string;
      starts_on: string;
      ends_on: string;
      reporting_period: 'quarterly' | 'half_yearly' | 'yearly';
      report_due_days: number;
    }>(
      manager,
      `SELECT fd.id, fd.cluster_id, c.name AS cluster_name, fd.funder_id, fd.starts_on, fd.ends_on, f.reporting_period, f.report_due_days
       FROM funding fd JOIN funder f ON f.id = fd.funder_id JOIN cluster c ON c.id = fd.cluster_id
       WHERE ${condition} AND fd.archived_at IS NULL AND ${visible.sql}`,
      { ...params, ...visible.params },
    );
    if (fundings.length === 0) return { items: [], total: 0, limit: query.limit, offset: query.offset };
    const submitted = await namedQuery<{
      cluster_id: string;
      funder_id: string;
      period_from: Date;
      period_to: Date;
      id: string;
      state: string;
    }>(
      manager,
      `SELECT DISTINCT ON (s.cluster_id, s.funder_id, s.period_from, s.period_to) s.cluster_id, s.funder_id, s.period_from, s.period_to, s.id, s.state
       FROM report_submission s
       WHERE (s.cluster_id, s.funder_id) IN (SELECT x.cluster_id, x.funder_id FROM unnest(CAST(:clusters AS uuid[]), CAST(:funders AS uuid[])) AS x(cluster_id, funder_id))
       ORDER BY s.cluster_id, s.funder_id, s.period_from, s.period_to, s.submitted_at DESC, s.id`,
      { clusters: fundings.map((f) => f.cluster_id), funders: fundings.map((f) => f.funder_id) },
    );
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
