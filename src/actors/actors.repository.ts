import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { type Page, parseSort } from '../common/pagination.js';
import { escapeLike, firstRow, namedQuery, pageRows, rowToEntity, Where } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import { onlyIfChanged } from '../database/versioned-update.js';
import { visibleRow } from '../plan-items/visible-row.js';
import { rowsAt } from '../revisions/as-of.js';
import { Actor, type ActorCore, type ActorKind, ActorEngagement, type Engagement } from './actor.entity.js';

const SORT_COLUMNS = {
  name: 'name',
  kind: 'kind',
  core: 'core',
  engagement: 'engagement',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export interface ActorFilters {
  includeArchived?: boolean;
  kind?: ActorKind;
  core?: ActorCore;
  engagement?: Engagement;
  q?: string;
  sort?: string;
  limit: number;
  offset: number;
}

const EXAMPLE_ACTOR = '00000000-0000-4000-8000-0000000ac701';
const EXAMPLE_INSTANT = new Date('2026-06-30T12:00:00Z');

function exampleActor(): Actor {
  return Object.assign(new Actor(), {
    id: EXAMPLE_ACTOR,
    clusterId: EXAMPLE_IDS.cluster,
    name: 'Sågverket AB',
    kind: 'company',
    core: 'inner',
    engagement: 'engaged',
    version: 3,
  });
}

/** The actors of clusters and the entries of their engagement: every statement the actors' service sends, but the revisions. */
@Injectable()
export class ActorsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private actorOf(manager: EntityManager, row: Record<string, unknown>): Actor {
    return rowToEntity(manager.getRepository(Actor), row);
  }

  /** A page of a cluster's actors, filtered and sorted; with `asOf`, as they were then (actors never move cluster). */
  @GenerateSql(
    { name: "a cluster's live actors", args: () => [EXAMPLE_IDS.cluster, undefined, { limit: 50, offset: 0 }] },
    {
      name: "a cluster's engaged companies as they were, by engagement",
      args: () => [
        EXAMPLE_IDS.cluster,
        EXAMPLE_INSTANT,
        {
          includeArchived: true,
          kind: 'company',
          core: 'inner',
          engagement: 'engaged',
          q: 'såg',
          sort: '-engagement',
          limit: 50,
          offset: 0,
        },
      ],
    },
  )
  async list(clusterId: string, asOf: Date | undefined, filters: ActorFilters): Promise<Page<Actor>> {
    const where = new Where().add('a.cluster_id = :clusterId', { clusterId, asOf });
    if (!filters.includeArchived) where.add('a.archived_at IS NULL');
    where
      .when(filters.kind, 'a.kind = :kind', { kind: filters.kind })
      .when(filters.core, 'a.core = :core', { core: filters.core })
      .when(filters.engagement, 'a.engagement = :engagement', { engagement: filters.engagement })
      .when(filters.q, `a.name ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(filters.q ?? '')}%` });
    const sort = parseSort(filters.sort, SORT_COLUMNS, 'name');
    const manager = db(this.dataSource);
    const from = `${rowsAt('actor', asOf, 'live.cluster_id = :clusterId')} a`;
    const { rows, total } = await pageRows<Record<string, unknown>>(
      manager,
      { columns: 'a.*', from, where, orderBy: `a.${sort.column} ${sort.direction}, a.name, a.id` },
      filters,
    );
    return { items: rows.map((row) => this.actorOf(manager, row)), total, limit: filters.limit, offset: filters.offset };
  }

  /** Every actor of a cluster that is not archived (as of `asOf`, if given), by name, in one statement. */
  @GenerateSql(
    { name: "a cluster's actors now", args: () => [EXAMPLE_IDS.cluster] },
    { name: "a cluster's actors as they were", args: () => [EXAMPLE_IDS.cluster, EXAMPLE_INSTANT] },
  )
  async current(clusterId: string, asOf?: Date): Promise<Actor[]> {
    const manager = db(this.dataSource);
    const rows = await namedQuery<Record<string, unknown>>(
      manager,
      `SELECT a.* FROM ${rowsAt('actor', asOf, 'live.cluster_id = :clusterId')} a
       WHERE a.cluster_id = :clusterId AND a.archived_at IS NULL ORDER BY a.name, a.id`,
      { clusterId, asOf },
    );
    return rows.map((row) => this.actorOf(manager, row));
  }

  /** An actor the caller may read (archived or not), or 404; with `asOf`, as it was then. */
  @GenerateSql(
    { name: 'an actor, for an editor key', args: () => [exampleCaller('editor'), EXAMPLE_ACTOR] },
    { name: 'an actor as it was, for a funder key', args: () => [exampleCaller('funder'), EXAMPLE_ACTOR, EXAMPLE_INSTANT] },
  )
  async read(caller: Caller, id: string, asOf?: Date): Promise<Actor> {
    const manager = db(this.dataSource);
    const from = `SELECT a.* FROM ${rowsAt('actor', asOf, 'live.id = :id')} a`;
    return this.actorOf(manager, await this.visibleRow(caller, id, manager, from, '', { asOf }));
  }

  /** An actor the caller may read, or 404: locked, with its cluster share-locked, and whether that is archived. */
  @GenerateSql({ name: 'an actor to change', args: () => [exampleCaller('editor'), EXAMPLE_ACTOR] })
  async forWrite(caller: Caller, id: string): Promise<{ actor: Actor; clusterArchived: boolean }> {
    const manager = db(this.dataSource);
    const row = await this.visibleRow(
      caller,
      id,
      manager,
      'SELECT a.*, c.archived_at IS NOT NULL AS cluster_archived FROM actor a JOIN cluster c ON c.id = a.cluster_id',
      ' FOR UPDATE OF a FOR SHARE OF c',
    );
    return { actor: this.actorOf(manager, row), clusterArchived: row.cluster_archived === true };
  }

  /** Adds an actor; the actor as stored. */
  @GenerateSql({
    name: 'a new actor',
    args: () => [
      {
        clusterId: EXAMPLE_IDS.cluster,
        name: 'Sågverket AB',
        kind: 'company',
        core: 'inner',
        engagement: 'identified',
        role: null,
        organisationNumber: null,
      },
    ],
  })
  async insert(values: Partial<Actor>): Promise<Actor | undefined> {
    const manager = db(this.dataSource);
    const result = await manager.createQueryBuilder().insert().into(Actor).values(values).returning('*').execute();
    const row = firstRow(result.raw);
    return row ? this.actorOf(manager, row) : undefined;
  }

  /** Changes fields of the actor at `version`: the actor changed, or none when nothing would change. */
  @GenerateSql({ name: 'a new engagement', args: () => [exampleActor(), { engagement: 'committed' }] })
  async update(current: Actor, values: Record<string, unknown>): Promise<Actor | undefined> {
    const manager = db(this.dataSource);
    const qb = manager
      .createQueryBuilder()
      .update(Actor)
      .set({ ...values, version: current.version + 1 })
      .where('id = :id', { id: current.id })
      .returning('*');
    if (!onlyIfChanged(qb, manager.getRepository(Actor).metadata, values)) return undefined;
    const row = firstRow((await qb.execute()).raw);
    return row ? this.actorOf(manager, row) : undefined;
  }

  /** Archives the actor. */
  @GenerateSql({ name: 'an actor', args: () => [EXAMPLE_ACTOR] })
  async archive(id: string): Promise<void> {
    await db(this.dataSource)
      .createQueryBuilder()
      .update(Actor)
      .set({ archivedAt: () => 'now()', version: () => 'version + 1' })
      .where('id = :id', { id })
      .execute();
  }

  /** Appends the actor's kind, core and engagement as they are from now on. */
  @GenerateSql({ name: 'an entry', args: () => [exampleActor(), false, exampleCaller('editor')] })
  async recordEngagement(actor: Actor, archived: boolean, caller: Caller): Promise<void> {
    await db(this.dataSource).insert(ActorEngagement, {
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
