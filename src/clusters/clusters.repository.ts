import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { readableClusters, readableFundings } from '../auth/access.js';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { type Page, parseSort } from '../common/pagination.js';
import { escapeLike, firstRow, namedQuery, pageRows, rowToEntity, Where } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import { asOfRows, rowsAt } from '../revisions/as-of.js';
import { Cluster, type Phase } from './cluster.entity.js';

const SORT_COLUMNS: Record<string, string> = {
  name: 'c.name',
  region: 'c.region',
  phase: 'c.phase',
  createdAt: 'c.created_at',
  updatedAt: 'c.updated_at',
};

export interface ClusterFilters {
  includeArchived?: boolean;
  region?: string;
  phase?: Phase;
  q?: string;
  sort?: string;
  limit: number;
  offset: number;
}

export interface ClusterFunderRow {
  cluster_id: string;
  funder_id: string;
  name: string;
  kind: string;
}

const EXAMPLE_INSTANT = new Date('2026-06-30T12:00:00Z');

/** The clusters: every statement the clusters' service sends, but the revisions it records. */
@Injectable()
export class ClustersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `readable`'s statement per visibility condition (a handful: one per role's form of it). */
  private readonly readableSql = new Map<string, string>();

  private get clusters(): Repository<Cluster> {
    return db(this.dataSource).getRepository(Cluster);
  }

  /** A row (from the revisions, or `RETURNING *`) made a cluster. */
  clusterOf(row: Record<string, unknown>): Cluster {
    return rowToEntity(this.clusters, row);
  }

  /** The clusters the caller may read, filtered, sorted and paged; with `asOf`, as they were then. */
  @GenerateSql(
    { name: 'the live clusters of an editor key', args: () => [exampleCaller('editor'), undefined, { limit: 50, offset: 0 }] },
    {
      name: 'the clusters of a region as they were, newest first, for an admin key',
      args: () => [
        exampleCaller('admin'),
        EXAMPLE_INSTANT,
        { includeArchived: true, region: 'Gävleborg', phase: 'formation', q: 'skog', sort: '-createdAt', limit: 20, offset: 0 },
      ],
    },
  )
  async list(caller: Caller, asOf: Date | undefined, filters: ClusterFilters): Promise<Page<Cluster>> {
    const visible = readableClusters(caller, 'c.id');
    const where = new Where().add(visible.sql, { ...visible.params, asOf });
    if (!filters.includeArchived) where.add('c.archived_at IS NULL');
    where
      .when(filters.region, 'lower(c.region) = lower(:region)', { region: filters.region })
      .when(filters.phase, 'c.phase = :phase', { phase: filters.phase })
      .when(filters.q, `c.name ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(filters.q ?? '')}%` });
    const sort = parseSort(filters.sort, SORT_COLUMNS, 'name');
    const from = `${rowsAt('cluster', asOf)} c`;
    const manager = db(this.dataSource);
    const { rows, total } = await pageRows<Record<string, unknown>>(
      manager,
      { columns: 'c.*', from, where, orderBy: `${sort.column} ${sort.direction}, c.id` },
      filters,
    );
    return { items: rows.map((row) => this.clusterOf(row)), total, limit: filters.limit, offset: filters.offset };
  }

  /** Who funds each of the clusters, as far as the caller may see (as of `asOf`, if given): one query for a whole page. */
  @GenerateSql(
    {
      name: 'the funders of two clusters, for a funder key',
      args: () => [exampleCaller('funder'), [EXAMPLE_IDS.cluster, EXAMPLE_IDS.otherCluster]],
    },
    {
      name: 'the funders of a cluster as they were, for an admin key',
      args: () => [exampleCaller('admin'), [EXAMPLE_IDS.cluster], EXAMPLE_INSTANT],
    },
  )
  fundersOf(caller: Caller, clusterIds: string[], asOf?: Date): Promise<ClusterFunderRow[]> {
    const visible = readableFundings(caller, 'fd');
    const funder = asOf ? `LATERAL ${asOfRows('funder', 'live.id = fd.funder_id')}` : 'funder';
    return namedQuery<ClusterFunderRow>(
      this.clusters.manager,
      `SELECT DISTINCT fd.cluster_id, f.id AS funder_id, f.name, f.kind
       FROM ${rowsAt('funding', asOf, 'live.cluster_id IN (:...clusterIds)')} fd JOIN ${funder} f ON f.id = fd.funder_id
       WHERE fd.cluster_id IN (:...clusterIds) AND fd.archived_at IS NULL AND ${visible.sql}
       ORDER BY f.name, f.id`,
      { clusterIds, asOf, ...visible.params },
    );
  }

  /** A cluster the caller may read, archived or not, if any; with `forUpdate`, locked until the end of the transaction. */
  @GenerateSql(
    { name: 'a cluster, for an editor key', args: () => [exampleCaller('editor'), EXAMPLE_IDS.cluster] },
    { name: 'a cluster to change, locked', args: () => [exampleCaller('admin'), EXAMPLE_IDS.cluster, true] },
  )
  find(caller: Caller, id: string, forUpdate = false): Promise<Cluster | null> {
    const visible = readableClusters(caller, 'c.id');
    const qb = this.clusters.createQueryBuilder('c').where('c.id = :id', { id }).andWhere(visible.sql, visible.params);
    if (forUpdate) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /**
   * Whether the caller may read the cluster (archived or not): the statement `find` sends, built once per kind
   * of visibility rather than by the query builder on every request, and its row not made into an entity
   * (GET goals?limit=50 spent a tenth of its CPU doing both).
   */
  @GenerateSql({ name: 'a cluster, for a funder key', args: () => [exampleCaller('funder'), EXAMPLE_IDS.cluster] })
  async readable(caller: Caller, id: string): Promise<boolean> {
    const visible = readableClusters(caller, 'c.id');
    let sql = this.readableSql.get(visible.sql);
    if (sql === undefined) {
      sql = this.clusters.createQueryBuilder('c').where('c.id = :id').andWhere(visible.sql).getQuery();
      this.readableSql.set(visible.sql, sql);
    }
    const rows = await namedQuery(db(this.dataSource), sql, { ...visible.params, id });
    return rows.length > 0;
  }

  /** Whether a cluster is archived, if it exists; share-locked until the end of the transaction. */
  @GenerateSql({ name: 'a cluster, share-locked', args: () => [EXAMPLE_IDS.cluster] })
  async lockArchived(id: string): Promise<{ archived: boolean } | undefined> {
    const [row] = await namedQuery<{ archived: boolean }>(
      db(this.dataSource),
      `SELECT archived_at IS NOT NULL AS archived FROM cluster WHERE id = :id FOR SHARE`,
      { id },
    );
    return row;
  }

  /** The ids among `ids` that name a cluster. */
  @GenerateSql({ name: 'two ids', args: () => [[EXAMPLE_IDS.cluster, EXAMPLE_IDS.otherCluster]] })
  async existing(ids: readonly string[]): Promise<Set<string>> {
    const found = await this.clusters
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .where('c.id IN (:...ids)', { ids })
      .getRawMany<{ id: string }>();
    return new Set(found.map((r) => r.id));
  }

  /** Adds a cluster; the cluster as stored. */
  @GenerateSql({
    name: 'a new cluster',
    args: () => [{ name: 'Skogsklustret', nameKey: 'skogsklustret', region: 'Gävleborg', phase: 'initiation', publicBadge: false }],
  })
  async insert(values: Partial<Cluster>): Promise<Cluster | undefined> {
    const inserted = await this.clusters.createQueryBuilder().insert().values(values).returning('*').execute();
    const row = firstRow(inserted.raw);
    return row ? this.clusterOf(row) : undefined;
  }
}
