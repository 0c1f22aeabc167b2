import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, QueryRunner } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import { Environment, reportReadConnections } from '../config/environment.js';
import { within } from '../database/transaction-context.js';
import type { ReportFunder } from './dto/report.dto.js';
import type { ReportBatch, ReportDocument, ReportHead, ReportSource } from './report-document.js';
import { BatchSizer, readReportRows, readRows, REPORT_WORK_MEM, type ReportRows, rowsBytes } from './read/report-query.js';
import { assemble } from './assemble/report-sections.js';
import { reportJson } from './render/report-json.js';
import { parsePeriod, type ReportPeriod, saysCalendarDates, withKnownAt } from './read/period.js';
import { type ClusterRow, ReportsRepository } from './read/reports.repository.js';
import { RisksActorsRepository } from './read/risks-actors.repository.js';
import type { IndicatorTotalsItem } from '../indicators/dto/indicator-totals-item.dto.js';
import { totalsItems } from '../indicators/indicator-totals.js';
import { IndicatorTotalsRepository } from '../indicators/indicator-totals.repository.js';

/** Whether a period has ended: its report can no longer change. */
export function isComplete(period: ReportPeriod, now = new Date()): boolean {
  return period.to.getTime() < now.getTime();
}

export interface BuildOptions {
  /** The report is for a spreadsheet (CSV, XLSX): read each item's latest comment too. */
  sheet?: boolean;
  /** Where its rows are read, chosen when the first batch is asked for (the primary when not given). */
  source?: () => Promise<DataSource>;
  /** Called with the snapshot the report is read in (`pg_current_snapshot()` as text), before its first batch. */
  snapshot?: (snapshot: string) => void;
  /**
   * Read the next batch while this one is written (PostgreSQL reads while Node writes): for a report built to be
   * kept, whose bytes go to memory and PostgreSQL, never for one streamed to a client that may stop reading, as
   * it holds two batches instead of one.
   */
  readAhead?: boolean;
}

/** `REPORT_WORK_MEM` that also returns the transaction's snapshot, in the same one statement. */
const WORK_MEM_AND_SNAPSHOT = `SELECT set_config('work_mem', '64MB', true), pg_current_snapshot()::text AS snapshot`;

/** The same, which also exports the snapshot for the report's other connections (valid while this transaction is open). */
const WORK_MEM_SNAPSHOT_EXPORTED = `SELECT set_config('work_mem', '64MB', true), pg_current_snapshot()::text AS snapshot, pg_export_snapshot() AS exported`;

/** What `pg_export_snapshot()` returns (`00000003-0000001B-1`): inlined into SET TRANSACTION SNAPSHOT, which takes no parameter. */
const EXPORTED_SNAPSHOT = /^[0-9A-F]+(-[0-9A-F]+)+$/i;

/** Opens a REPEATABLE READ transaction on `runner` in the snapshot another transaction exported (while that one is open). */
async function importSnapshot(runner: QueryRunner, exported: string): Promise<QueryRunner> {
  if (!EXPORTED_SNAPSHOT.test(exported)) throw new Error(`Not an exported snapshot: ${exported}`);
  await runner.connect();
  await runner.startTransaction('REPEATABLE READ');
  await runner.query(`SET TRANSACTION SNAPSHOT '${exported}'`);
  await runner.query(REPORT_WORK_MEM);
  return runner;
}

/** A complete cluster report rendered once, to be kept: its JSON bytes and what the spreadsheet forms add to them. */
export interface RenderedReport {
  json: Buffer;
  /** Item id → its newest comment as of the end of the period (the CSV and XLSX column the JSON does not hold). */
  latestComments: Record<string, string>;
}

/** What a report is about: a cluster, or a funder's portfolio. */
export interface ReportTarget {
  subject: 'cluster' | 'funder';
  id: string;
}

/**
 * A report the caller may read, before its sections are read: its head, the
 * clusters it covers (those the caller may read, as of the period), whose
 * fundings it shows, and the name of its subject for file names.
 */
export interface ResolvedReport {
  target: ReportTarget;
  period: ReportPeriod;
  head: ReportHead;
  clusters: ClusterRow[];
  /** Only this funder's fundings (a funder report, or any report for a funder key); null: every funding. */
  fundingsOf: string | null;
  subjectName: string;
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
    private readonly indicatorTotals: IndicatorTotalsRepository,
    private readonly env: Environment,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** The period of a report and the moment it is known at (`knownAt`, default `to`); 400 naming the field at fault. */
  period(query: { from?: string; to?: string; period?: string; knownAt?: string }): ReportPeriod {
    const period = parsePeriod(query, this.env.REPORT_TIME_ZONE, { maxDays: this.env.REPORT_MAX_DAYS });
    return withKnownAt(period, query.knownAt, this.env.REPORT_TIME_ZONE);
  }

