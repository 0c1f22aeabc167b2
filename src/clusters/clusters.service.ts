import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { db, transaction } from '../database/transaction-context.js';
import { assertCanWriteCluster, readableClusters, readableFundings } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import { type Page, parseSort } from '../common/pagination.js';
import { foldName } from '../common/text.js';
import { escapeLike, firstRow, namedQuery, rowToEntity } from '../common/sql.js';
import { updateLocked } from '../database/versioned-update.js';
import { recordRevision } from '../revisions/record.js';
import { Cluster } from './cluster.entity.js';
import type { ClusterFunder, ClusterResponse, CreateClusterDto, ListClustersQueryDto, UpdateClusterDto } from './dto/cluster.dto.js';
import { toClusterResponse } from './dto/cluster.mapper.js';

const SORT_COLUMNS: Record<string, string> = {
  name: 'c.name',
  region: 'c.region',
  phase: 'c.phase',
  createdAt: 'c.createdAt',
  updatedAt: 'c.updatedAt',
};

@Injectable()
export class ClustersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get clusters(): Repository<Cluster> {
    return db(this.dataSource).getRepository(Cluster);
  }

  async list(caller: Caller, query: ListClustersQueryDto): Promise<Page<ClusterResponse>> {
    const visible = readableClusters(caller, 'c.id');
    const qb = this.clusters.createQueryBuilder('c').where(visible.sql, visible.params);
    if (!query.includeArchived) qb.andWhere('c.archivedAt IS NULL');
    if (query.region) qb.andWhere('lower(c.region) = lower(:region)', { region: query.region });
    if (query.phase) qb.andWhere('c.phase = :phase', { phase: query.phase });
    if (query.q) qb.andWhere(`c.name ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(query.q)}%` });
    const sort = parseSort(query.sort, SORT_COLUMNS, 'name');
    qb.orderBy(sort.column, sort.direction).addOrderBy('c.id', 'ASC').limit(query.limit).offset(query.offset);
    const [items, total] = await qb.getManyAndCount();
    return { items: await this.respond(caller, items), total, limit: query.limit, offset: query.offset };
  }

  /** A cluster the caller may read, archived or not; 404 otherwise. */
  async read(caller: Caller, id: string): Promise<ClusterResponse> {
    const [response] = await this.respond(caller, [await this.get(caller, id)]);
    return response;
  }

  /** The clusters as answered, each with who funds it as far as the caller may see. */
  private async respond(caller: Caller, clusters: Cluster[]): Promise<ClusterResponse[]> {
    const funders = await this.fundersOf(
      caller,
      clusters.map((c) => c.id),
    );
    return clusters.map((c) => toClusterResponse(c, funders.get(c.id) ?? []));
  }

  /** Who funds each of the clusters, as far as the caller may see: one query for a whole page. */
  private async fundersOf(caller: Caller, clusterIds: string[]): Promise<Map<string, ClusterFunder[]>> {
    const byCluster = new Map<string, ClusterFunder[]>(clusterIds.map((id) => [id, []]));
    if (clusterIds.length === 0) return byCluster;
    const visible = readableFundings(caller, 'fd');
    const rows = await namedQuery<{ cluster_id: string; funder_id: string; name: string; kind: string }>(
      this.clusters.manager,
      `SELECT DISTINCT fd.cluster_id, f.id AS funder_id, f.name, f.kind
       FROM funding fd JOIN funder f ON f.id = fd.funder_id
       WHERE fd.cluster_id IN (:...clusterIds) AND fd.archived_at IS NULL AND ${visible.sql}
       ORDER BY f.name, f.id`,
      { clusterIds, ...visible.params },
    );
    for (const r of rows) byCluster.get(r.cluster_id)?.push({ funderId: r.funder_id, name: r.name, kind: r.kind });
    return byCluster;
  }

  /**
   * A cluster the caller may read, archived or not; 404 otherwise. With
   * `forUpdate`, locked until the end of the transaction, for a change.
   */
  async get(caller: Caller, id: string, forUpdate = false): Promise<Cluster> {
    const visible = readableClusters(caller, 'c.id');
    const qb = this.clusters.createQueryBuilder('c').where('c.id = :id', { id }).andWhere(visible.sql, visible.params);
    if (forUpdate) qb.setLock('pessimistic_write');
    const cluster = await qb.getOne();
    if (!cluster) throw DomainError.notFound('The cluster');
    return cluster;
  }

  /** A cluster whose plan the caller may add to: 404 if unreadable, 403 if read-only to it, 409 if archived. */
  async getForPlanWrite(caller: Caller, id: string): Promise<Cluster> {
    const cluster = await this.get(caller, id);
    assertCanWriteCluster(caller, id);
    if (cluster.archivedAt) throw DomainError.conflict('The cluster is archived; its plan is read-only.');
    return cluster;
  }

  /**
   * Whether a cluster exists and is open to changes of what belongs to it
   * (its fundings); share-locked until the end of the transaction, so that
   * archiving it waits for the change in flight.
   */
  async lockState(id: string): Promise<'missing' | 'archived' | 'open'> {
    const [row] = await namedQuery<{ archived: boolean }>(
      db(this.dataSource),
      `SELECT archived_at IS NOT NULL AS archived FROM cluster WHERE id = :id FOR SHARE`,
      { id },
    );
    if (!row) return 'missing';
    return row.archived ? 'archived' : 'open';
  }

  /** The ids among `ids` that name no cluster. */
  async missing(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const found = await this.clusters
      .createQueryBuilder('c')
      .select('c.id', 'id')
      .where('c.id IN (:...ids)', { ids })
      .getRawMany<{ id: string }>();
    const existing = new Set(found.map((r) => r.id));
    return ids.filter((id) => !existing.has(id));
  }

  async create(caller: Caller, dto: CreateClusterDto): Promise<ClusterResponse> {
    return transaction(this.dataSource, async (manager) => {
      const inserted = await manager
        .getRepository(Cluster)
        .createQueryBuilder()
        .insert()
        .values({ ...dto, nameKey: foldName(dto.name), publicBadge: dto.publicBadge ?? false })
        .returning('*')
        .execute();
      const cluster = rowToEntity(manager.getRepository(Cluster), firstRow(inserted.raw)!);
      await recordRevision(manager, 'cluster', cluster, caller, 'created');
      return toClusterResponse(cluster, []);
    });
  }

  async update(caller: Caller, id: string, dto: UpdateClusterDto, ifMatch: number[] | undefined): Promise<ClusterResponse> {
    const updated = await transaction(this.dataSource, async (manager) => {
      const current = await this.get(caller, id, true);
      assertCanWriteCluster(caller, id);
      if (current.archivedAt) throw DomainError.conflict('The cluster is archived; archived clusters are read-only.');
      const changes = { ...dto, ...(dto.name !== undefined ? { nameKey: foldName(dto.name) } : {}) };
      return updateLocked(manager, Cluster, current, ifMatch, changes, { subject: 'cluster', caller, kind: 'updated' });
    });
    const [response] = await this.respond(caller, [updated]);
    return response;
  }

  /** Archives (never deletes); archiving an archived cluster changes nothing. Admin keys only (the route says so). */
  async archive(caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      const current = await this.get(caller, id, true);
      if (current.archivedAt) return;
      await updateLocked(
        manager,
        Cluster,
        current,
        ifMatch,
        { archivedAt: () => 'now()' },
        { subject: 'cluster', caller, kind: 'archived' },
      );
    });
  }
}
