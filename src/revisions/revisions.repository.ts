import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { namedQuery, pageRows } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import { asOfRows } from './as-of.js';
import type { RevisionKind, RevisionSubject } from './revision.entity.js';
import { SUBJECTS } from './subjects.js';

/** A revision on a page of a resource's revisions, with the state of the one before it. */
export interface RevisionRow {
  version: number;
  kind: RevisionKind;
  author: string;
  author_key_id: string | null;
  recorded_at: Date;
  state: string;
  previous: string | null;
}

const EXAMPLE_SUBMISSION = '00000000-0000-4000-8000-00000000d001';
const EXAMPLE_INSTANT = new Date('2026-06-30T12:00:00Z');

/** The revisions of resources, and resources as they were: every statement the revisions' service sends. */
@Injectable()
export class RevisionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether the caller may read the resource now (archived or not). */
  @GenerateSql(
    { name: 'a cluster, for an editor key', args: () => ['cluster', exampleCaller('editor'), EXAMPLE_IDS.cluster] },
    { name: 'a submission, for a funder key', args: () => ['report_submission', exampleCaller('funder'), EXAMPLE_SUBMISSION] },
  )
  async visible(subject: RevisionSubject, caller: Caller, id: string): Promise<boolean> {
    const s = SUBJECTS[subject];
    const visible = s.visible(caller);
    const [row] = await namedQuery(db(this.dataSource), `SELECT 1 FROM "${s.table}" t WHERE t.id = :id AND ${visible.sql}`, {
      id,
      ...visible.params,
    });
    return row !== undefined;
  }

  /**
   * A page of a resource's revisions, newest first, each with the state before it (one index lookup each), and
   * their number: one statement, and a count only for a page past the end.
   */
  @GenerateSql(
    { name: 'the first page', args: () => [EXAMPLE_IDS.cluster, 20, 0] },
    { name: 'a page past the end', args: () => [EXAMPLE_IDS.cluster, 20, 40] },
  )
  page(id: string, limit: number, offset: number): Promise<{ rows: RevisionRow[]; total: number }> {
    return pageRows<RevisionRow>(
      db(this.dataSource),
      {
        columns: 'r.version, r.kind, r.author, r.author_key_id, r.recorded_at, r.state::text AS state, p.state::text AS previous',
        from: `revision r
       LEFT JOIN LATERAL (
         SELECT p.state FROM revision p
         WHERE p.subject_id = r.subject_id AND (p.recorded_at, p.position) < (r.recorded_at, r.position)
         ORDER BY p.recorded_at DESC, p.position DESC LIMIT 1) p ON true`,
        where: { sql: 'r.subject_id = :id', params: { id } },
        orderBy: 'r.recorded_at DESC, r.position DESC',
        countFrom: 'revision r',
      },
      { limit, offset },
    );
  }

  /** The row of a resource as it was at `asOf`, as `SELECT *` gives it, if the caller may read it now and it existed then. */
  @GenerateSql({
    name: 'a cluster, for a funder key',
    args: () => ['cluster', exampleCaller('funder'), EXAMPLE_IDS.cluster, EXAMPLE_INSTANT],
  })
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
