import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { assertCanWriteCluster, readableClusters, readableFunders, readableSubmissions } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { countPastEnd, firstRow, namedQuery, rowToEntity, Where } from '../common/sql.js';
import { Environment } from '../config/environment.js';
import { afterCommit, db, transaction } from '../database/transaction-context.js';
import { checkVersion } from '../database/versioned-update.js';
import type { ReportingPeriod } from '../funders/funder.entity.js';
import { parsePeriod, type ReportPeriod } from '../reports/period.js';
import { ReportLimiter } from '../reports/report-limiter.js';
import { ReportsService } from '../reports/reports.service.js';
import { asOfRows } from '../revisions/as-of.js';
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
import { assertReadable } from './readable.js';
import { offRhythm } from './due-periods.js';

type Row = Record<string, unknown>;

/** The frozen report of a submission: the stored bytes and what the spreadsheet forms need besides. */
export interface StoredReport {
  body: Buffer;
  sha256: string;
  latestComments: Record<string, string>;
  /** The period's name in file names and sheets: `2026-Q3`, or `2026-07-01_2026-09-30`. */
  label: string;
}

const LIVE_STATES = `('submitted', 'acknowledged')`;

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
    private readonly reports: ReportsService,
    private readonly limiter: ReportLimiter,
    private readonly env: Environment,
    private readonly statements: StatementsService,
  ) {}

  private get repository() {
    return db(this.dataSource).getRepository(ReportSubmission);
  }

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
          const [{ now }] = await namedQuery<{ now: Date }>(manager, `SELECT date_trunc('milliseconds', clock_timestamp()) AS now`, {});
          await this.assertSubmittable(caller, clusterId, manager);
          if (period.to.getTime() >= Date.now()) {
            throw DomainError.rule(periodField, 'The period has not ended yet: a report is submitted once its period is over.');
          }
          await this.assertFunds(manager, clusterId, dto.funderId, period);
          if (dto.period !== undefined) await this.assertRhythm(manager, dto.funderId, dto.period);
          const where = `cluster_id = :clusterId AND funder_id = :funderId AND period_from = :from AND period_to = :to`;
          const params = { clusterId, funderId: dto.funderId, from: period.from, to: period.to };
          const [live] = await namedQuery<{ id: string; state: string }>(
            manager,
            `SELECT id, state FROM report_submission WHERE ${where} AND state IN ${LIVE_STATES}`,
            params,
          );
          if (live) throw this.duplicate(periodField, live);
          const [previous] = await namedQuery<{ id: string }>(
            manager,
            `SELECT id FROM report_submission WHERE ${where} AND state = 'returned' ORDER BY submitted_at DESC, id LIMIT 1`,
            params,
          );

          const rendered = await this.reports.renderClusterReport(caller, clusterId, { ...period, knownAt: now }, dto.funderId);
          const sha256 = createHash('sha256').update(rendered.json).digest('hex');
          let id: string;
          try {
            [{ id }] = await namedQuery<{ id: string }>(
              manager,
              `INSERT INTO report_submission (cluster_id, funder_id, period, period_from, period_to, first_day, last_day, sha256,
                                              submitted_at, known_at, submitted_by, submitted_by_key_id, comment, previous_submission_id)
               VALUES (:clusterId, :funderId, :period, :from, :to, :firstDay, :lastDay, :sha256,
                       :now, :now, :author, :authorKeyId, :comment, :previous)
               RETURNING id`,
              {
                ...params,
                period: period.name,
                firstDay: period.fromDate,
                lastDay: period.toDate,
                sha256,
                now,
                author: caller.name,
                authorKeyId: caller.keyId,
                comment: dto.comment ?? null,
                previous: previous?.id ?? null,
              },
            );
          } catch (error) {
            if (!isUniqueViolation(error, 'uq_report_submission__period')) throw error;
            throw this.duplicate(periodField);
          }
          await namedQuery(
            manager,
            `INSERT INTO submitted_report (submission_id, body, sha256, latest_comments) VALUES (:id, :body, :sha256, CAST(:comments AS jsonb))`,
            { id, body: rendered.json, sha256, comments: JSON.stringify(rendered.latestComments) },
          );
          await this.statements.addPending(manager, id);
          await recordRevision(manager, 'report_submission', { id }, caller, 'created');
          return toReportSubmissionResponse(await manager.getRepository(ReportSubmission).findOneByOrFail({ id }));
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
  private async assertSubmittable(caller: Caller, clusterId: string, manager: EntityManager): Promise<void> {
    const visible = readableClusters(caller, 'c.id');
    const [cluster] = await namedQuery<{ archived: boolean }>(
      manager,
      `SELECT c.archived_at IS NOT NULL AS archived FROM cluster c WHERE c.id = :clusterId AND ${visible.sql}`,
      { clusterId, ...visible.params },
    );
    if (!cluster) throw DomainError.notFound('The cluster');
    assertCanWriteCluster(caller, clusterId);
    if (cluster.archived) throw DomainError.conflict('The cluster is archived; everything in it is read-only.');
  }

  /** 422 unless the funder funds the cluster in the period, as the fundings stood at its end. */
  private async assertFunds(manager: EntityManager, clusterId: string, funderId: string, period: ReportPeriod): Promise<void> {
    const [funding] = await namedQuery(
      manager,
      `SELECT 1 FROM ${asOfRows('funding', 'live.cluster_id = :clusterId AND live.funder_id = :funderId')} fd
       WHERE fd.archived_at IS NULL AND fd.starts_on <= :toDate AND fd.ends_on >= :fromDate`,
      { clusterId, funderId, asOf: period.to, fromDate: period.fromDate, toDate: period.toDate },
    );
    if (!funding) {
      throw DomainError.rule(
        'funderId',
        'funderId names no funder with a funding of this cluster in the period (as the fundings stood at the end of the period).',
      );
    }
  }

  /** 422 unless a named period is one of the funder's rhythm (`reportingPeriod`): a half-yearly funder takes `2026-H1`, never `2026-Q3`. */
  private async assertRhythm(manager: EntityManager, funderId: string, period: string): Promise<void> {
    const [funder] = await namedQuery<{ name: string; reporting_period: ReportingPeriod }>(
      manager,
      `SELECT name, reporting_period FROM funder WHERE id = :funderId`,
      { funderId },
    );
    const reason = funder ? offRhythm(funder.reporting_period, period, funder.name) : null;
    if (reason) throw DomainError.rule('period', reason);
  }

  /** A submission the caller may read (404 otherwise); with `forUpdate`, locked until the end of the transaction. */
  async find(caller: Caller, id: string, forUpdate = false): Promise<ReportSubmission> {
    const visible = readableSubmissions(caller, 's');
    const qb = this.repository.createQueryBuilder('s').where('s.id = :id', { id }).andWhere(visible.sql, visible.params);
    if (forUpdate) qb.setLock('pessimistic_write');
    const submission = await qb.getOne();
    if (!submission) throw DomainError.notFound('The report submission');
    return submission;
  }

  async get(caller: Caller, id: string): Promise<ReportSubmissionResponse> {
    return toReportSubmissionResponse(await this.find(caller, id));
  }

  /** The submissions of a cluster the caller may read (404 otherwise); a funder key sees those to itself only. */
  async listForCluster(caller: Caller, clusterId: string, query: ListClusterSubmissionsQueryDto): Promise<Page<ReportSubmissionListItem>> {
    await assertReadable(db(this.dataSource), 'cluster', readableClusters(caller, 'x.id'), clusterId);
    const where = new Where().add('s.cluster_id = :clusterId', { clusterId }).when(query.funderId, 's.funder_id = :funderId', {
      funderId: query.funderId,
    });
    return this.list(caller, where, query);
  }

  /** The submissions to a funder the caller may read (404 otherwise); an editor sees its clusters' only. */
  async listForFunder(caller: Caller, funderId: string, query: ListFunderSubmissionsQueryDto): Promise<Page<ReportSubmissionListItem>> {
    await assertReadable(db(this.dataSource), 'funder', readableFunders(caller, 'x.id'), funderId);
    const where = new Where().add('s.funder_id = :funderId', { funderId }).when(query.clusterId, 's.cluster_id = :clusterId', {
      clusterId: query.clusterId,
    });
    return this.list(caller, where, query);
  }

  private async list(
    caller: Caller,
    where: Where,
    query: { state?: string; period?: string; limit: number; offset: number },
  ): Promise<Page<ReportSubmissionListItem>> {
    const visible = readableSubmissions(caller, 's');
    where
      .add(visible.sql, visible.params)
      .when(query.state, 's.state = :state', { state: query.state })
      .when(query.period, 's.period = :period', { period: query.period });
    const manager = db(this.dataSource);
    const rows = await namedQuery<Row & { total_count: string; cluster_name: string }>(
      manager,
      `SELECT s.*, c.name AS cluster_name, count(*) OVER () AS total_count
       FROM report_submission s JOIN cluster c ON c.id = s.cluster_id WHERE ${where.sql}
       ORDER BY s.submitted_at DESC, s.id LIMIT :limit OFFSET :offset`,
      { ...where.params, limit: query.limit, offset: query.offset },
    );
    const total = rows.length > 0 ? Number(rows[0].total_count) : await countPastEnd(manager, 'report_submission s', where, query.offset);
    return {
      items: rows.map((row) => ({ ...toReportSubmissionResponse(rowToEntity(this.repository, row)), clusterName: row.cluster_name })),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** The frozen report of a submission the caller may read (404 otherwise). */
  async report(caller: Caller, id: string): Promise<StoredReport> {
    const submission = await this.find(caller, id);
    const [stored] = await namedQuery<{ body: Buffer; sha256: string; latest_comments: Record<string, string> }>(
      db(this.dataSource),
      `SELECT body, sha256, latest_comments FROM submitted_report WHERE submission_id = :id`,
      { id },
    );
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
      const repo = manager.getRepository(ReportSubmission);
      const result = await repo
        .createQueryBuilder()
        .update()
        .set({
          state: decision,
          decidedAt: () => `date_trunc('milliseconds', clock_timestamp())`,
          decidedBy: caller.name,
          decidedByKeyId: caller.keyId,
          decisionComment: comment ?? null,
          version: () => 'version + 1',
        })
        .where(`id = :id AND state = 'submitted'`, { id })
        .returning('*')
        .execute();
      const row = firstRow(result.raw);
      // The lock above rules this out; kept so that the rule holds even without it.
      if (!row) throw DomainError.conflict('The submission was decided meanwhile.', 'state');
      await recordRevision(manager, 'report_submission', { id }, caller, 'status');
      return toReportSubmissionResponse(rowToEntity(repo, row));
    });
  }
}
