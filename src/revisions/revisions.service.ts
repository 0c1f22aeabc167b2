import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { parseAsOf } from './as-of.js';
import { Environment } from '../config/environment.js';
import { dayOf } from '../common/calendar.js';
import { diff } from './diff.js';
import { recordRevision, type RevisionAuthor } from './record.js';
import type { RevisionResponse } from './dto/revision.dto.js';
import type { RevisionKind, RevisionSubject } from './revision.entity.js';
import { RevisionsRepository } from './revisions.repository.js';
import { fieldsOf, parseState, SUBJECTS } from './subjects.js';

/**
 * The one mechanism behind the revisions of every resource: a write calls
 * `record` inside its transaction, after the row is written, and the row as
 * stored becomes the revision's state. Lists them with what each changed, and
 * reads rows as of an instant.
 */
@Injectable()
export class RevisionsService {
  constructor(
    private readonly repository: RevisionsRepository,
    private readonly env: Environment,
  ) {}

  /** `?asOf=` as an instant (undefined: now); 400 naming asOf when malformed or in the future. */
  instant(asOf: string | undefined): Date | undefined {
    return parseAsOf(asOf, this.env.REPORT_TIME_ZONE);
  }

  /** The calendar day of an instant in REPORT_TIME_ZONE. */
  dayOf(instant: Date): string {
    return dayOf(instant, this.env.REPORT_TIME_ZONE);
  }

  /** Appends a revision of a row just written, in the write's transaction (see recordRevision). */
  record(
    manager: EntityManager,
    subject: RevisionSubject,
    stateAfterWrite: { id: string },
    caller: RevisionAuthor,
    kind: RevisionKind,
  ): Promise<void> {
    return recordRevision(manager, subject, stateAfterWrite, caller, kind);
  }

  /** 404 unless the caller may read the resource now (archived or not). */
  async assertVisible(subject: RevisionSubject, caller: Caller, id: string): Promise<void> {
    if (!(await this.repository.visible(subject, caller, id))) throw DomainError.notFound(SUBJECTS[subject].label);
  }

  /**
   * The revisions of a resource the caller may read, newest first, each with
   * what it changed from the one before: one statement, one index lookup for
   * the previous state of each revision on the page.
   */
  async list(subject: RevisionSubject, caller: Caller, id: string, limit: number, offset: number): Promise<Page<RevisionResponse>> {
    await this.assertVisible(subject, caller, id);
    const s = SUBJECTS[subject];
    const { rows, total } = await this.repository.page(id, limit, offset);
    const items = rows.map((r) => ({
      version: r.version,
      recordedAt: r.recorded_at.toISOString(),
      author: r.author,
      authorKeyId: r.author_key_id,
      kind: r.kind,
      changes: diff(r.previous === null ? undefined : fieldsOf(s, parseState(r.previous)), fieldsOf(s, parseState(r.state))),
    }));
    return { items, total, limit, offset };
  }

  /**
   * The row of a resource as it was at `asOf`, in the table's row type (as
   * `SELECT *` gives it), if the caller may read it now and it existed then.
   */
  rowAsOf(subject: RevisionSubject, caller: Caller, id: string, asOf: Date): Promise<Record<string, unknown> | undefined> {
    return this.repository.rowAsOf(subject, caller, id, asOf);
  }
}
