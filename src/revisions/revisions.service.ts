import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { namedQuery } from '../common/sql.js';
import { db } from '../database/transaction-context.js';
import { asOfRows, parseAsOf } from './as-of.js';
import { Environment } from '../config/environment.js';
import { dayOf } from '../common/calendar.js';
import { diff } from './diff.js';
import { recordRevision, type RevisionAuthor } from './record.js';
import type { RevisionResponse } from './dto/revision.dto.js';
import type { RevisionKind, RevisionSubject } from './revision.entity.js';
import { fieldsOf, parseState, SUBJECTS } from './subjects.js';

interface RevisionRow {
  version: number;
  kind: RevisionKind;
  author: string;
  author_key_id: string | null;
  recorded_at: Date;
  state: string;
  previous: string | null;
  total_count: string;
}

/**
 * The one mechanism behind the revisions of every resource: a write calls
 * `record` inside its transaction, after the row is written, and the row as
 * stored becomes the revision's state. Lists them with what each changed, and
 * reads rows as of an instant.
 */
@Injectable()
export class RevisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
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
    const s = SUBJECTS[subject];
    const visible = s.visible(caller);
    const [row] = await namedQuery(db(this.dataSource), `SELECT 1 FROM "${s.table}" t WHERE t.id = :id AND ${visible.sql}`, {
      id,
      ...visible.params,
    });
    if (!row) throw DomainError.notFound(s.label);
  }

  /**
   * The revisions of a resource the caller may read, newest first, each with
   * what it changed from the one before: one statement, one index lookup for
   * the previous state of each revision on the page.
   */
  async list(subject: RevisionSubject, caller: Caller, id: string, limit: number, offset: number): Promise<Page<RevisionResponse>> {
    await this.assertVisible(subject, caller, id);
    const s = SUBJECTS[subject];
    const rows = await namedQuery<RevisionRow>(
      db(this.dataSource),
      `SELECT r.version, r.kind, r.author, r.author_key_id, r.recorded_at, r.state::text AS state, p.state::text AS previous,
              count(*) OVER () AS total_count
       FROM revision r
       LEFT JOIN LATERAL (
         SELECT p.state FROM revision p
         WHERE p.subject_id = r.subject_id AND (p.recorded_at, p.position) < (r.recorded_at, r.position)
         ORDER BY p.recorded_at DESC, p.position DESC LIMIT 1) p ON true
       WHERE r.subject_id = :id
       ORDER BY r.recorded_at DESC, r.position DESC
       LIMIT :limit OFFSET :offset`,
      { id, limit, offset },
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total_count)
        : offset === 0
          ? 0
          : Number(
              (await namedQuery<{ n: string }>(db(this.dataSource), `SELECT count(*) AS n FROM revision WHERE subject_id = :id`, { id }))[0]
                .n,
            );
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
  async rowAsOf(subject: RevisionSubject, caller: Caller, id: string, asOf: Date): Promise<Record<string, unknown> | undefined> {
    const s = SUBJECTS[subject];
    const visible = s.visible(caller);
    const [row] = await namedQuery<Record<string, unknown>>(
      db(this.dataSource),
      `SELECT t.* FROM ${asOfRows(s.table, 'live.id = :id')} t WHERE ${visible.sql}`,
      { id, asOf, ...visible.params },
    );
    return row;
  }
}
