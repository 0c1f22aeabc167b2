import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { EXAMPLE_IDS } from '../auth/example-callers.js';
import type { Page } from '../common/pagination.js';
import { namedQuery, pageRows, rowToEntity } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import { updateVersion } from '../database/versioned-update.js';
import { rowsAt } from '../revisions/as-of.js';
import { Narrative } from './narrative.entity.js';

/** The fields a PUT writes. */
export type NarrativeFields = Pick<Narrative, 'summary' | 'results' | 'deviations' | 'nextSteps'>;

const EXAMPLE_PERIOD = '2026-Q2';
const EXAMPLE_INSTANT = new Date('2026-06-30T12:00:00Z');
const EXAMPLE_FIELDS: NarrativeFields = {
  summary: 'Två nya medlemmar.',
  results: null,
  deviations: null,
  nextSteps: 'Workshop i augusti.',
};

function exampleNarrative(): Narrative {
  return Object.assign(new Narrative(), {
    id: '00000000-0000-4000-8000-00000000aa01',
    clusterId: EXAMPLE_IDS.cluster,
    period: EXAMPLE_PERIOD,
    version: 2,
    ...EXAMPLE_FIELDS,
  });
}

/** The narratives of clusters' periods: every statement the narratives' service sends, but the revisions. */
@Injectable()
export class NarrativesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private narrativeOf(manager: EntityManager, row: Record<string, unknown>): Narrative {
    return rowToEntity(manager.getRepository(Narrative), row);
  }

  /** The narrative of a period of a cluster; with `asOf`, as it was then. */
  @GenerateSql(
    { name: 'a period', args: () => [EXAMPLE_IDS.cluster, EXAMPLE_PERIOD, undefined] },
    { name: 'a period as it was', args: () => [EXAMPLE_IDS.cluster, EXAMPLE_PERIOD, EXAMPLE_INSTANT] },
  )
  async find(clusterId: string, period: string, asOf: Date | undefined): Promise<Narrative | undefined> {
    const manager = db(this.dataSource);
    const [row] = await namedQuery(
      manager,
      `SELECT n.* FROM ${rowsAt('narrative', asOf, 'live.cluster_id = :clusterId AND live.period = :period')} n
       WHERE n.cluster_id = :clusterId AND n.period = :period`,
      { clusterId, period, asOf },
    );
    return row ? this.narrativeOf(manager, row) : undefined;
  }

  /** A page of a cluster's narratives, newest period first (a year before its halves and quarters). */
  @GenerateSql(
    { name: 'the first page', args: () => [EXAMPLE_IDS.cluster, undefined, { limit: 20, offset: 0 }] },
    { name: 'a page as it was', args: () => [EXAMPLE_IDS.cluster, EXAMPLE_INSTANT, { limit: 20, offset: 20 }] },
  )
  async list(clusterId: string, asOf: Date | undefined, page: { limit: number; offset: number }): Promise<Page<Narrative>> {
    const manager = db(this.dataSource);
    const from = `${rowsAt('narrative', asOf, 'live.cluster_id = :clusterId')} n`;
    const { rows, total } = await pageRows<Record<string, unknown>>(
      manager,
      {
        columns: 'n.*',
        from,
        where: { sql: 'n.cluster_id = :clusterId', params: { clusterId, asOf } },
        orderBy: 'n.first_day DESC, n.last_day DESC',
      },
      page,
    );
    return { items: rows.map((r) => this.narrativeOf(manager, r)), total, limit: page.limit, offset: page.offset };
  }

  /** Whether the cluster is archived, share-locked: archiving it waits for the write under way. */
  @GenerateSql({ name: 'a cluster', args: () => [EXAMPLE_IDS.cluster] })
  async lockCluster(clusterId: string): Promise<{ archived: boolean } | undefined> {
    const [cluster] = await namedQuery<{ archived: boolean }>(
      db(this.dataSource),
      `SELECT archived_at IS NOT NULL AS archived FROM cluster WHERE id = :clusterId FOR SHARE`,
      { clusterId },
    );
    return cluster;
  }

  /** The narrative of a period, locked for the write under way. */
  @GenerateSql({ name: 'a period', args: () => [EXAMPLE_IDS.cluster, EXAMPLE_PERIOD] })
  async locked(clusterId: string, period: string): Promise<Narrative | undefined> {
    const manager = db(this.dataSource);
    const [row] = await namedQuery(manager, `SELECT * FROM narrative WHERE cluster_id = :clusterId AND period = :period FOR UPDATE`, {
      clusterId,
      period,
    });
    return row ? this.narrativeOf(manager, row) : undefined;
  }

  /** Adds the narrative of a period; none when another was made at the same moment. */
  @GenerateSql({
    name: 'a first narrative',
    args: () => [{ clusterId: EXAMPLE_IDS.cluster, period: EXAMPLE_PERIOD, first: '2026-04-01', last: '2026-06-30' }, EXAMPLE_FIELDS],
  })
  async insert(
    at: { clusterId: string; period: string; first: string; last: string },
    fields: NarrativeFields,
  ): Promise<Narrative | undefined> {
    const manager = db(this.dataSource);
    const [row] = await namedQuery(
      manager,
      `INSERT INTO narrative (cluster_id, period, first_day, last_day, summary, results, deviations, next_steps)
       VALUES (:clusterId, :period, :first, :last, :summary, :results, :deviations, :nextSteps)
       ON CONFLICT (cluster_id, period) DO NOTHING
       RETURNING *`,
      { ...at, ...fields },
    );
    return row ? this.narrativeOf(manager, row) : undefined;
  }

  /** Replaces the fields of the locked narrative and raises its version: the narrative changed, or none when nothing would change. */
  @GenerateSql({ name: 'new text', args: () => [exampleNarrative(), { ...EXAMPLE_FIELDS, results: 'Tre ansökningar.' }] })
  update(current: Narrative, fields: NarrativeFields): Promise<Narrative | undefined> {
    return updateVersion(db(this.dataSource), Narrative, current, { ...fields });
  }
}