  /** `options.sheet`: for CSV or XLSX, which also carry each item's latest comment. A whole report in memory. */
  async clusterReport(caller: Caller, clusterId: string, period: ReportPeriod, options: BuildOptions = {}): Promise<ReportDocument> {
    return this.document(await this.resolve(caller, { subject: 'cluster', id: clusterId }, period), options);
  }

  /** A funder's report, whole in memory. */
  async funderReport(caller: Caller, funderId: string, period: ReportPeriod, options: BuildOptions = {}): Promise<ReportDocument> {
    return this.document(await this.resolve(caller, { subject: 'funder', id: funderId }, period), options);
  }

  /**
   * The cluster report as `fundingsOf`'s own key would pull it (its fundings
   * only; null: every funder's), rendered whole to its JSON bytes in memory,
   * with the latest comments of its items; 404 unless the caller may read the
   * cluster. Read in the request's transaction when it has one.
   */
  async renderClusterReport(caller: Caller, clusterId: string, period: ReportPeriod, fundingsOf: string | null): Promise<RenderedReport> {
    const resolved = await this.resolve(caller, { subject: 'cluster', id: clusterId }, period);
    const document = await this.document({ ...resolved, fundingsOf }, { sheet: true });
    return {
      json: Buffer.from([...reportJson(document)].join(''), 'utf8'),
      latestComments: Object.fromEntries(document.latestComments ?? []),
    };
  }

  /** The subject and clusters of a report the caller may read (404 otherwise): two statements, no plan table read. */
  async resolve(caller: Caller, target: ReportTarget, period: ReportPeriod): Promise<ResolvedReport> {
    if (target.subject === 'cluster') {
      const cluster = await this.repository.cluster(caller, target.id, period);
      if (!cluster) throw DomainError.notFound('The cluster');
      const fundingsOf = caller.role === 'funder' ? caller.funderId : null;
      return { target, period, head: this.head(period), clusters: [cluster], fundingsOf, subjectName: cluster.name };
    }
    const funder = await this.repository.funder(caller, target.id, period);
    if (!funder) throw DomainError.notFound('The funder');
    const clusters = await this.repository.fundedClusters(caller, target.id, period);
    return { target, period, head: this.head(period, funder), clusters, fundingsOf: target.id, subjectName: funder.name };
  }

  /** The whole report in memory, read in one snapshot (or in the request's transaction, when it has one). */
  async document(report: ResolvedReport, options: BuildOptions = {}): Promise<ReportDocument> {
    if (report.clusters.length === 0) return { head: report.head, sections: [] };
    const ids = report.clusters.map((c) => c.id);
    const rows = await readReportRows(
      this.dataSource,
      this.repository,
      ids,
      report.period,
      report.fundingsOf,
      this.risksActors,
      options.sheet,
    );
    return { head: report.head, ...this.batch(report, report.clusters, rows), ...(await this.totals(report)) };
  }

  /**
   * The programme indicators of the report's clusters added up, as the totals routes add them (one statement): a
   * funder report's over the common definitions and the funder's own; a cluster report's over every definition, or
   * only the common ones and its funder's for a funder key. Absent when there are none.
   */
  private async totals(report: ResolvedReport): Promise<{ indicatorTotals?: IndicatorTotalsItem[] }> {
    const funderId = report.target.subject === 'funder' ? report.target.id : report.fundingsOf;
    const rows = await this.indicatorTotals.totals(
      report.clusters.map((c) => c.id),
      report.period,
      funderId,
    );
    return rows.length > 0 ? { indicatorTotals: totalsItems(rows, new Map(report.clusters.map((c) => [c.id, c.name]))) } : {};
  }

  /**
   * The report as it is read: a batch of clusters at a time, each batch nine statements (ten for a
   * spreadsheet), all in one REPEATABLE READ snapshot held until the last batch has been taken (or the reader
   * stops: the transaction is then rolled back). Nothing is read before the first batch is asked for, so the
   * memory a report takes is one batch, whatever its size. Batches are sized by bytes: the first is one
   * cluster, each next one as many clusters as fit in `REPORT_BATCH_KB` at the bytes per cluster read so far
   * (at most `REPORT_BATCH_CLUSTERS`, at least one). A report built to be kept (`readAhead`) of more than one
   * cluster reads on `REPORT_READ_CONNECTIONS` connections at once, batch k on connection k mod n, each in the
   * snapshot the first one exported: PostgreSQL reads n batches at a time while Node writes the one before
   * them, which are still yielded in order (it then holds n + 1 batches).
   */
  source(report: ResolvedReport, options: BuildOptions = {}): ReportSource {
    return { head: report.head, batches: this.batches(report, options) };
  }

