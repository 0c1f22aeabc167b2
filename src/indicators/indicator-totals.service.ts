import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Caller } from '../auth/role.js';
import { Environment } from '../config/environment.js';
import { ReplicaReads } from '../database/replica-reads.js';
import { bodyOf, identityBytes, KeptReports } from '../reports/deliver/kept/kept-reports.js';
import { parsePeriod, type ReportPeriod } from '../reports/read/period.js';
import { isComplete, ReportsService } from '../reports/reports.service.js';
import type { IndicatorTotalsQueryDto, IndicatorTotalsResponse, RegionIndicatorTotalsQueryDto } from './dto/indicator-totals.dto.js';
import { totalsItems } from './indicator-totals.js';
import { IndicatorTotalsRepository, type TotalsClusterRow } from './indicator-totals.repository.js';
import { keptTotalsKey, type KeptTotalsKey } from './kept-totals.js';

/** Totals as sent: their exact bytes and the SHA-256 hex of them. */
export interface TotalsBody {
  body: Buffer;
  etag: string;
}

type Clusters = readonly Pick<TotalsClusterRow, 'id' | 'name'>[];

/**
 * Programme indicator totals: the clusters' values of each definition added up exactly, as of the period, like a
 * report. The body is made here as its exact bytes, so that an ended period's totals are the same on every pull.
 *
 * Once the period has ended the totals are a pure function of the history up to its end and of the clusters added
 * up, so they are kept like complete reports (REPORT_KEEP, in `kept_report`, shared by every instance): the first
 * pull adds them up — on the replica once it has replayed past the end of the period — and keeps the bytes; later
 * pulls serve them in one statement after those that choose the clusters. The clusters are chosen on every pull,
 * on the primary (what the caller may read now), and are part of the key.
 */
@Injectable()
export class IndicatorTotalsService {
  constructor(
    private readonly repository: IndicatorTotalsRepository,
    private readonly reports: ReportsService,
    private readonly kept: KeptReports,
    private readonly replica: ReplicaReads,
    private readonly env: Environment,
  ) {}

  private period(query: IndicatorTotalsQueryDto): ReportPeriod {
    return parsePeriod(query, this.env.REPORT_TIME_ZONE, { maxDays: this.env.REPORT_MAX_DAYS });
  }

  /** The clusters of the funder's report (funded in the period as of its end, among those the caller may read now): 404 unless the caller may read the funder. */
  async funderTotals(caller: Caller, funderId: string, query: IndicatorTotalsQueryDto): Promise<TotalsBody> {
    const period = this.period(query);
    const complete = isComplete(period);
    const { clusters } = await this.reports.resolve(caller, { subject: 'funder', id: funderId }, period);
    return this.answer({ scope: 'funder', of: funderId }, period, complete, clusters, funderId);
  }

  /** Every cluster as of the end of the period, or a region's (admin and viewer keys: the route says so). */
  async regionTotals(query: RegionIndicatorTotalsQueryDto): Promise<TotalsBody> {
    const period = this.period(query);
    const complete = isComplete(period);
    const region = query.region ?? null;
    const clusters = await this.aboutThePast(period, complete, () => this.repository.clusters(period, region));
    return this.answer({ scope: 'region', of: region }, period, complete, clusters, null);
  }

  /** A running period's totals added up now; an ended period's kept, or added up and kept. */
  private async answer(
    scope: Pick<KeptTotalsKey, 'scope' | 'of'>,
    period: ReportPeriod,
    complete: boolean,
    clusters: Clusters,
    funderId: string | null,
  ): Promise<TotalsBody> {
    if (!complete || !this.env.REPORT_KEEP) {
      const body = Buffer.from(await this.body(period, complete, clusters, funderId));
      return { body, etag: createHash('sha256').update(body).digest('hex') };
    }
    const key = keptTotalsKey({
      ...scope,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      period: period.name,
      timeZone: this.env.REPORT_TIME_ZONE,
      clusterIds: clusters.map((c) => c.id),
    });
    const hit = await this.kept.get(key, 'gzip');
    if (hit) return { body: await bodyOf(hit), etag: hit.etag };
    const bytes = identityBytes(Buffer.from(await this.body(period, complete, clusters, funderId)));
    await this.kept.put(key, bytes);
    return { body: bytes.identity!, etag: bytes.etag };
  }

  /** Reads about an ended period go to the replica once it has replayed past its end; a running period's to the primary. */
  private aboutThePast<T>(period: ReportPeriod, complete: boolean, work: () => Promise<T>): Promise<T> {
    return complete ? this.replica.read(period.to, work) : work();
  }

  private async body(period: ReportPeriod, complete: boolean, clusters: Clusters, funderId: string | null): Promise<string> {
    const rows = await this.aboutThePast(period, complete, () =>
      this.repository.totals(
        clusters.map((c) => c.id),
        period,
        funderId,
      ),
    );
    const response: IndicatorTotalsResponse = {
      period: period.name,
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      complete,
      items: totalsItems(rows, new Map(clusters.map((c) => [c.id, c.name]))),
    };
    return JSON.stringify(response);
  }
}
