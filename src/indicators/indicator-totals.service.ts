import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/role.js';
import { Environment } from '../config/environment.js';
import { parsePeriod, type ReportPeriod } from '../reports/period.js';
import { isComplete, ReportsService } from '../reports/reports.service.js';
import type { IndicatorTotalsQueryDto, IndicatorTotalsResponse, RegionIndicatorTotalsQueryDto } from './dto/indicator-totals.dto.js';
import { totalsItems } from './indicator-totals.js';
import { IndicatorTotalsRepository, type TotalsClusterRow } from './indicator-totals.repository.js';

/**
 * Programme indicator totals: the clusters' values of each definition added up exactly, as of the period, like a
 * report. The body is made here as its exact bytes, so that an ended period's totals are the same on every pull.
 */
@Injectable()
export class IndicatorTotalsService {
  constructor(
    private readonly repository: IndicatorTotalsRepository,
    private readonly reports: ReportsService,
    private readonly env: Environment,
  ) {}

  private period(query: IndicatorTotalsQueryDto): ReportPeriod {
    return parsePeriod(query, this.env.REPORT_TIME_ZONE, { maxDays: this.env.REPORT_MAX_DAYS });
  }

  /** The clusters of the funder's report (funded in the period as of its end, among those the caller may read now): 404 unless the caller may read the funder. */
  async funderTotals(caller: Caller, funderId: string, query: IndicatorTotalsQueryDto): Promise<string> {
    const period = this.period(query);
    const { clusters } = await this.reports.resolve(caller, { subject: 'funder', id: funderId }, period);
    return this.body(period, clusters, funderId);
  }

  /** Every cluster as of the end of the period, or a region's (admin and viewer keys: the route says so). */
  async regionTotals(query: RegionIndicatorTotalsQueryDto): Promise<string> {
    const period = this.period(query);
    return this.body(period, await this.repository.clusters(period, query.region ?? null), null);
  }

  private async body(
    period: ReportPeriod,
    clusters: readonly Pick<TotalsClusterRow, 'id' | 'name'>[],
    funderId: string | null,
  ): Promise<string> {
    const rows = await this.repository.totals(
      clusters.map((c) => c.id),
      period,
      funderId,
    );
    const response: IndicatorTotalsResponse = {
      period: period.name,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      complete: isComplete(period),
      items: totalsItems(rows, new Map(clusters.map((c) => [c.id, c.name]))),
    };
    return JSON.stringify(response);
  }
}
