import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EXAMPLE_IDS } from '../auth/example-callers.js';
import { pageRows } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';

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

/** What came after a submission was made: the measurements its frozen report does not hold. */
@Injectable()
export class LateEntriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The measurements of the cluster recorded after `knownAt` and measured in the period, oldest first, with their total. */
  @GenerateSql(
    { name: 'the first page', args: () => [EXAMPLE_LATE, { limit: 50, offset: 0 }] },
    { name: 'a page past the end, counted apart', args: () => [EXAMPLE_LATE, { limit: 50, offset: 100 }] },
  )
  lateEntries(of: LateEntriesOf, page: { limit: number; offset: number }): Promise<{ rows: LateEntryRow[]; total: number }> {
    return pageRows<LateEntryRow>(
      db(this.dataSource),
      {
        columns: 'm.id, m.goal_id, g.title AS goal_title, m.value, m.measured_on, m.comment, m.created_at, m.author',
        from: 'measurement m JOIN goal g ON g.id = m.goal_id',
        where: {
          sql: 'g.cluster_id = :clusterId AND m.created_at > :knownAt AND m.measured_on BETWEEN :firstDay AND :lastDay',
          params: { clusterId: of.clusterId, knownAt: of.knownAt, firstDay: of.firstDay, lastDay: of.lastDay },
        },
        orderBy: 'm.created_at, m.id',
      },
      page,
    );
  }
}
