import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readableClusters, readableFunders, readableFundings } from '../auth/access.js';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';

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

/** A measurement recorded after a submission was made, in its period. */
export interface LateEntryRow {
  id: string;
  goal_id: string;
  goal_title: string;
  value: string;
  measured_on: string;
  comment: string | null;
  created_at: Date;
  author: string;
  total_count: string;
}

/** What a submission is known at and covers: where its late entries are looked for. */
export interface LateEntriesOf {
  clusterId: string;
  knownAt: Date;
  firstDay: string;
  lastDay: string;
}

const EXAMPLE_LATE: LateEntriesOf = {
  clusterId: EXAMPLE_IDS.cluster,
  knownAt: new Date('2026-07-01T08:00:00Z'),
  firstDay: '2026-01-01',
  lastDay: '2026-06-30',
};

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

  /** The measurements of the cluster recorded after `knownAt` and measured in the period, oldest first, with their total. */
  @GenerateSql(
    { name: 'the first page', args: () => [EXAMPLE_LATE, { limit: 50, offset: 0 }] },
    { name: 'a page past the end, counted apart', args: () => [EXAMPLE_LATE, { limit: 50, offset: 100 }] },
  )
  async lateEntries(of: LateEntriesOf, page: { limit: number; offset: number }): Promise<{ rows: LateEntryRow[]; total: number }> {
    const rows = await namedQuery<LateEntryRow>(
      db(this.dataSource),
      `SELECT m.id, m.goal_id, g.title AS goal_title, m.value, m.measured_on, m.comment, m.created_at, m.author,
              count(*) OVER () AS total_count
       FROM measurement m JOIN goal g ON g.id = m.goal_id
       WHERE g.cluster_id = :clusterId AND m.created_at > :knownAt AND m.measured_on BETWEEN :firstDay AND :lastDay
       ORDER BY m.created_at, m.id LIMIT :limit OFFSET :offset`,
      {
        clusterId: of.clusterId,
        knownAt: of.knownAt,
        firstDay: of.firstDay,
        lastDay: of.lastDay,
        limit: page.limit,
        offset: page.offset,
      },
    );
    if (rows.length > 0) return { rows, total: Number(rows[0].total_count) };
    if (page.offset === 0) return { rows, total: 0 };
    const [count] = await namedQuery<{ n: string }>(
      db(this.dataSource),
      `SELECT count(*) AS n FROM measurement m JOIN goal g ON g.id = m.goal_id
                   WHERE g.cluster_id = :clusterId AND m.created_at > :knownAt AND m.measured_on BETWEEN :firstDay AND :lastDay`,
      {
        clusterId: of.clusterId,
        knownAt: of.knownAt,
        firstDay: of.firstDay,
        lastDay: of.lastDay,
      },
    );
    return { rows, total: Number(count?.n ?? 0) };
  }
}
