import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { Caller } from '../../auth/role.js';
import { DomainError } from '../../common/domain-error.js';
import type { Page } from '../../common/pagination.js';
import type { StatusUpdateResponse } from '../dto/status-update.dto.js';
import { StatusUpdate } from './status-update.entity.js';
import { commentRequired, type ItemState, type Status, type SubjectType } from '../traffic-light.js';

export interface HistoryEntry {
  subjectType: SubjectType;
  subjectId: string;
  clusterId: string;
  status: Status;
  state: ItemState | null;
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

/** Throws the 422 of the comment rule, naming the field the comment belongs in. */
export function assertCommentRule(status: Status, comment: string | null | undefined, field: string): void {
  if (commentRequired(status) && !comment?.trim()) {
    throw DomainError.rule(field, `A ${status} status needs a comment that says why, for whoever reads the history later.`);
  }
}

/** The one mechanism behind the history of goals, activities and low-hanging fruits. */
@Injectable()
export class HistoryService {
  constructor(@InjectRepository(StatusUpdate) private readonly updates: Repository<StatusUpdate>) {}

  /** Appends an entry, inside the caller's transaction; the author is always the calling key. */
  async record(manager: EntityManager, entry: HistoryEntry, caller: Caller): Promise<void> {
    await manager.insert(StatusUpdate, {
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      clusterId: entry.clusterId,
      status: entry.status,
      state: entry.state,
      comment: entry.comment?.trim() || null,
      author: caller.name,
      authorKeyId: caller.keyId,
    });
  }

  /** The entries of one item, newest first. */
  async list(subjectId: string, limit: number, offset: number): Promise<Page<StatusUpdate>> {
    const [items, total] = await this.updates.findAndCount({
      where: { subjectId },
      order: { createdAt: 'DESC', seq: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }
}
