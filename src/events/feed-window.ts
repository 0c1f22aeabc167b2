import type { EntityManager } from 'typeorm';
import type { Cursor } from './event-types.js';

/** The single-row tables (id = 1) where a follower of the events feed keeps its cursor. */
export type FeedCursorTable = 'webhook_dispatch' | 'email_dispatch';

/**
 * Moves a follower's cursor to the head of the feed (one index probe), never back: with nobody to pass events to,
 * the events passed now are before every follower yet to be made.
 */
export async function moveCursorToHead(manager: EntityManager, table: FeedCursorTable): Promise<void> {
  await manager.query(
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
export function nextFeedWindow(manager: EntityManager, cursor: Cursor, limit: number): Promise<Cursor[]> {
  return manager.query<Cursor[]>(
    // Ordered by the columns themselves (numbers, as the index has them), not by the text they are answered as.
    `SELECT r.xid::text AS xid, r.position::text AS position FROM revision r
     WHERE (r.xid, r.position) > ($1::bigint, $2::bigint) AND r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
     ORDER BY r.xid, r.position LIMIT $3`,
    [cursor.xid, cursor.position, limit],
  );
}
