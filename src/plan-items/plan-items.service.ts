import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { assertCanWriteCluster, readableClusters } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import { firstRow, namedQuery, rowToEntity } from '../common/sql.js';
import { db, transaction } from '../database/transaction-context.js';
import { onlyIfChanged } from '../database/versioned-update.js';
import type { Page } from '../common/pagination.js';
import type { CreateItemStatusUpdateDto } from './dto/status-update.dto.js';
import type { StatusUpdate } from './history/status-update.entity.js';
import { assertCommentRule, HistoryService } from './history/history.service.js';
import type { ItemState, Status, SubjectType } from './traffic-light.js';

/** What every item of a plan has: a cluster, a traffic light, a version, an archive date. */
export interface PlanItem extends ObjectLiteral {
  id: string;
  clusterId: string;
  status: Status;
  version: number;
  archivedAt: Date | null;
  /** Activities and fruits. */
  state?: ItemState;
  completedAt?: Date | null;
}

/** A kind of plan item: goals, activities, low-hanging fruits. */
export interface PlanItemKind<T extends PlanItem> {
  entity: EntityTarget<T>;
  subjectType: SubjectType;
  /** "The goal", for messages. */
  label: string;
  /** Whether it has a state (planned, ongoing, done, cancelled). */
  hasState: boolean;
}

/**
 * What a write answers with, read inside its transaction so that it shows
 * exactly the version this write made, not a later one.
 */
export type View<T, R> = (manager: EntityManager, item: T) => Promise<R>;
const asIs = <T, R>(_: EntityManager, item: T): Promise<R> => Promise.resolve(item as unknown as R);

/** A change to apply to a locked item, and whether it makes a history entry. */
interface Change {
  values: Record<string, unknown>;
  entry?: { status: Status; state: ItemState | null; comment: string | null | undefined };
}

/**
 * The life of a plan item, the same for goals, activities and fruits: read
 * with the caller's visibility, create with its first history entry, change
 * with If-Match, status updates, archive. Every write locks the row, checks
 * the version it holds, updates it and appends the history entry in one
 * transaction, so the current status always equals the newest entry.
 */
