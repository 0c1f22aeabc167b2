import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { assertCanWriteCluster } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { Environment } from '../config/environment.js';
import { afterCommit, transaction } from '../database/transaction-context.js';
import { checkVersion } from '../database/versioned-update.js';
import { parsePeriod, type ReportPeriod } from '../reports/read/period.js';
import { ReportLimiter } from '../reports/deliver/report-limiter.js';
import { ReportsService } from '../reports/reports.service.js';
import { recordRevision } from '../revisions/record.js';
import type {
  CreateReportSubmissionDto,
  ListClusterSubmissionsQueryDto,
  ListFunderSubmissionsQueryDto,
  ReportSubmissionListItem,
  ReportSubmissionResponse,
} from './dto/report-submission.dto.js';
import { toReportSubmissionResponse } from './dto/report-submissions.mapper.js';
import { ReportSubmission } from './report-submission.entity.js';
import { StatementsService } from '../signatures/statements.service.js';
import { ReportSubmissionsRepository, type SubmissionFilters, type SubmissionsOf } from './report-submissions.repository.js';
import { offRhythm } from './due-periods.js';

/** The frozen report of a submission: the stored bytes and what the spreadsheet forms need besides. */
export interface StoredReport {
  body: Buffer;
  sha256: string;
  latestComments: Record<string, string>;
  /** The period's name in file names and sheets: `2026-Q3`, or `2026-07-01_2026-09-30`. */
  label: string;
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } }).driverError;
  return driverError?.code === '23505' && driverError.constraint === constraint;
}

/**
 * Submitted reports: a cluster hands its report for a period to a funder, and
 * the funder acknowledges or returns it. The report is rendered once, at
 * submission, and kept byte for byte with its SHA-256 in the transaction that
 * records the submission; what is written to the plan later never changes it.
 */
