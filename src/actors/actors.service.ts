import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { assertCanWriteCluster } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DomainError } from '../common/domain-error.js';
import { type Page, parseSort } from '../common/pagination.js';
import { countPastEnd, escapeLike, firstRow, namedQuery, rowToEntity, Where } from '../common/sql.js';
import { db, transaction } from '../database/transaction-context.js';
import { onlyIfChanged } from '../database/versioned-update.js';
import { rowsAt } from '../revisions/as-of.js';
import { recordRevision } from '../revisions/record.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import { Actor, ActorEngagement } from './actor.entity.js';
import type { CreateActorDto, ListActorsQueryDto, UpdateActorDto } from './dto/actor.dto.js';
import { visibleRow } from '../plan-items/visible-row.js';

const SORT_COLUMNS = {
  name: 'name',
  kind: 'kind',
  core: 'core',
  engagement: 'engagement',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

/**
 * The organisations of a cluster's stakeholder analysis. Read and written by
 * the same rules as the plan (the cluster's editors write; archived clusters
 * and actors are read-only). Every create, every change of kind, core or
 * engagement, and archiving append an entry to `actor_engagement` in the same
 * transaction, so that a report can count the actors at any date.
 */
@Injectable()
export class ActorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clusters: ClustersService,
    private readonly revisions: RevisionsService,
  ) {}

  async list(caller: Caller, clusterId: string, query: ListActorsQueryDto): Promise<Page<Actor>> {
    const asOf = this.revisions.instant(query.asOf);
    await this.clusters.get(caller, clusterId);
    const where = new Where().add('a.cluster_id = :clusterId', { clusterId, asOf });
    if (!query.includeArchived) where.add('a.archived_at IS NULL');
    where
      .when(query.kind, 'a.kind = :kind', { kind: query.kind })
      .when(query.core, 'a.core = :core', { core: query.core })
      .when(query.engagement, 'a.engagement = :engagement', { engagement: query.engagement })
      .when(query.q, `a.name ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(query.q ?? '')}%` });
    const sort = parseSort(query.sort, SORT_COLUMNS, 'name');
    const manager = db(this.dataSource);
    // As of an instant: the cluster's actors as they were then (actors never move cluster).
    const from = `${rowsAt('actor', asOf, 'live.cluster_id = :clusterId')} a`;
    const rows = await namedQuery<Record<string, unknown> & { total_count: string }>(
      manager,
      `SELECT a.*, count(*) OVER () AS total_count FROM ${from} WHERE ${where.sql}
       ORDER BY a.${sort.column} ${sort.direction}, a.name, a.id LIMIT :limit OFFSET :offset`,
      { ...where.params, limit: query.limit, offset: query.offset },
    );
    const total = rows.length > 0 ? Number(rows[0].total_count) : await countPastEnd(manager, from, where, query.offset);
    const repo = manager.getRepository(Actor);
    return { items: rows.map((row) => rowToEntity(repo, row)), total, limit: query.limit, offset: query.offset };
  }

  /**
   * Every actor of a cluster that is not archived (as of `asOf`, if given), by name, in one statement (the caller's
   * right to read the cluster is checked by whoever asks).
   */
  async current(clusterId: string, asOf?: Date): Promise<Actor[]> {
    const manager = db(this.dataSource);
    const rows = await namedQuery<Record<string, unknown>>(
      manager,
      `SELECT a.* FROM ${rowsAt('actor', asOf, 'live.cluster_id = :clusterId')} a
       WHERE a.cluster_id = :clusterId AND a.archived_at IS NULL ORDER BY a.name, a.id`,
      { clusterId, asOf },
    );
    const repo = manager.getRepository(Actor);
    return rows.map((row) => rowToEntity(repo, row));
  }

  /** An actor the caller may read (archived or not), or 404; with `asOf`, as it was then (404 if it did not exist yet). */
  async get(caller: Caller, id: string, asOfQuery?: string): Promise<Actor> {
    const asOf = this.revisions.instant(asOfQuery);
    const manager = db(this.dataSource);
    const from = `SELECT a.* FROM ${rowsAt('actor', asOf, 'live.id = :id')} a`;
    return rowToEntity(manager.getRepository(Actor), await this.visibleRow(caller, id, manager, from, '', { asOf }));
  }

  async create(caller: Caller, clusterId: string, dto: CreateActorDto): Promise<Actor> {
    await this.clusters.getForPlanWrite(caller, clusterId);
    return transaction(this.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(Actor)
        .values({
          clusterId,
          name: dto.name,
          kind: dto.kind,
          core: dto.core,
          engagement: dto.engagement ?? 'identified',
          role: dto.role ?? null,
          organisationNumber: dto.organisationNumber ?? null,
        })
        .returning('*')
        .execute();
      const actor = rowToEntity(manager.getRepository(Actor), firstRow(result.raw)!);
      await this.record(manager, actor, false, caller);
      await recordRevision(manager, 'actor', actor, caller, 'created');
      return actor;
    });
  }

  /** Changes fields (PATCH); a change to nothing writes nothing. */
  async update(caller: Caller, id: string, dto: UpdateActorDto, ifMatch: number[] | undefined): Promise<Actor> {
    return transaction(this.dataSource, async (manager) => {
      const current = await this.getForWrite(caller, id, manager);
      if (current.archivedAt) throw DomainError.conflict('The actor is archived; archived actors are read-only.');
      if (ifMatch && !ifMatch.includes(current.version)) throw DomainError.preconditionFailed(current.version);
      const values = { ...dto } as Record<string, unknown>;
      const qb = manager
        .createQueryBuilder()
        .update(Actor)
        .set({ ...values, version: current.version + 1 })
        .where('id = :id', { id })
        .returning('*');
      if (!onlyIfChanged(qb, manager.getRepository(Actor).metadata, values)) return current;
      const row = firstRow((await qb.execute()).raw);
      if (!row) return current;
      const actor = rowToEntity(manager.getRepository(Actor), row);
      await recordRevision(manager, 'actor', actor, caller, 'updated');
      if (actor.kind !== current.kind || actor.core !== current.core || actor.engagement !== current.engagement) {
        await this.record(manager, actor, false, caller);
      }
      return actor;
    });
  }

  /** Archives (never deletes); an archived actor is no longer counted from then on. Archiving again changes nothing. */
  async archive(caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      const current = await this.getForWrite(caller, id, manager);
      if (current.archivedAt) return;
      if (ifMatch && !ifMatch.includes(current.version)) throw DomainError.preconditionFailed(current.version);
      await manager
        .createQueryBuilder()
        .update(Actor)
        .set({ archivedAt: () => 'now()', version: () => 'version + 1' })
        .where('id = :id', { id })
        .execute();
      await this.record(manager, current, true, caller);
      await recordRevision(manager, 'actor', current, caller, 'archived');
    });
  }

  /** Appends the actor's kind, core and engagement as they are from now on. */
  private async record(manager: EntityManager, actor: Actor, archived: boolean, caller: Caller): Promise<void> {
    await manager.insert(ActorEngagement, {
      actorId: actor.id,
      clusterId: actor.clusterId,
      kind: actor.kind,
      core: actor.core,
      engagement: actor.engagement,
      archived,
      author: caller.name,
      authorKeyId: caller.keyId,
    });
  }

  /**
   * An actor the caller may change, locked with its cluster share-locked: 404
   * if unreadable, 403 if read-only to the caller, 409 if its cluster is archived.
   */
  private async getForWrite(caller: Caller, id: string, manager: EntityManager): Promise<Actor> {
    const row = await this.visibleRow(
      caller,
      id,
      manager,
      'SELECT a.*, c.archived_at IS NOT NULL AS cluster_archived FROM actor a JOIN cluster c ON c.id = a.cluster_id',
      ' FOR UPDATE OF a FOR SHARE OF c',
    );
    const actor = rowToEntity(manager.getRepository(Actor), row);
    assertCanWriteCluster(caller, actor.clusterId);
    if (row.cluster_archived === true) throw DomainError.conflict('The cluster is archived; everything in it is read-only.');
    return actor;
  }

  private visibleRow(
    caller: Caller,
    id: string,
    manager: EntityManager,
    selectFrom: string,
    lock = '',
    params: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    return visibleRow(manager, caller, id, { selectFrom, alias: 'a', label: 'The actor', lock, params });
  }
}
