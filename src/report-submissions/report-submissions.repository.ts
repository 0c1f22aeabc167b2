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
}
