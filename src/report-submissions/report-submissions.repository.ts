import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { readableClusters, readableFunders, readableFundings, readableSubmissions } from '../auth/access.js';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import type { Page } from '../common/pagination.js';
import { firstRow, namedQuery, pageRows, rowToEntity, Where } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import type { ReportingPeriod } from '../funders/funder.entity.js';
import { asOfRows } from '../revisions/as-of.js';
import { ReportSubmission } from './report-submission.entity.js';

type Row = Record<string, unknown>;

const LIVE_STATES = `('submitted', 'acknowledged')`;
const KEY_WHERE = `cluster_id = :clusterId AND funder_id = :funderId AND period_from = :from AND period_to = :to`;

/** A cluster's report to a funder for a period: at most one of them live. */
export interface SubmissionKey {
  clusterId: string;
  funderId: string;
  from: Date;
  to: Date;
}

/** What a new submission records. */
export interface NewSubmission extends SubmissionKey {
  period: string | null;
  firstDay: string;
  lastDay: string;
  sha256: string;
  now: Date;
  author: string;
  authorKeyId: string;
  comment: string | null;
  previous: string | null;
}

/** Which submissions a list holds: a cluster's (to one funder, if given) or a funder's (from one cluster, if given). */
export type SubmissionsOf = { clusterId: string; funderId?: string } | { funderId: string; clusterId?: string; byFunder: true };

export interface SubmissionFilters {
  state?: string;
  period?: string;
  limit: number;
  offset: number;
}

const EXAMPLE_SUBMISSION = '00000000-0000-4000-8000-00000000d001';
const EXAMPLE_KEY: SubmissionKey = {
  clusterId: EXAMPLE_IDS.cluster,
  funderId: EXAMPLE_IDS.funder,
  from: new Date('2025-12-31T23:00:00Z'),
  to: new Date('2026-03-31T21:59:59.999Z'),
};

/** A live funding, with what its funder asks of reports and its cluster's name. */
export interface DueFundingRow {
  id: string;
  cluster_id: string;
  cluster_name: string;
  funder_id: string;
  starts_on: string;
  ends_on: string;
  reporting_period: 'quarterly' | 'half_yearly' | 'yearly';
  report_due_days: number;
}

/** The newest submission of a cluster to a funder for a period. */
export interface NewestSubmissionRow {
  cluster_id: string;
  funder_id: string;
  period_from: Date;
  period_to: Date;
  id: string;
  state: string;
}