  private async *batches(report: ResolvedReport, options: BuildOptions): AsyncGenerator<ReportBatch> {
    if (report.clusters.length === 0) return;
    const source = options.source ? await options.source() : this.dataSource;
    const lanes = options.readAhead ? Math.min(reportReadConnections(this.env), report.clusters.length) : 1;
    const first = source.createQueryRunner();
    await first.connect();
    const runners: QueryRunner[] = [first];
    const ready: Promise<QueryRunner>[] = [Promise.resolve(first)];
    const reads: Promise<ReportBatch | undefined>[] = [];
    let totalsRead: Promise<{ indicatorTotals?: IndicatorTotalsItem[] }> | undefined;
    try {
      await first.startTransaction('REPEATABLE READ');
      const setUp = lanes > 1 ? WORK_MEM_SNAPSHOT_EXPORTED : options.snapshot ? WORK_MEM_AND_SNAPSHOT : REPORT_WORK_MEM;
      const [row] = (await first.query(setUp)) as { snapshot: string; exported: string }[];
      if (options.snapshot) options.snapshot(row.snapshot);
      // The other connections take the first one's snapshot while it reads the first batch.
      for (let lane = 1; lane < lanes; lane++) {
        const runner = source.createQueryRunner();
        runners.push(runner);
        const imported = importSnapshot(runner, row.exported);
        imported.catch(() => undefined); // awaited by the lane's first batch
        ready.push(imported);
      }
      // The programme indicators added up (one statement, written last): on the last connection before its first batch
      // while the first connection reads its own, else after the batches.
      totalsRead =
        lanes > 1 ? ready[lanes - 1].then((runner) => within(runner.manager, 'REPEATABLE READ', () => this.totals(report))) : undefined;
      totalsRead?.catch(() => undefined); // awaited after the batches
      const sizer = new BatchSizer(this.env.REPORT_BATCH_KB * 1024, this.env.REPORT_BATCH_CLUSTERS, lanes);
      // The first cluster of the next batch, once the batches before it are sized.
      let next: Promise<number> = Promise.resolve(0);
      const issue = (k: number): void => {
        const lane = k % lanes;
        // Batch k is sized once its connection is free: when batch k − lanes (and so every batch before it) is read.
        const span = Promise.all([next, reads[k - lanes] ?? ready[lane]]).then(([from]) => {
          const count = from < report.clusters.length ? sizer.size(k) : 0;
          return { from, clusters: report.clusters.slice(from, from + count) };
        });
        next = span.then(({ from, clusters }) => from + clusters.length);
        next.catch(() => undefined); // a failed batch fails every one after it: the first is thrown where it is awaited
        const read = span.then(async ({ clusters }) => {
          if (clusters.length === 0) return undefined;
          const runner = await ready[lane];
          const ids = clusters.map((c) => c.id);
          // Only the batch lives on while the reader takes it: its rows are let go once it is assembled.
          return within(runner.manager, 'REPEATABLE READ', async () => {
            const rows = await readRows(this.repository, this.risksActors, ids, report.period, report.fundingsOf, options.sheet);
            sizer.read(k, clusters.length, rowsBytes(rows));
            return this.batch(report, clusters, rows);
          });
        });
        // Handled when awaited; until then a failure must not count as an unhandled rejection.
        read.catch(() => undefined);
        reads.push(read);
      };
      const ahead = options.readAhead ? lanes : 0;
      const issueThrough = (k: number) => {
        while (reads.length <= k) issue(reads.length);
      };
      issueThrough(ahead - 1);
      for (let k = 0; ; k++) {
        issueThrough(k);
        const batch = await reads[k];
        if (!batch) break;
        // Only the batch being written lives on: once taken, the reader lets it go.
        reads[k] = Promise.resolve(undefined);
        issueThrough(k + ahead);
        yield batch;
      }
      const totals = await (totalsRead ?? within(first.manager, 'REPEATABLE READ', () => this.totals(report)));
      for (const runner of runners.slice(1)) await runner.commitTransaction();
      if (totals.indicatorTotals) yield { sections: [], ...totals };
      await first.commitTransaction();
    } finally {
      // A reader that stopped early may leave batches being read: each connection finishes its own before the rollback.
      await Promise.allSettled([...reads, ...ready, totalsRead]);
      for (const runner of runners) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        await runner.release();
      }
    }
  }

  private batch(report: ResolvedReport, clusters: ClusterRow[], rows: ReportRows): ReportBatch {
    const batch: ReportBatch = { sections: assemble(clusters, rows, report.period) };
    if (rows.latestComments) batch.latestComments = new Map(rows.latestComments.map((r) => [r.subject_id, r.comment]));
    return batch;
  }

  private head(period: ReportPeriod, funder?: ReportFunder): ReportHead {
    return {
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      // Only a period ending on or after CALENDAR_DATES_SINCE says its days: an ended report keeps the bytes it always had.
      ...(saysCalendarDates(period) ? { fromDate: period.fromDate, toDate: period.toDate } : {}),
      period: period.name,
      complete: isComplete(period),
      timeZone: this.env.REPORT_TIME_ZONE,
      // Only a report known later than `to` says so: one as known at `to` keeps the bytes it always had.
      ...(period.knownAt ? { knownAt: period.knownAt.toISOString() } : {}),
      ...(funder ? { funder } : {}),
    };
  }
}
