import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../../auth/role.js';
import { DomainError } from '../../common/domain-error.js';
import type { Page } from '../../common/pagination.js';
import { db } from '../../database/transaction-context.js';
import type { StatusUpdateResponse } from '../dto/status-update.dto.js';
import { commentRequired, type PlanItemState, type Status, type SubjectType } from '../traffic-light.js';
import { StatusUpdate } from './status-update.entity.js';

export interface HistoryEntry {
  subjectType: SubjectType;
  subjectId: string;
  clusterId: string;
  status: Status;
  state: PlanItemState | null;
  comment: string | null | undefined;
}

export function toStatusUpdateResponse(u: StatusUpdate): StatusUpdateResponse {
  return {
    id: u.id,
    status: u.status,
    state: u.state,
    comment: u.comment,
    author: u.author,
    authorKeyId: u.authorKeyId,
    createdAt: u.createdAt.toISOString(),
  };
}

/**
 * The statement `manager.insert(StatusUpdate, …)` sends, written out: it runs on every status update and every new
 * item, and building it with TypeORM's insert query builder cost more than the rest of the write's own code.
 */
const INSERT_ENTRY =
  'INSERT INTO "status_update"("id", "seq", "subject_type", "subject_id", "cluster_id", "status", "state", "comment", "author", "author_key_id", "created_at") ' +
  'VALUES (DEFAULT, DEFAULT, $1, $2, $3, $4, $5, $6, $7, $8, DEFAULT) RETURNING "id", "seq", "created_at"';

/** Throws the 422 of the comment rule, naming the field the comment belongs in. */
export function assertCommentRule(status: Status, comment: string | null | undefined, field: string): void {
  if (commentRequired(status) && !comment?.trim()) {
    throw DomainError.rule(field, `A ${status} status needs a comment that says why, for whoever reads the history later.`);
  }
}

/** The one mechanism behind the history of every kind of plan item. */
@Injectable()
export class HistoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends an entry, inside the caller's transaction; the author is always the calling key. */
  async record(manager: EntityManager, entry: HistoryEntry, caller: Caller): Promise<void> {
    await manager.query(INSERT_ENTRY, [
      entry.subjectType,
      entry.subjectId,
      entry.clusterId,
      entry.status,
      entry.state,
      entry.comment?.trim() || null,
      caller.name,
      caller.keyId,
    ]);
  }

  /** The entries of one item, newest first. */
  async list(subjectId: string, limit: number, offset: number): Promise<Page<StatusUpdateResponse>> {
    const [items, total] = await db(this.dataSource)
      .getRepository(StatusUpdate)
      .findAndCount({ where: { subjectId }, order: { createdAt: 'DESC', seq: 'DESC' }, take: limit, skip: offset });
    return { items: items.map(toStatusUpdateResponse), total, limit, offset };
  }
}