@Injectable()
export class ReportSubmissionsService {
  private readonly logger = new Logger('ReportSubmissions');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ReportSubmissionsRepository,
    private readonly reports: ReportsService,
    private readonly limiter: ReportLimiter,
    private readonly env: Environment,
    private readonly statements: StatementsService,
  ) {}

  /**
   * Renders the cluster's report for the funder and period and keeps it, with
   * the submission and its revision, in one REPEATABLE READ transaction: the
   * checks, the report and the row see one snapshot. The partial unique index
   * on (cluster, funder, period) of live submissions decides between
   * concurrent submissions: one is inserted, the others get 409.
   */
  async submit(caller: Caller, clusterId: string, dto: CreateReportSubmissionDto): Promise<ReportSubmissionResponse> {
    const period = parsePeriod(dto, this.env.REPORT_TIME_ZONE, { maxDays: this.env.REPORT_MAX_DAYS });
    const periodField = dto.period !== undefined ? 'period' : 'to';
    const submission = await this.limiter.run(() =>
      transaction(
        this.dataSource,
        async (manager) => {
          // The report as known at the submission: what was recorded by now counts, measurements recorded late and
          // the narrative included. Its first statement takes the snapshot the report is read in, at this instant;
          // the same instant is the submission's submittedAt and knownAt.
          const now = await this.repository.now();
          await this.assertSubmittable(caller, clusterId);
          if (period.to.getTime() >= Date.now()) {
            throw DomainError.rule(periodField, 'The period has not ended yet: a report is submitted once its period is over.');
          }
          await this.assertFunds(clusterId, dto.funderId, period);
          if (dto.period !== undefined) await this.assertRhythm(dto.funderId, dto.period);
          const key = { clusterId, funderId: dto.funderId, from: period.from, to: period.to };
          const live = await this.repository.live(key);
          if (live) throw this.duplicate(periodField, live);
          const previous = await this.repository.lastReturned(key);

          const rendered = await this.reports.renderClusterReport(caller, clusterId, { ...period, knownAt: now }, dto.funderId);
          const sha256 = createHash('sha256').update(rendered.json).digest('hex');
          let id: string;
          try {
            id = await this.repository.insert({
              ...key,
              period: period.name,
              firstDay: period.fromDate,
              lastDay: period.toDate,
              sha256,
              now,
              author: caller.name,
              authorKeyId: caller.keyId,
              comment: dto.comment ?? null,
              previous: previous?.id ?? null,
            });
          } catch (error) {
            if (!isUniqueViolation(error, 'uq_report_submission__period')) throw error;
            throw this.duplicate(periodField);
          }
          await this.repository.storeReport(id, rendered.json, sha256, rendered.latestComments);
          await this.statements.addPending(id);
          await recordRevision(manager, 'report_submission', { id }, caller, 'created');
          return toReportSubmissionResponse(await this.repository.submission(id));
        },
        'REPEATABLE READ',
      ),
    );
    await afterCommit(() => this.sealStatements());
    return submission;
  }

  /**
   * Signs and chains the new submission's statement (and any other pending one). Not in the submission's
   * REPEATABLE READ transaction: its snapshot, taken before the chain lock is had, could miss the head another
   * submission committed meanwhile, and the chain would fork. So, in a transaction of its own once the submission
   * has committed (with an Idempotency-Key, once the key's transaction, which holds the submission, has). Should
   * sealing fail, the submission stands and its statement stays pending: the next sealing (a submission, a read of
   * the statement, start-up) takes it.
   */
  private async sealStatements(): Promise<void> {
    try {
      await this.statements.seal();
    } catch (error) {
      this.logger.error(`Signing the statements of submissions failed: ${(error as Error).message}`);
    }
  }

  private duplicate(field: string, live?: { id: string; state: string }): DomainError {
    const which = live ? `Submission ${live.id} is ${live.state}` : 'Another submission was just made';
    return DomainError.conflict(
      `${which} for this cluster, funder and period; only one may be submitted or acknowledged. A new one may follow once it is returned.`,
      field,
    );
  }

  /** 404 unless the caller may read the cluster; 403 unless it may write it; 409 when it is archived. */
  private async assertSubmittable(caller: Caller, clusterId: string): Promise<void> {
    const cluster = await this.repository.clusterToSubmit(caller, clusterId);
    if (!cluster) throw DomainError.notFound('The cluster');
    assertCanWriteCluster(caller, clusterId);
    if (cluster.archived) throw DomainError.conflict('The cluster is archived; everything in it is read-only.');
  }

  /** 422 unless the funder funds the cluster in the period, as the fundings stood at its end. */
  private async assertFunds(clusterId: string, funderId: string, period: ReportPeriod): Promise<void> {
    if (!(await this.repository.funds(clusterId, funderId, period))) {
      throw DomainError.rule(
        'funderId',
        'funderId names no funder with a funding of this cluster in the period (as the fundings stood at the end of the period).',
      );
    }
  }

  /** 422 unless a named period is one of the funder's rhythm (`reportingPeriod`): a half-yearly funder takes `2026-H1`, never `2026-Q3`. */
  private async assertRhythm(funderId: string, period: string): Promise<void> {
    const funder = await this.repository.funderRhythm(funderId);
    const reason = funder ? offRhythm(funder.reporting_period, period, funder.name) : null;
    if (reason) throw DomainError.rule('period', reason);
  }

  /** A submission the caller may read (404 otherwise); with `forUpdate`, locked until the end of the transaction. */
  async find(caller: Caller, id: string, forUpdate = false): Promise<ReportSubmission> {
    const submission = await this.repository.find(caller, id, forUpdate);
    if (!submission) throw DomainError.notFound('The report submission');
    return submission;
  }

  async get(caller: Caller, id: string): Promise<ReportSubmissionResponse> {
    return toReportSubmissionResponse(await this.find(caller, id));
  }

  /** The submissions of a cluster the caller may read (404 otherwise); a funder key sees those to itself only. */
  async listForCluster(caller: Caller, clusterId: string, query: ListClusterSubmissionsQueryDto): Promise<Page<ReportSubmissionListItem>> {
    if (!(await this.repository.readable(caller, 'cluster', clusterId))) throw DomainError.notFound('The cluster');
    return this.list(caller, { clusterId, funderId: query.funderId }, query);
  }

  /** The submissions to a funder the caller may read (404 otherwise); an editor sees its clusters' only. */
  async listForFunder(caller: Caller, funderId: string, query: ListFunderSubmissionsQueryDto): Promise<Page<ReportSubmissionListItem>> {
    if (!(await this.repository.readable(caller, 'funder', funderId))) throw DomainError.notFound('The funder');
    return this.list(caller, { funderId, clusterId: query.clusterId, byFunder: true }, query);
  }

  private async list(caller: Caller, of: SubmissionsOf, query: SubmissionFilters): Promise<Page<ReportSubmissionListItem>> {
    const page = await this.repository.list(caller, of, query);
    return {
      ...page,
      items: page.items.map(({ submission, clusterName }) => ({ ...toReportSubmissionResponse(submission), clusterName })),
    };
  }

  /** The frozen report of a submission the caller may read (404 otherwise). */
  async report(caller: Caller, id: string): Promise<StoredReport> {
    const submission = await this.find(caller, id);
    const stored = await this.repository.storedReport(id);
    if (!stored) throw new Error(`Submission ${id} has no stored report`);
    const label = submission.period ?? `${submission.firstDay}_${submission.lastDay}`;
    return { body: stored.body, sha256: stored.sha256, latestComments: stored.latest_comments, label };
  }

  /**
   * Acknowledges or returns a submission: a funder key of its funder, or an
   * admin (the route says which roles; the read rule keeps other funders out).
   * The row is locked, so of two decisions at once one wins and the other finds
   * it decided (409); a stale If-Match is a 412.
   */
  async decide(
    caller: Caller,
    id: string,
    decision: 'acknowledged' | 'returned',
    comment: string | undefined,
    ifMatch: number[] | undefined,
  ): Promise<ReportSubmissionResponse> {
    return transaction(this.dataSource, async (manager) => {
      const current = await this.find(caller, id, true);
      checkVersion(current, ifMatch);
      if (current.state !== 'submitted') {
        throw DomainError.conflict(
          `The submission is ${current.state} already; only a submitted report can be acknowledged or returned.`,
          'state',
        );
      }
      const row = await this.repository.decide(id, decision, caller, comment);
      // The lock above rules this out; kept so that the rule holds even without it.
      if (!row) throw DomainError.conflict('The submission was decided meanwhile.', 'state');
      await recordRevision(manager, 'report_submission', { id }, caller, 'status');
      return toReportSubmissionResponse(row);
    });
  }
}
