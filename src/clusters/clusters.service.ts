import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { transaction } from '../database/transaction-context.js';
import { assertCanWriteCluster } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { foldName } from '../common/text.js';
import { updateLocked } from '../database/versioned-update.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import { recordRevision } from '../revisions/record.js';
import { Cluster } from './cluster.entity.js';
import { ClustersRepository } from './clusters.repository.js';
import type { ClusterFunder, ClusterResponse, CreateClusterDto, ListClustersQueryDto, UpdateClusterDto } from './dto/cluster.dto.js';
import { toClusterResponse } from './dto/cluster.mapper.js';

@Injectable()
export class ClustersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ClustersRepository,
    private readonly revisions: RevisionsService,
  ) {}

  /** The clusters the caller may read, filtered, sorted and paged; with `asOf`, as they were then. */
  async list(caller: Caller, query: ListClustersQueryDto): Promise<Page<ClusterResponse>> {
    const asOf = this.revisions.instant(query.asOf);
    const { items: clusters, total } = await this.repository.list(caller, asOf, query);
    return { items: await this.respond(caller, clusters, asOf), total, limit: query.limit, offset: query.offset };
  }

  /** A cluster the caller may read, archived or not; 404 otherwise. With `asOf`, as it was then (404 if it did not exist yet). */
  read(caller: Caller, id: string, asOfQuery?: string): Promise<ClusterResponse> {
    return this.readAt(caller, id, this.revisions.instant(asOfQuery));
  }

  /** As `read`, at an instant already parsed (the plan reads its cluster and its sections at the same one). */
  async readAt(caller: Caller, id: string, asOf: Date | undefined): Promise<ClusterResponse> {
    const [response] = await this.respond(caller, [asOf ? await this.getAsOf(caller, id, asOf) : await this.get(caller, id)], asOf);
    return response;
  }

  private async getAsOf(caller: Caller, id: string, asOf: Date): Promise<Cluster> {
    const row = await this.revisions.rowAsOf('cluster', caller, id, asOf);
    if (!row) throw DomainError.notFound('The cluster');
    return this.repository.clusterOf(row);
  }

  /** The clusters as answered, each with who funds it as far as the caller may see (as of `asOf`, if given). */
  private async respond(caller: Caller, clusters: Cluster[], asOf?: Date): Promise<ClusterResponse[]> {
    const funders = await this.fundersOf(
      caller,
      clusters.map((c) => c.id),
      asOf,
    );
    return clusters.map((c) => toClusterResponse(c, funders.get(c.id) ?? []));
  }

  /** Who funds each of the clusters, as far as the caller may see: one query for a whole page. */
  private async fundersOf(caller: Caller, clusterIds: string[], asOf?: Date): Promise<Map<string, ClusterFunder[]>> {
    const byCluster = new Map<string, ClusterFunder[]>(clusterIds.map((id) => [id, []]));
    if (clusterIds.length === 0) return byCluster;
    const rows = await this.repository.fundersOf(caller, clusterIds, asOf);
    for (const r of rows) byCluster.get(r.cluster_id)?.push({ funderId: r.funder_id, name: r.name, kind: r.kind });
    return byCluster;
  }

  /**
   * A cluster the caller may read, archived or not; 404 otherwise. With
   * `forUpdate`, locked until the end of the transaction, for a change.
   */
  async get(caller: Caller, id: string, forUpdate = false): Promise<Cluster> {
    const cluster = await this.repository.find(caller, id, forUpdate);
    if (!cluster) throw DomainError.notFound('The cluster');
    return cluster;
  }

  /**
   * 404 unless the caller may read the cluster (archived or not): what a list of a cluster's plan items checks
   * first. The statement `get` sends, built once per kind of visibility rather than by the query builder on every
   * request, and its row not made into an entity (GET goals?limit=50 spent a tenth of its CPU doing both).
   */
  async assertReadable(caller: Caller, id: string): Promise<void> {
    const readable = await this.repository.readable(caller, id);
    if (!readable) throw DomainError.notFound('The cluster');
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
    const row = await this.repository.lockArchived(id);
    if (!row) return 'missing';
    return row.archived ? 'archived' : 'open';
  }

  /** The ids among `ids` that name no cluster. */
  async missing(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const existing = await this.repository.existing(ids);
    return ids.filter((id) => !existing.has(id));
  }

  async create(caller: Caller, dto: CreateClusterDto): Promise<ClusterResponse> {
    return transaction(this.dataSource, async (manager) => {
      const cluster = await this.repository.insert({ ...dto, nameKey: foldName(dto.name), publicBadge: dto.publicBadge ?? false });
      if (!cluster) throw new Error('The new cluster was not returned');
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
