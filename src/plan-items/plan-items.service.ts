import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { assertCanWriteCluster } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { Today } from '../common/calendar.js';
import { DomainError } from '../common/domain-error.js';
import { type Page, parseSort } from '../common/pagination.js';
import { countPastEnd, firstRow, namedQuery, rowToEntity } from '../common/sql.js';
import { db, transaction } from '../database/transaction-context.js';
import { checkVersion, onlyIfChanged } from '../database/versioned-update.js';
import type { PlanListQueryDto } from './dto/plan-query.dto.js';
import type { StatusUpdateResponse } from './dto/status-update.dto.js';
import { assertCommentRule, HistoryService } from './history/history.service.js';
import { asOfRows } from '../revisions/as-of.js';
import type { RevisionResponse } from '../revisions/dto/revision.dto.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import { planFilters } from './list-filters.js';
import type { PlanItem, PlanItemCreate, PlanItemKind, PlanItemStatusChange, PlanItemStates, Row } from './plan-item-kind.js';
import type { PlanItemState, Status } from './traffic-light.js';
import { visibleRow } from './visible-row.js';

/** A change to apply to a locked item, and whether it makes a history entry. */
interface Change {
  values: Row;
  entry?: { status: Status; state: PlanItemState | null; comment: string | null | undefined };
}

/** A locked item: as an entity for the rules, as its row for the response. */
interface Locked<T> {
  item: T;
  row: Row;
}

/**
 * The life of a plan item, the same for every kind: read with the caller's
 * visibility, list with the shared filters, create with its first history
 * entry, change with If-Match, status updates, archive, history. Every write
 * locks the row, checks the version it holds, updates it and appends the
 * history entry in one transaction, so the current status always equals the
 * newest entry. Every query runs in the request's transaction context, and
 * every method answers the kind's response body.
 */