@Injectable()
export class PlanItems {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly historyService: HistoryService,
  ) {}

  /** An item the caller may read (archived or not), or 404. */
  async get<T extends PlanItem>(kind: PlanItemKind<T>, caller: Caller, id: string): Promise<T> {
    return (await this.read(kind, caller, id, db(this.dataSource), false)).item;
  }

  /**
   * An item the caller may change, locked for the rest of the transaction:
   * 404 if unreadable, 403 if read-only to the caller, 409 if its cluster is
   * archived (everything in an archived cluster is read-only). Whether the
   * item itself is archived is left to the caller: archiving again is fine.
   * The cluster row is share-locked, so archiving the cluster waits for the
   * writes in flight on its items and no write slips in after it.
   */
  async getForWrite<T extends PlanItem>(kind: PlanItemKind<T>, caller: Caller, id: string, manager: EntityManager): Promise<T> {
    const { item, clusterArchived } = await this.read(kind, caller, id, manager, true);
    assertCanWriteCluster(caller, item.clusterId);
    if (clusterArchived) throw DomainError.conflict('The cluster is archived; everything in it is read-only.');
    return item;
  }

  private async read<T extends PlanItem>(
    kind: PlanItemKind<T>,
    caller: Caller,
    id: string,
    m: EntityManager,
    lock: boolean,
  ): Promise<{ item: T; clusterArchived: boolean }> {
    const repo = m.getRepository(kind.entity);
    const visible = readableClusters(caller, 'i.cluster_id');
    // Hand-written rather than built by the query builder: this runs on every read and write of an item.
    const [row] = await namedQuery<Record<string, unknown>>(
      m,
      `SELECT i.*, c.archived_at IS NOT NULL AS cluster_archived
       FROM ${repo.metadata.tableName} i JOIN cluster c ON c.id = i.cluster_id
       WHERE i.id = :id AND ${visible.sql}${lock ? ' FOR UPDATE OF i FOR SHARE OF c' : ''}`,
      { id, ...visible.params },
    );
    if (!row) throw DomainError.notFound(kind.label);
    return { item: rowToEntity(repo, row), clusterArchived: row.cluster_archived === true };
  }

  /** The history of an item the caller may read (404 otherwise), newest first. */
  async history<T extends PlanItem>(
    kind: PlanItemKind<T>,
    caller: Caller,
    id: string,
    limit: number,
    offset: number,
  ): Promise<Page<StatusUpdate>> {
    await this.get(kind, caller, id);
    return this.historyService.list(id, limit, offset);
  }

  /** Inserts an item and its first history entry. */
  async create<T extends PlanItem, R = T>(
    kind: PlanItemKind<T>,
    caller: Caller,
    values: Record<string, unknown> & { clusterId: string; status: Status; state?: ItemState },
    statusComment: string | undefined,
    view: View<T, R> = asIs,
  ): Promise<R> {
    assertCommentRule(values.status, statusComment, 'statusComment');
    return transaction(this.dataSource, async (manager) => {
      const completedAt = values.state === 'done' ? () => 'now()' : null;
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(kind.entity)
        .values({ ...values, ...(kind.hasState ? { completedAt } : {}) } as never)
        .returning('*')
        .execute();
      const item = rowToEntity(manager.getRepository(kind.entity), firstRow(result.raw)!);
      await this.historyService.record(
        manager,
        {
          subjectType: kind.subjectType,
          subjectId: item.id,
          clusterId: item.clusterId,
          status: item.status,
          state: item.state ?? null,
          comment: statusComment,
        },
        caller,
      );
      return view(manager, item);
    });
  }

  /** Changes fields (PATCH). A change of state is a history entry too. */
  async update<T extends PlanItem, R = T>(
    kind: PlanItemKind<T>,
    caller: Caller,
    id: string,
    ifMatch: number[] | undefined,
    prepare: (current: T) => Promise<Record<string, unknown>> | Record<string, unknown>,
    view: View<T, R> = asIs,
  ): Promise<R> {
    return this.mutate(kind, caller, id, ifMatch, view, true, async (current) => {
      const values = await prepare(current);
      const state = values.state as ItemState | undefined;
      if (!kind.hasState || state === undefined || state === current.state) {
        delete values.state;
        return { values };
      }
      return {
        values: { ...values, completedAt: completedAtFor(current, state) },
        entry: { status: current.status, state, comment: null },
      };
    });
  }

  /** A status update: the new light (and state), with its comment and author. */
  async changeStatus<T extends PlanItem, R = T>(
    kind: PlanItemKind<T>,
    caller: Caller,
    id: string,
    ifMatch: number[] | undefined,
    dto: CreateItemStatusUpdateDto,
    view: View<T, R> = asIs,
  ): Promise<R> {
    assertCommentRule(dto.status, dto.comment, 'comment');
    return this.mutate(kind, caller, id, ifMatch, view, false, (current) => {
      const state = kind.hasState ? (dto.state ?? current.state!) : null;
      const values: Record<string, unknown> = { status: dto.status };
      if (state !== null && state !== current.state) {
        values.state = state;
        values.completedAt = completedAtFor(current, state);
      }
      return { values, entry: { status: dto.status, state, comment: dto.comment } };
    });
  }

  /** Archives (never deletes); archiving again changes nothing. */
  async archive<T extends PlanItem>(kind: PlanItemKind<T>, caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      const current = await this.getForWrite(kind, caller, id, manager);
      if (current.archivedAt) return;
      if (ifMatch && !ifMatch.includes(current.version)) throw DomainError.preconditionFailed(current.version);
      await manager
        .createQueryBuilder()
        .update(kind.entity)
        .set({ archivedAt: () => 'now()', version: () => 'version + 1' } as never)
        .where('id = :id', { id })
        .execute();
    });
  }

  private async mutate<T extends PlanItem, R>(
    kind: PlanItemKind<T>,
    caller: Caller,
    id: string,
    ifMatch: number[] | undefined,
    view: View<T, R>,
    skipIfUnchanged: boolean,
    change: (current: T) => Promise<Change> | Change,
  ): Promise<R> {
    return transaction(this.dataSource, async (manager) => {
      const current = await this.getForWrite(kind, caller, id, manager);
      if (current.archivedAt) throw DomainError.conflict(`${kind.label} is archived; archived items are read-only.`);
      if (ifMatch && !ifMatch.includes(current.version)) throw DomainError.preconditionFailed(current.version);
      const { values, entry } = await change(current);
      const repo = manager.getRepository(kind.entity);
      const qb = manager
        .createQueryBuilder()
        .update(kind.entity)
        .set({ ...values, version: current.version + 1 } as never)
        .where('id = :id', { id })
        .returning('*');
      // A PATCH that changes nothing writes nothing (the row is locked, so `current` is what is stored).
      if (skipIfUnchanged && !entry && !onlyIfChanged(qb, repo.metadata, values)) return view(manager, current);
      const row = firstRow((await qb.execute()).raw);
      if (!row) return view(manager, current);
      const updated = rowToEntity(repo, row);
      if (entry) {
        await this.historyService.record(
          manager,
          { subjectType: kind.subjectType, subjectId: id, clusterId: current.clusterId, ...entry },
          caller,
        );
      }
      return view(manager, updated);
    });
  }
}

/** `completedAt` follows the state: set when it becomes done, kept while done, cleared otherwise. */
function completedAtFor(current: PlanItem, state: ItemState): Date | null | (() => string) {
  if (state !== 'done') return null;
  return current.state === 'done' && current.completedAt ? current.completedAt : () => 'now()';
}
