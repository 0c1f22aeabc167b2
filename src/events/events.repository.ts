import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import type { Row } from '../plan-items/plan-item-kind.js';
import { type EventRow, type ResourceRead, resourceRead } from './event-data.js';
import { type Cursor, eventTypeSql } from './event-types.js';
import { visibleEvents } from './visible-events.js';

/** How many revisions one page looks at, at most, before it stops (its `next` then says how far it got). */
export const SCAN_WINDOW = 1000;
/** How many revisions one wake-up of the waiting readers reads, at most; more are read by the next one at once. */
export const WAKE_BATCH = 1000;

/** What a page asks for past its cursor. */
export interface PageFilters {
  limit: number;
  types?: string[];
  clusterIds?: string[];
  until?: Cursor;
}

/** The single-row tables (id = 1) where a follower of the events feed keeps its cursor. */
export type FeedCursorTable = 'webhook_dispatch' | 'email_dispatch';

/** A new revision as a wake-up reads it: what filters and visibility need, nothing of the resource. */
export interface BatchRow {
  xid: string;
  position: string;
  type: string | null;
  subject_type: string;
  cluster_id: string | null;
}

const EXAMPLE_AFTER: Cursor = { xid: '1203', position: '88' };

/** The revisions read as events: every statement of the feed's pages and of its waiting readers' wake-ups. */
@Injectable()
export class EventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The next events after the cursor among the revisions whose transactions have all ended, in (xid, position)
   * order, with the state before each; the first row also says how far the scan got (`scanned_to`), and is the only
   * one (without an event) when nothing matched.
   */
  @GenerateSql(
    { name: 'a page, for an admin key', args: () => [exampleCaller('admin'), EXAMPLE_AFTER, { limit: 100 }] },
    {
      name: "a dispatcher's window of some types and clusters, for a funder key",
      args: () => [
        exampleCaller('funder'),
        EXAMPLE_AFTER,
        {
          limit: 100,
          types: ['goal.updated', 'goal.status_changed'],
          clusterIds: [EXAMPLE_IDS.cluster],
          until: { xid: '1300', position: '120' },
        },
      ],
    },
  )
  page(caller: Caller, after: Cursor, query: PageFilters): Promise<(Partial<EventRow> & { scanned_to: string | null })[]> {
    const visible = visibleEvents(caller, 's');
    return namedQuery<Partial<EventRow> & { scanned_to: string | null }>(
      db(this.dataSource),
      `WITH scanned AS (
         SELECT r.* FROM revision r
         WHERE (r.xid, r.position) > (:afterXid::bigint, :afterPosition::bigint)
           AND r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
           ${query.until ? 'AND (r.xid, r.position) <= (:untilXid::bigint, :untilPosition::bigint)' : ''}
         ORDER BY r.xid, r.position
         LIMIT :scan
       ),
       matched AS (
         SELECT s.*, ${eventTypeSql('s')} AS type FROM scanned s
         WHERE ${eventTypeSql('s')} IS NOT NULL AND ${visible.sql}
           ${query.types ? `AND ${eventTypeSql('s')} IN (:...types)` : ''}
           ${query.clusterIds ? 'AND s.cluster_id = ANY(:clusterIds::uuid[])' : ''}
         ORDER BY s.xid, s.position
         LIMIT :limit
       )
       SELECT edge.scanned_to, m.position, m.xid, m.event_id, m.type, m.subject_type::text AS subject_type, m.subject_id, m.cluster_id,
              m.version, m.author, m.recorded_at, m.state::text AS state, p.state::text AS previous
       FROM (SELECT (SELECT s.xid || '_' || s.position FROM scanned s ORDER BY s.xid DESC, s.position DESC LIMIT 1) AS scanned_to) edge
       LEFT JOIN matched m ON true
       LEFT JOIN LATERAL (
         SELECT p.state FROM revision p
         WHERE p.subject_id = m.subject_id AND (p.recorded_at, p.position) < (m.recorded_at, m.position)
         ORDER BY p.recorded_at DESC, p.position DESC LIMIT 1) p ON true
       ORDER BY m.xid, m.position`,
      {
        afterXid: after.xid,
        afterPosition: after.position,
        scan: SCAN_WINDOW,
        limit: query.limit,
        types: query.types,
        clusterIds: query.clusterIds,
        untilXid: query.until?.xid,
        untilPosition: query.until?.position,
        ...visible.params,
      },
    );
  }

  /**
   * The resources of one kind as they were in the revisions at `positions`: the row as stored in each (its
   * `to_jsonb`, given back typed as the table's columns), with what the kind's GET reads beside it as of the
   * revision's time. One statement per kind on a page.
   */
  @GenerateSql(
    { name: 'clusters', args: () => [resourceRead('cluster'), ['88', '91']] },
    { name: 'goals, which read their latest measurement and contributors beside their row', args: () => [resourceRead('goal'), ['92']] },
  )
  resources(shape: ResourceRead, positions: string[]): Promise<(Row & { ev_position: string; ev_recorded_at: Date })[]> {
    const read = shape.read;
    return namedQuery<Row & { ev_position: string; ev_recorded_at: Date }>(
      db(this.dataSource),
      `SELECT ev.position AS ev_position, ev.recorded_at AS ev_recorded_at, i.*${read ? `, ${read.columns}` : ''}
       FROM revision ev CROSS JOIN LATERAL jsonb_populate_record(NULL::"${shape.table}", ev.state) i
       ${read ? read.joins : ''}
       WHERE ev.position IN (:...positions)`,
      { positions },
    );
  }

  /**
   * A wake-up's shared read: the revisions after `from` whose transactions have all ended, with what filters and
   * visibility need. On the data source itself: the waiting readers' requests have ended their own work.
   */
  @GenerateSql({ name: 'after a cursor', args: () => [EXAMPLE_AFTER] })
  newRevisions(from: Cursor): Promise<BatchRow[]> {
    return this.dataSource.query<BatchRow[]>(
      `SELECT r.xid::text AS xid, r.position::text AS position, ${eventTypeSql('r')} AS type,
              r.subject_type::text AS subject_type, r.cluster_id
       FROM revision r
       WHERE (r.xid, r.position) > ($1::bigint, $2::bigint)
         AND r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
       ORDER BY r.xid, r.position
       LIMIT ${WAKE_BATCH}`,
      [from.xid, from.position],
    );
  }

  /**
   * Which of the revisions at the positions asked each caller may see now, as (key, position) rows: one statement
   * for every caller asked, each under the same rule with its parameters named apart.
   */
  @GenerateSql({
    name: 'an editor key and a funder key',
    args: () => [
      [
        { caller: exampleCaller('editor'), positions: ['88', '91'] },
        { caller: { ...exampleCaller('funder'), keyId: '00000000-0000-4000-8000-00000000a002' }, positions: ['91'] },
      ],
    ],
  })
  visibleTo(asked: { caller: Caller; positions: Iterable<string> }[]): Promise<{ key: string; position: string }[]> {
    const parts: string[] = [];
    const params: Record<string, unknown> = {};
    asked.forEach(({ caller, positions }, i) => {
      const visible = visibleEvents(caller, 's');
      // The same rule for every caller, its parameters named apart.
      let sql = visible.sql;
      for (const [name, value] of Object.entries(visible.params)) {
        sql = sql.replace(new RegExp(`(?<!:):${name}\\b`, 'g'), `:${name}_${i}`);
        params[`${name}_${i}`] = value;
      }
      params[`positions_${i}`] = [...positions];
      params[`key_${i}`] = caller.keyId;
      parts.push(`SELECT :key_${i}::text AS key, s.position::text AS position FROM revision s
        WHERE s.position = ANY(:positions_${i}::bigint[]) AND ${sql}`);
    });
    return namedQuery<{ key: string; position: string }>(this.dataSource.manager, parts.join('\nUNION ALL\n'), params);
  }

  /**
   * Moves a follower's cursor to the head of the feed (one index probe), never back: with nobody to pass events to,
   * the events passed now are before every follower yet to be made.
   */
  @GenerateSql({ name: "the webhooks' cursor", args: () => ['webhook_dispatch'] })
  async moveCursorToHead(table: FeedCursorTable): Promise<void> {
    await db(this.dataSource).query(
      `UPDATE ${table} d SET xid = head.xid, position = head.position
       FROM (SELECT r.xid, r.position FROM revision r WHERE r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
             ORDER BY r.xid DESC, r.position DESC LIMIT 1) head
       WHERE d.id = 1 AND (d.xid, d.position) < (head.xid, head.position)`,
    );
  }

  /**
   * The next window of the feed after the cursor: at most `limit` revisions in (xid, position) order, on
   * ix_revision__xid_position, only of transactions older than every one still running (none can commit behind it).
   */
  @GenerateSql({ name: 'a window', args: () => [EXAMPLE_AFTER, 200] })
  nextWindow(cursor: Cursor, limit: number): Promise<Cursor[]> {
    return db(this.dataSource).query<Cursor[]>(
      // Ordered by the columns themselves (numbers, as the index has them), not by the text they are answered as.
      `SELECT r.xid::text AS xid, r.position::text AS position FROM revision r
       WHERE (r.xid, r.position) > ($1::bigint, $2::bigint) AND r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
       ORDER BY r.xid, r.position LIMIT $3`,
      [cursor.xid, cursor.position, limit],
    );
  }
}