@Injectable()
export class PlanItems {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clusters: ClustersService,
    private readonly historyService: HistoryService,
    private readonly today: Today,
    private readonly revisions: RevisionsService,
  ) {}

  /** An item the caller may read (archived or not), or 404; with `asOf`, as it was then (404 if it did not exist yet). */
  async get<T extends PlanItem, R>(kind: PlanItemKind<T, R>, caller: Caller, id: string, asOfQuery?: string): Promise<R> {
    const asOf = this.revisions.instant(asOfQuery);
    const row = await this.visibleRow(kind, caller, id, db(this.dataSource), select(kind, '', asOf && 'live.id = :id'), '', { asOf });
    return kind.toResponse(row, this.dayOf(asOf));
  }

  /** The day overdue is measured against: today, or the day of `asOf` (an item is shown as it was then). */
  private dayOf(asOf: Date | undefined): string {
    return asOf ? this.revisions.dayOf(asOf) : this.today.get();
  }

  /** The items of a cluster the caller may read (404 otherwise), filtered, sorted and paged. */
  async list<T extends PlanItem, R>(
    kind: PlanItemKind<T, R>,
    caller: Caller,
    clusterId: string,
    query: PlanListQueryDto,
  ): Promise<Page<R>> {
    await this.clusters.assertReadable(caller, clusterId);
    const asOf = this.revisions.instant(query.asOf);
    const today = this.dayOf(asOf);
    const where = planFilters(kind.columns, kind.states !== undefined, clusterId, query, today);
    if (asOf) Object.assign(where.params, { asOf }); // for the rows as of then, in the page query and its count
    kind.filters?.(where, query);
    const sort = parseSort((query as { sort?: string }).sort, kind.sort.columns, kind.sort.default);
    const manager = db(this.dataSource);
    const rows = await namedQuery<Row & { total_count: string }>(
      manager,
      `${select(kind, ', count(*) OVER () AS total_count', asOf && CLUSTER_ROWS)} WHERE ${where.sql}
       ORDER BY i.${sort.column} ${sort.direction} NULLS LAST, i.id LIMIT :limit OFFSET :offset`,
      { ...where.params, limit: query.limit, offset: query.offset },
    );
    const from = asOf ? `${asOfRows(kind.table, CLUSTER_ROWS)} i` : `${kind.table} i`;
    const total = rows.length > 0 ? Number(rows[0].total_count) : await countPastEnd(manager, from, where, query.offset);
    return { items: rows.map((row) => kind.toResponse(row, today)), total, limit: query.limit, offset: query.offset };
  }

  /**
   * Every item of a kind in a cluster that is not archived (as of `asOf`, if given), in the order of its list, in one
   * statement. The caller's right to read the cluster is checked by whoever asks (the plan reads the cluster first).
   */
  async current<T extends PlanItem, R>(kind: PlanItemKind<T, R>, clusterId: string, asOf?: Date): Promise<R[]> {
    const sort = parseSort(undefined, kind.sort.columns, kind.sort.default);
    const rows = await namedQuery<Row>(
      db(this.dataSource),
      `${select(kind, '', asOf && CLUSTER_ROWS)} WHERE i.cluster_id = :clusterId AND i.archived_at IS NULL
       ORDER BY i.${sort.column} ${sort.direction} NULLS LAST, i.id`,
      { clusterId, asOf },
    );
    const today = this.dayOf(asOf);
    return rows.map((row) => kind.toResponse(row, today));
  }

  /** 404 unless the caller may read the item (archived or not). */
  async assertReadable<T extends PlanItem, R>(kind: PlanItemKind<T, R>, caller: Caller, id: string): Promise<void> {
    await this.visibleRow(kind, caller, id, db(this.dataSource), `SELECT 1 FROM ${kind.table} i`);
  }

  /** The history of an item the caller may read (404 otherwise), newest first. */
  async history<T extends PlanItem, R>(
    kind: PlanItemKind<T, R>,
    caller: Caller,
    id: string,
    page: { limit: number; offset: number },
  ): Promise<Page<StatusUpdateResponse>> {
    await this.assertReadable(kind, caller, id);
    return this.historyService.list(id, page.limit, page.offset);
  }

  /** The revisions of an item the caller may read (404 otherwise), newest first, each with what it changed. */
  listRevisions<T extends PlanItem, R>(
    kind: PlanItemKind<T, R>,
    caller: Caller,
    id: string,
    page: { limit: number; offset: number },
  ): Promise<Page<RevisionResponse>> {
    return this.revisions.list(kind.subjectType, caller, id, page.limit, page.offset);
  }

  /**
   * An item the caller may change, locked for the rest of the transaction:
   * 404 if unreadable, 403 if read-only to the caller, 409 if its cluster is
   * archived (everything in an archived cluster is read-only). Whether the
   * item itself is archived is left to the caller: archiving again is fine.
   * The cluster row is share-locked, so archiving the cluster waits for the
   * writes in flight on its items and no write slips in after it.
   */
  async getForWrite<T extends PlanItem, R>(
    kind: PlanItemKind<T, R>,
    caller: Caller,
    id: string,
    manager: EntityManager,
  ): Promise<Locked<T>> {
    const row = await this.visibleRow(
      kind,
      caller,
      id,
      manager,
      `SELECT i.*, c.archived_at IS NOT NULL AS cluster_archived FROM ${kind.table} i JOIN cluster c ON c.id = i.cluster_id`,
      ' FOR UPDATE OF i FOR SHARE OF c',
    );
    const item = rowToEntity(manager.getRepository(kind.entity), row);
    assertCanWriteCluster(caller, item.clusterId);
    if (row.cluster_archived === true) throw DomainError.conflict('The cluster is archived; everything in it is read-only.');
    return { item, row };
  }

  /** As getForWrite, and 409 if the item itself is archived: what adding to or changing an item needs. */
  async getOpenForWrite<T extends PlanItem, R>(
    kind: PlanItemKind<T, R>,
    caller: Caller,
    id: string,
    manager: EntityManager,
  ): Promise<Locked<T>> {
    const locked = await this.getForWrite(kind, caller, id, manager);
    if (locked.item.archivedAt) throw DomainError.conflict(`${kind.label} is archived; archived items are read-only.`);
    return locked;
  }

  /** Adds an item to a cluster the caller may plan in, with its first history entry. */
  async create<T extends PlanItem, R, C extends PlanItemCreate>(
    kind: PlanItemKind<T, R, C>,
    caller: Caller,
    clusterId: string,
    dto: C,
  ): Promise<R> {
    await this.clusters.getForPlanWrite(caller, clusterId);
    const values = kind.createValues(dto);
    for (const rule of kind.rules) await rule({ manager: db(this.dataSource), clusterId, values });
    assertCommentRule(dto.status ?? 'green', dto.statusComment, 'statusComment');
    const states = kind.states;
    const state = states ? (dto.state ?? states.initial) : undefined;
    const own = states ? { state, ...(states.done ? { completedAt: state === states.done ? () => 'now()' : null } : {}) } : {};
    return transaction(this.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(kind.entity)
        .values({ clusterId, ...values, status: dto.status ?? 'green', ...own } as never)
        .returning('*')
        .execute();
      const row = firstRow(result.raw)!;
      const item = rowToEntity(manager.getRepository(kind.entity), row);
      await this.historyService.record(
        manager,
        {
          subjectType: kind.subjectType,
          subjectId: item.id,
          clusterId: item.clusterId,
          status: item.status,
          state: item.state ?? null,
          comment: dto.statusComment,
        },
        caller,
      );
      await this.revisions.record(manager, kind.subjectType, item, caller, 'created');
      return this.respond(kind, manager, row);
    });
  }

  /** Changes fields (PATCH). A change of state is a history entry too; a change to nothing writes nothing. */
  async update<T extends PlanItem, R, U extends object>(
    kind: PlanItemKind<T, R, PlanItemCreate, U>,
    caller: Caller,
    id: string,
    dto: U,
    ifMatch: number[] | undefined,
  ): Promise<R> {
    return this.mutate(kind, caller, id, ifMatch, true, async (current, manager) => {
      const values = kind.updateValues ? kind.updateValues(dto) : ({ ...dto } as Row);
      for (const rule of kind.rules) await rule({ manager, clusterId: current.clusterId, values, current });
      const state = values.state as PlanItemState | undefined;
      if (!kind.states || state === undefined || state === current.state) {
        delete values.state;
        return { values };
      }
      return {
        values: { ...values, ...completion(kind.states, current, state) },
        entry: { status: current.status, state, comment: null },
      };
    });
  }

  /** A status update: the new light (and state, for kinds with one), with its comment and author. */
  async changeStatus<T extends PlanItem, R>(
    kind: PlanItemKind<T, R>,
    caller: Caller,
    id: string,
    dto: PlanItemStatusChange,
    ifMatch: number[] | undefined,
  ): Promise<R> {
    assertCommentRule(dto.status, dto.comment, 'comment');
    return this.mutate(kind, caller, id, ifMatch, false, (current) => {
      const state = kind.states ? (dto.state ?? current.state!) : null;
      let values: Row = { status: dto.status };
      if (kind.states && state !== null && state !== current.state) {
        values = { ...values, state, ...completion(kind.states, current, state) };
      }
      return { values, entry: { status: dto.status, state, comment: dto.comment } };
    });
  }

  /** Archives (never deletes); archiving again changes nothing. */
  async archive<T extends PlanItem, R>(kind: PlanItemKind<T, R>, caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      const { item: current } = await this.getForWrite(kind, caller, id, manager);
      if (current.archivedAt) return;
      checkVersion(current, ifMatch);
      await manager
        .createQueryBuilder()
        .update(kind.entity)
        .set({ archivedAt: () => 'now()', version: () => 'version + 1' } as never)
        .where('id = :id', { id })
        .execute();
      await this.revisions.record(manager, kind.subjectType, current, caller, 'archived');
    });
  }

  private async mutate<T extends PlanItem, R>(
    kind: PlanItemKind<T, R>,
    caller: Caller,
    id: string,
    ifMatch: number[] | undefined,
    skipIfUnchanged: boolean,
    change: (current: T, manager: EntityManager) => Promise<Change> | Change,
  ): Promise<R> {
    return transaction(this.dataSource, async (manager) => {
      const { item: current, row: stored } = await this.getOpenForWrite(kind, caller, id, manager);
      checkVersion(current, ifMatch);
      const { values, entry } = await change(current, manager);
      const qb = manager
        .createQueryBuilder()
        .update(kind.entity)
        .set({ ...values, version: current.version + 1 } as never)
        .where('id = :id', { id })
        .returning('*');
      // A PATCH that changes nothing writes nothing (the row is locked, so `stored` is what is stored).
      if (skipIfUnchanged && !entry && !onlyIfChanged(qb, manager.getRepository(kind.entity).metadata, values)) {
        return this.respond(kind, manager, stored);
      }
      const row = firstRow((await qb.execute()).raw);
      if (!row) return this.respond(kind, manager, stored);
      // A PATCH is an `updated` revision (a change of state included), a status update a `status` one.
      await this.revisions.record(manager, kind.subjectType, current, caller, skipIfUnchanged ? 'updated' : 'status');
      if (entry) {
        await this.historyService.record(
          manager,
          { subjectType: kind.subjectType, subjectId: id, clusterId: current.clusterId, ...entry },
          caller,
        );
      }
      return this.respond(kind, manager, row);
    });
  }

  /** The row of an item by id if the caller may read it, else 404: `selectFrom` names the table `i`. */
  private visibleRow<T extends PlanItem, R>(
    kind: PlanItemKind<T, R>,
    caller: Caller,
    id: string,
    manager: EntityManager,
    selectFrom: string,
    lock = '',
    params: Row = {},
  ): Promise<Row> {
    return visibleRow(manager, caller, id, { selectFrom, alias: 'i', label: kind.label, lock, params });
  }

  /**
   * The response to a write, read inside its transaction so that it shows
   * exactly the version this write made, not a later one: from the row itself,
   * or read again where the kind's response needs more than its row.
   */
  private async respond<T extends PlanItem, R>(kind: PlanItemKind<T, R>, manager: EntityManager, row: Row): Promise<R> {
    if (kind.read) [row] = await namedQuery(manager, `${select(kind)} WHERE i.id = :id`, { id: row.id });
    return kind.toResponse(row, this.today.get());
  }
}