/** The submissions of reports: what they hold, what is due, and what came after. */
@Injectable()
export class ReportSubmissionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether the cluster or funder `id` is one the caller may read. */
  @GenerateSql(
    { name: 'a cluster, for an editor key', args: () => [exampleCaller('editor'), 'cluster', EXAMPLE_IDS.cluster] },
    { name: 'a funder, for a funder key', args: () => [exampleCaller('funder'), 'funder', EXAMPLE_IDS.funder] },
  )
  async readable(caller: Caller, table: 'cluster' | 'funder', id: string): Promise<boolean> {
    const visible = table === 'cluster' ? readableClusters(caller, 'x.id') : readableFunders(caller, 'x.id');
    const [row] = await namedQuery(db(this.dataSource), `SELECT 1 FROM "${table}" x WHERE x.id = :id AND ${visible.sql}`, {
      id,
      ...visible.params,
    });
    return row !== undefined;
  }

  /** The live fundings of a funder or of a cluster the caller may read, with what their funders ask of reports. */
  @GenerateSql(
    { name: 'the fundings of a funder, for an admin key', args: () => [exampleCaller('admin'), { funderId: EXAMPLE_IDS.funder }] },
    { name: 'the fundings of a cluster, for an editor key', args: () => [exampleCaller('editor'), { clusterId: EXAMPLE_IDS.cluster }] },
  )
  dueFundings(caller: Caller, of: { funderId: string } | { clusterId: string }): Promise<DueFundingRow[]> {
    const [condition, params] =
      'funderId' in of
        ? ['fd.funder_id = :funderId', { funderId: of.funderId }]
        : ['fd.cluster_id = :clusterId', { clusterId: of.clusterId }];
    const visible = readableFundings(caller, 'fd');
    return namedQuery<DueFundingRow>(
      db(this.dataSource),
      `SELECT fd.id, fd.cluster_id, c.name AS cluster_name, fd.funder_id, fd.starts_on, fd.ends_on, f.reporting_period, f.report_due_days
       FROM funding fd JOIN funder f ON f.id = fd.funder_id JOIN cluster c ON c.id = fd.cluster_id
       WHERE ${condition} AND fd.archived_at IS NULL AND ${visible.sql}`,
      { ...params, ...visible.params },
    );
  }

  /** The newest submission per period of each pair of a cluster and a funder. */
  @GenerateSql({
    name: 'the newest submissions of two pairs',
    args: () => [
      [
        { cluster_id: EXAMPLE_IDS.cluster, funder_id: EXAMPLE_IDS.funder },
        { cluster_id: EXAMPLE_IDS.otherCluster, funder_id: EXAMPLE_IDS.funder },
      ],
    ],
  })
  newestSubmissions(pairs: { cluster_id: string; funder_id: string }[]): Promise<NewestSubmissionRow[]> {
    return namedQuery<NewestSubmissionRow>(
      db(this.dataSource),
      `SELECT DISTINCT ON (s.cluster_id, s.funder_id, s.period_from, s.period_to) s.cluster_id, s.funder_id, s.period_from, s.period_to, s.id, s.state
       FROM report_submission s
       WHERE (s.cluster_id, s.funder_id) IN (SELECT x.cluster_id, x.funder_id FROM unnest(CAST(:clusters AS uuid[]), CAST(:funders AS uuid[])) AS x(cluster_id, funder_id))
       ORDER BY s.cluster_id, s.funder_id, s.period_from, s.period_to, s.submitted_at DESC, s.id`,
      { clusters: pairs.map((f) => f.cluster_id), funders: pairs.map((f) => f.funder_id) },
    );
  }

  private get submissions(): Repository<ReportSubmission> {
    return db(this.dataSource).getRepository(ReportSubmission);
  }

  /** The database's clock, to the millisecond; as the first statement of a transaction, the instant its snapshot is of. */
  @GenerateSql({ name: 'now', args: () => [] })
  async now(): Promise<Date> {
    const [row] = await namedQuery<{ now: Date }>(db(this.dataSource), `SELECT date_trunc('milliseconds', clock_timestamp()) AS now`, {});
    return row?.now ?? new Date(0);
  }

  /** Whether the cluster is archived, if the caller may read it. */
  @GenerateSql({ name: 'a cluster, for an editor key', args: () => [exampleCaller('editor'), EXAMPLE_IDS.cluster] })
  async clusterToSubmit(caller: Caller, clusterId: string): Promise<{ archived: boolean } | undefined> {
    const visible = readableClusters(caller, 'c.id');
    const [cluster] = await namedQuery<{ archived: boolean }>(
      db(this.dataSource),
      `SELECT c.archived_at IS NOT NULL AS archived FROM cluster c WHERE c.id = :clusterId AND ${visible.sql}`,
      { clusterId, ...visible.params },
    );
    return cluster;
  }

  /** Whether the funder funds the cluster in the period, as the fundings stood at its end. */
  @GenerateSql({
    name: 'a funding in the first quarter',
    args: () => [EXAMPLE_IDS.cluster, EXAMPLE_IDS.funder, { to: EXAMPLE_KEY.to, fromDate: '2026-01-01', toDate: '2026-03-31' }],
  })
  async funds(clusterId: string, funderId: string, period: { to: Date; fromDate: string; toDate: string }): Promise<boolean> {
    const [funding] = await namedQuery(
      db(this.dataSource),
      `SELECT 1 FROM ${asOfRows('funding', 'live.cluster_id = :clusterId AND live.funder_id = :funderId')} fd
       WHERE fd.archived_at IS NULL AND fd.starts_on <= :toDate AND fd.ends_on >= :fromDate`,
      { clusterId, funderId, asOf: period.to, fromDate: period.fromDate, toDate: period.toDate },
    );
    return funding !== undefined;
  }

  /** A funder's name and reporting period. */
  @GenerateSql({ name: 'a funder', args: () => [EXAMPLE_IDS.funder] })
  async funderRhythm(funderId: string): Promise<{ name: string; reporting_period: ReportingPeriod } | undefined> {
    const [funder] = await namedQuery<{ name: string; reporting_period: ReportingPeriod }>(
      db(this.dataSource),
      `SELECT name, reporting_period FROM funder WHERE id = :funderId`,
      { funderId },
    );
    return funder;
  }

  /** The submitted or acknowledged submission of the cluster to the funder for the period, if any. */
  @GenerateSql({ name: 'the live submission of a quarter', args: () => [EXAMPLE_KEY] })
  async live(key: SubmissionKey): Promise<{ id: string; state: string } | undefined> {
    const [live] = await namedQuery<{ id: string; state: string }>(
      db(this.dataSource),
      `SELECT id, state FROM report_submission WHERE ${KEY_WHERE} AND state IN ${LIVE_STATES}`,
      { ...key },
    );
    return live;
  }

  /** The newest returned submission of the cluster to the funder for the period, if any. */
  @GenerateSql({ name: 'the last returned submission of a quarter', args: () => [EXAMPLE_KEY] })
  async lastReturned(key: SubmissionKey): Promise<{ id: string } | undefined> {
    const [previous] = await namedQuery<{ id: string }>(
      db(this.dataSource),
      `SELECT id FROM report_submission WHERE ${KEY_WHERE} AND state = 'returned' ORDER BY submitted_at DESC, id LIMIT 1`,
      { ...key },
    );
    return previous;
  }

  /** Records a submission; its id. A live one for the same period makes it fail on uq_report_submission__period. */
  @GenerateSql({
    name: 'a submission of a quarter',
    args: () => [
      {
        ...EXAMPLE_KEY,
        period: '2026-Q1',
        firstDay: '2026-01-01',
        lastDay: '2026-03-31',
        sha256: '0'.repeat(64),
        now: new Date('2026-04-02T08:00:00Z'),
        author: 'example editor key',
        authorKeyId: '00000000-0000-4000-8000-00000000a001',
        comment: null,
        previous: null,
      },
    ],
  })
  async insert(values: NewSubmission): Promise<string> {
    const [row] = await namedQuery<{ id: string }>(
      db(this.dataSource),
      `INSERT INTO report_submission (cluster_id, funder_id, period, period_from, period_to, first_day, last_day, sha256,
                                              submitted_at, known_at, submitted_by, submitted_by_key_id, comment, previous_submission_id)
               VALUES (:clusterId, :funderId, :period, :from, :to, :firstDay, :lastDay, :sha256,
                       :now, :now, :author, :authorKeyId, :comment, :previous)
               RETURNING id`,
      { ...values },
    );
    return row?.id ?? '';
  }

  /** Keeps the rendered report of a submission, byte for byte. */
  @GenerateSql({ name: 'a report', args: () => [EXAMPLE_SUBMISSION, Buffer.from('{}'), '0'.repeat(64), {}] })
  async storeReport(id: string, body: Buffer, sha256: string, comments: Record<string, string>): Promise<void> {
    await namedQuery(
      db(this.dataSource),
      `INSERT INTO submitted_report (submission_id, body, sha256, latest_comments) VALUES (:id, :body, :sha256, CAST(:comments AS jsonb))`,
      { id, body, sha256, comments: JSON.stringify(comments) },
    );
  }

  /** The submission with the id (which must exist). */
  @GenerateSql({ name: 'a submission by id', args: () => [EXAMPLE_SUBMISSION] })
  submission(id: string): Promise<ReportSubmission> {
    return this.submissions.findOneByOrFail({ id });
  }

  /** A submission the caller may read, if any; with `forUpdate`, locked until the end of the transaction. */
  @GenerateSql(
    { name: 'a submission, for a funder key', args: () => [exampleCaller('funder'), EXAMPLE_SUBMISSION] },
    { name: 'a submission to decide, locked', args: () => [exampleCaller('funder'), EXAMPLE_SUBMISSION, true] },
  )
  find(caller: Caller, id: string, forUpdate = false): Promise<ReportSubmission | null> {
    const visible = readableSubmissions(caller, 's');
    const qb = this.submissions.createQueryBuilder('s').where('s.id = :id', { id }).andWhere(visible.sql, visible.params);
    if (forUpdate) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** A page of the submissions the caller may read, newest first, each with its cluster's name. */
  @GenerateSql(
    {
      name: "a cluster's submissions, for an editor key",
      args: () => [exampleCaller('editor'), { clusterId: EXAMPLE_IDS.cluster }, { limit: 50, offset: 0 }],
    },
    {
      name: "a funder's returned submissions from a cluster, for a funder key",
      args: () => [
        exampleCaller('funder'),
        { funderId: EXAMPLE_IDS.funder, clusterId: EXAMPLE_IDS.cluster, byFunder: true },
        { state: 'returned', period: '2026-Q1', limit: 50, offset: 0 },
      ],
    },
  )
  async list(
    caller: Caller,
    of: SubmissionsOf,
    filters: SubmissionFilters,
  ): Promise<Page<{ submission: ReportSubmission; clusterName: string }>> {
    const where =
      'byFunder' in of
        ? new Where().add('s.funder_id = :funderId', { funderId: of.funderId }).when(of.clusterId, 's.cluster_id = :clusterId', {
            clusterId: of.clusterId,
          })
        : new Where().add('s.cluster_id = :clusterId', { clusterId: of.clusterId }).when(of.funderId, 's.funder_id = :funderId', {
            funderId: of.funderId,
          });
    const visible = readableSubmissions(caller, 's');
    where
      .add(visible.sql, visible.params)
      .when(filters.state, 's.state = :state', { state: filters.state })
      .when(filters.period, 's.period = :period', { period: filters.period });
    const manager = db(this.dataSource);
    const { rows, total } = await pageRows<Row & { cluster_name: string }>(
      manager,
      {
        columns: 's.*, c.name AS cluster_name',
        from: 'report_submission s JOIN cluster c ON c.id = s.cluster_id',
        where,
        orderBy: 's.submitted_at DESC, s.id',
        countFrom: 'report_submission s',
      },
      filters,
    );
    return {
      items: rows.map((row) => ({ submission: rowToEntity(this.submissions, row), clusterName: row.cluster_name })),
      total,
      limit: filters.limit,
      offset: filters.offset,
    };
  }

  /** The frozen report of a submission. */
  @GenerateSql({ name: 'a frozen report', args: () => [EXAMPLE_SUBMISSION] })
  async storedReport(id: string): Promise<{ body: Buffer; sha256: string; latest_comments: Record<string, string> } | undefined> {
    const [stored] = await namedQuery<{ body: Buffer; sha256: string; latest_comments: Record<string, string> }>(
      db(this.dataSource),
      `SELECT body, sha256, latest_comments FROM submitted_report WHERE submission_id = :id`,
      { id },
    );
    return stored;
  }

  /** Acknowledges or returns a submission while it is still submitted; the submission then, or none. */
  @GenerateSql({
    name: 'an acknowledgement',
    args: () => [EXAMPLE_SUBMISSION, 'acknowledged', exampleCaller('funder'), 'Thank you.'],
  })
  async decide(
    id: string,
    decision: 'acknowledged' | 'returned',
    caller: Caller,
    comment: string | undefined,
  ): Promise<ReportSubmission | undefined> {
    const result = await this.submissions
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
    return row ? rowToEntity(this.submissions, row) : undefined;
  }
}
