import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { assertCanWriteCluster, readableClusters, readableFunders, readableFundings, readableSubmissions } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { countPastEnd, firstRow, namedQuery, rowToEntity, Where } from '../common/sql.js';
import { Environment } from '../config/environment.js';
import { db, transaction } from '../database/transaction-context.js';
import { checkVersion } from '../database/versioned-update.js';
import type { ReportingPeriod } from '../funders/funder.entity.js';
import { parsePeriod, type ReportPeriod } from '../reports/period.js';
import { ReportLimiter } from '../reports/report-limiter.js';
import { ReportsService } from '../reports/reports.service.js';
import { asOfRows } from '../revisions/as-of.js';
import { recordRevision } from '../revisions/record.js';
import type {
  CreateReportSubmissionDto,
  LateEntryResponse,
  ListClusterSubmissionsQueryDto,
  ListFunderSubmissionsQueryDto,
  ReportSubmissionListItem,
  ReportSubmissionResponse,
  SubmissionDueResponse,
  SubmissionsDueQueryDto,
} from './dto/report-submission.dto.js';
import { toReportSubmissionResponse } from './dto/report-submissions.mapper.js';
import { ReportSubmission } from './report-submission.entity.js';
import { duePeriods, offRhythm } from './due-periods.js';

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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reports: ReportsService,
    private readonly limiter: ReportLimiter,
    private readonly env: Environment,
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
    return this.limiter.run(() =>
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
          await recordRevision(manager, 'report_submission', { id }, caller, 'created');
          return toReportSubmissionResponse(await manager.getRepository(ReportSubmission).findOneByOrFail({ id }));
        },
        'REPEATABLE READ',
      ),
    );
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
  private async find(caller: Caller, id: string, forUpdate = false): Promise<ReportSubmission> {
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
    await this.assertReadable('cluster', readableClusters(caller, 'x.id'), clusterId);
    const where = new Where().add('s.cluster_id = :clusterId', { clusterId }).when(query.funderId, 's.funder_id = :funderId', {
      funderId: query.funderId,
    });
    return this.list(caller, where, query);
  }

  /** The submissions to a funder the caller may read (404 otherwise); an editor sees its clusters' only. */
  async listForFunder(caller: Caller, funderId: string, query: ListFunderSubmissionsQueryDto): Promise<Page<ReportSubmissionListItem>> {
    await this.assertReadable('funder', readableFunders(caller, 'x.id'), funderId);
    const where = new Where().add('s.funder_id = :funderId', { funderId }).when(query.clusterId, 's.cluster_id = :clusterId', {
      clusterId: query.clusterId,
    });
    return this.list(caller, where, query);
  }

  private async assertReadable(table: 'cluster' | 'funder', visible: { sql: string; params: Row }, id: string): Promise<void> {
    const [row] = await namedQuery(db(this.dataSource), `SELECT 1 FROM "${table}" x WHERE x.id = :id AND ${visible.sql}`, {
      id,
      ...visible.params,
    });
    if (!row) throw DomainError.notFound(`The ${table}`);
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

  /**
   * Measurements of the cluster recorded after the moment the submission is known at (its knownAt: the submission
   * itself, or the end of the period for one made before knownAt existed) whose measuredOn falls in its period,
   * oldest first: what its frozen report does not hold.
   */
  async lateEntries(caller: Caller, id: string, page: { limit: number; offset: number }): Promise<Page<LateEntryResponse>> {
    const submission = await this.find(caller, id);
    // The submission stays readable to the funder it was sent to; the cluster's measurements since are read by
    // the rule of now: a funder whose funding was archived no longer reads them.
    const cluster = readableClusters(caller, 'c.id');
    const [current] = await namedQuery(db(this.dataSource), `SELECT 1 FROM cluster c WHERE c.id = :clusterId AND ${cluster.sql}`, {
      ...cluster.params,
      clusterId: submission.clusterId,
    });
    if (!current) {
      throw new DomainError(
        'not-found',
        HttpStatus.NOT_FOUND,
        "This key no longer reads the submission's cluster, so not its measurements since (the submission and its report stay readable).",
      );
    }
    const rows = await namedQuery<{
      id: string;
      goal_id: string;
      goal_title: string;
      value: string;
      measured_on: string;
      comment: string | null;
      created_at: Date;
      author: string;
      total_count: string;
    }>(
      db(this.dataSource),
      `SELECT m.id, m.goal_id, g.title AS goal_title, m.value, m.measured_on, m.comment, m.created_at, m.author,
              count(*) OVER () AS total_count
       FROM measurement m JOIN goal g ON g.id = m.goal_id
       WHERE g.cluster_id = :clusterId AND m.created_at > :knownAt AND m.measured_on BETWEEN :firstDay AND :lastDay
       ORDER BY m.created_at, m.id LIMIT :limit OFFSET :offset`,
      {
        clusterId: submission.clusterId,
        knownAt: submission.knownAt,
        firstDay: submission.firstDay,
        lastDay: submission.lastDay,
        limit: page.limit,
        offset: page.offset,
      },
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total_count)
        : page.offset === 0
          ? 0
          : Number(
              (
                await namedQuery<{ n: string }>(
                  db(this.dataSource),
                  `SELECT count(*) AS n FROM measurement m JOIN goal g ON g.id = m.goal_id
                   WHERE g.cluster_id = :clusterId AND m.created_at > :knownAt AND m.measured_on BETWEEN :firstDay AND :lastDay`,
                  {
                    clusterId: submission.clusterId,
                    knownAt: submission.knownAt,
                    firstDay: submission.firstDay,
                    lastDay: submission.lastDay,
                  },
                )
              )[0].n,
            );
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

  /** What a funder is due from the clusters it funds (those the caller may read); 404 for a funder the caller may not read. */
  async dueForFunder(caller: Caller, funderId: string, query: SubmissionsDueQueryDto): Promise<Page<SubmissionDueResponse>> {
    await this.assertReadable('funder', readableFunders(caller, 'x.id'), funderId);
    return this.due(caller, 'fd.funder_id = :funderId', { funderId }, query);
  }

  /** What a cluster owes its funders (those the caller may read); 404 for a cluster the caller may not read. */
  async dueForCluster(caller: Caller, clusterId: string, query: SubmissionsDueQueryDto): Promise<Page<SubmissionDueResponse>> {
    await this.assertReadable('cluster', readableClusters(caller, 'x.id'), clusterId);
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
    }>(
      manager,
      `SELECT fd.id, fd.cluster_id, c.name AS cluster_name, fd.funder_id, fd.starts_on, fd.ends_on, f.reporting_period
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