/** The rows of a cluster's list as of `:asOf`: those of the cluster, looked up one by one (items never move cluster). */
const CLUSTER_ROWS = 'live.cluster_id = :clusterId';

/**
 * The SELECT … FROM of a kind's responses, on alias `i`; with `asOfRows` (the
 * live rows to look up, on alias `live`), the rows as they were at `:asOf`.
 */
function select(kind: PlanItemKind<PlanItem, unknown>, extra = '', asOfRowsOf?: string): string {
  const read = kind.read?.(asOfRowsOf !== undefined);
  const from = asOfRowsOf !== undefined ? asOfRows(kind.table, asOfRowsOf) : kind.table;
  return `SELECT i.*${read ? `, ${read.columns}` : ''}${extra} FROM ${from} i${read ? ` ${read.joins}` : ''}`;
}

/**
 * What a change of state writes besides the state, for kinds with a done
 * state: `completedAt` follows it, set when it becomes done, kept while done,
 * cleared otherwise. Nothing for kinds without one.
 */
function completion(states: PlanItemStates, current: PlanItem, state: PlanItemState): Row {
  const done = states.done;
  if (!done) return {};
  if (state !== done) return { completedAt: null };
  return { completedAt: current.state === done && current.completedAt ? current.completedAt : () => 'now()' };
}
