import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import { Environment } from '../config/environment.js';
import type { ReportFunder } from './dto/report.dto.js';
import type { ReportDocument, ReportHead } from './report-document.js';
import { readReportRows } from './report-query.js';
import { assemble } from './report-sections.js';
import { parsePeriod, type ReportPeriod } from './period.js';
import { type ClusterRow, ReportsRepository } from './reports.repository.js';
import { RisksActorsRepository } from './risks-actors.repository.js';

/** Whether a period has ended: its report can no longer change. */
export function isComplete(period: ReportPeriod, now = new Date()): boolean {
  return period.to.getTime() < now.getTime();
}

export interface BuildOptions {
  /** The report is for a spreadsheet (CSV, XLSX): read each item's latest comment too. */
  sheet?: boolean;
}

/**
 * As-of reports: everything in them is as of the period — statuses, states,
 * changes and measured values from the history at its start and end; titles,
 * dates, indicators, the cluster, the funder and the fundings from the
 * revisions at its end; replans from the revisions within it — so that a
 * report whose period has ended is the same on every pull.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly repository: ReportsRepository,
    private readonly risksActors: RisksActorsRepository,
    private readonly env: Environment,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  period(query: { from?: string; to?: string; period?: string }): ReportPeriod {
    return parsePeriod(query, this.env.REPORT_TIME_ZONE, { maxDays: this.env.REPORT_MAX_DAYS });
  }

  /** `options.sheet`: for CSV or XLSX, which also carry each item's latest comment. */
  async clusterReport(caller: Caller, clusterId: string, period: ReportPeriod, options: BuildOptions = {}): Promise<ReportDocument> {
    const cluster = await this.repository.cluster(caller, clusterId, period);
    if (!cluster) throw DomainError.notFound('The cluster');
    return this.build([cluster], period, caller.role === 'funder' ? caller.funderId : null, undefined, options);
  }

  async funderReport(caller: Caller, funderId: string, period: ReportPeriod, options: BuildOptions = {}): Promise<ReportDocument> {
    const funder = await this.repository.funder(caller, funderId, period);
    if (!funder) throw DomainError.notFound('The funder');
    const clusters = await this.repository.fundedClusters(caller, funderId, period);
    return this.build(clusters, period, funderId, funder, options);
  }

  private async build(
    clusters: ClusterRow[],
    period: ReportPeriod,
    fundingsOf: string | null,
    funder?: ReportFunder,
    options: BuildOptions = {},
  ): Promise<ReportDocument> {
    const head: ReportHead = {
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      period: period.name,
      complete: isComplete(period),
      timeZone: this.env.REPORT_TIME_ZONE,
      ...(funder ? { funder } : {}),
    };
    if (clusters.length === 0) return { head, sections: [] };
    const ids = clusters.map((c) => c.id);
    const rows = await readReportRows(this.dataSource, this.repository, ids, period, fundingsOf, this.risksActors, options.sheet);
    const document: ReportDocument = { head, sections: assemble(clusters, rows, period) };
    if (rows.latestComments) document.latestComments = new Map(rows.latestComments.map((r) => [r.subject_id, r.comment]));
    return document;
  }
}
