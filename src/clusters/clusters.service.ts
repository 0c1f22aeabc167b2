import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { assertCanWriteCluster, readableClusters } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import { type Page, parseSort } from '../common/pagination.js';
import { escapeLike, firstRow, rowToEntity } from '../common/sql.js';
import { Cluster } from './cluster.entity.js';
import type { CreateClusterDto, ListClustersQueryDto, UpdateClusterDto } from './dto/cluster.dto.js';

const SORT_COLUMNS: Record<string, string> = {
  name: 'c.name',
  region: 'c.region',
  phase: 'c.phase',
  createdAt: 'c.createdAt',
  updatedAt: 'c.updatedAt',
};

@Injectable()
export class ClustersService {
  constructor(@InjectRepository(Cluster) private readonly clusters: Repository<Cluster>) {}

  async list(caller: Caller, query: ListClustersQueryDto): Promise<Page<Cluster>> {
    const visible = readableClusters(caller, 'c.id');
    const qb = this.clusters.createQueryBuilder('c').where(visible.sql, visible.params);
    if (!query.includeArchived) qb.andWhere('c.archivedAt IS NULL');
    if (query.region) qb.andWhere('lower(c.region) = lower(:region)', { region: query.region });
    if (query.phase) qb.andWhere('c.phase = :phase', { phase: query.phase });
    if (query.q) qb.andWhere(`c.name ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(query.q)}%` });
    const sort = parseSort(query.sort, SORT_COLUMNS, 'name');
    qb.orderBy(sort.column, sort.direction).addOrderBy('c.id', 'ASC').limit(query.limit).offset(query.offset);
    const [items, total] = await qb.getManyAndCount();
    return { items, total, limit: query.limit, offset: query.offset };
  }

  /** A cluster the caller may read, archived or not; 404 otherwise. */
  async get(caller: Caller, id: string): Promise<Cluster> {
    const visible = readableClusters(caller, 'c.id');
    const cluster = await this.clusters.createQueryBuilder('c').where('c.id = :id', { id }).andWhere(visible.sql, visible.params).getOne();
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

  async create(dto: CreateClusterDto): Promise<Cluster> {
    const inserted = await this.clusters
      .createQueryBuilder()
      .insert()
      .values({ ...dto, publicBadge: dto.publicBadge ?? false })
      .returning('*')
      .execute();
    return rowToEntity(this.clusters, firstRow(inserted.raw)!);
  }

  async update(caller: Caller, id: string, dto: UpdateClusterDto, ifMatch: number[] | undefined): Promise<Cluster> {
    const current = await this.get(caller, id);
    assertCanWriteCluster(caller, id);
    if (current.archivedAt) throw DomainError.conflict('The cluster is archived; archived clusters are read-only.');
    return this.updateVersioned(id, current, ifMatch, { ...dto });
  }

  /** Archives (never deletes); archiving an archived cluster changes nothing. */
  async archive(caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    const current = await this.get(caller, id);
    if (caller.role !== 'admin') {
      assertCanWriteCluster(caller, id);
      throw DomainError.forbidden('Only an admin key may archive a cluster.');
    }
    if (current.archivedAt) return;
    await this.updateVersioned(id, current, ifMatch, { archivedAt: () => 'now()' });
  }

  /**
   * One UPDATE that checks the version the caller read (If-Match) in its WHERE
   * clause, so that two writers cannot both succeed against the same version.
   */
  private async updateVersioned(
    id: string,
    current: Cluster,
    ifMatch: number[] | undefined,
    changes: Record<string, unknown>,
  ): Promise<Cluster> {
    if (ifMatch && !ifMatch.includes(current.version)) throw DomainError.preconditionFailed(current.version);
    const qb = this.clusters
      .createQueryBuilder()
      .update(Cluster)
      .set({ ...changes, version: () => 'version + 1' })
      .where('id = :id', { id })
      .returning('*');
    if (ifMatch) qb.andWhere('version IN (:...ifMatch)', { ifMatch });
    const result = await qb.execute();
    const row = firstRow(result.raw);
    if (!row) throw DomainError.preconditionFailed((await this.clusters.findOneByOrFail({ id })).version);
    return rowToEntity(this.clusters, row);
  }
}
