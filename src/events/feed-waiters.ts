import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Caller } from '../auth/role.js';
import type { EventPage } from './dto/event.dto.js';
import { type Cursor, CURSOR_PATTERN, formatCursor, parseCursor } from './event-types.js';
import { type BatchRow, EventsRepository, WAKE_BATCH } from './events.repository.js';
import { FeedSignal } from './feed-signal.js';

/** What a waiting reader asked for, past its cursor. */
export interface WaitingQuery {
  types?: string[];
  clusterIds?: string[];
}

interface Waiter {
  caller: Caller;
  query: WaitingQuery;
  /** Everything up to here was looked at for this reader. */
  after: Cursor;
  /** Reads the reader's own page from `after` (only once the shared batch shows an event it may see). */
  readPage(after: Cursor): Promise<EventPage>;
  settle(page: EventPage): void;
}

const key = (c: Cursor): [bigint, bigint] => [BigInt(c.xid), BigInt(c.position)];
function before(a: Cursor, b: Cursor): boolean {
  const [ax, ap] = key(a);
  const [bx, bp] = key(b);
  return ax < bx || (ax === bx && ap < bp);
}

/**
 * The readers of `GET /events?wait=` that are waiting for an event, and their
 * wake-up. When the feed moves (FeedSignal), one shared read per instance
 * takes the batch of new revisions — only their cursor, type, subject type
 * and cluster — from the oldest cursor of all waiters; each waiter filters it
 * in memory by its types and cluster; whether a caller may see the rows left
 * is one more statement for all callers together (none for admin and viewer
 * keys, which see everything). Only a waiter that may see an event of the
 * batch reads its page, with the same query as any page; every other waiter
 * moves its cursor past the batch and waits on. A wake-up therefore costs two
 * statements whatever the number of waiters, plus one page for each reader
 * that gets an event, instead of one page for each waiter (800 waiters with
 * a filter that never matched made every write cost 800 queries).
 *
 * Gap-free and exactly-once as the feed itself: the batch is read with the
 * page's rule (below `pg_snapshot_xmin`, in (xid, position) order), a waiter's
 * cursor moves only past revisions of the batch it looked at, and the page it
 * answers is read from its own cursor.
 */
@Injectable()
export class FeedWaiters implements OnApplicationShutdown {
  private readonly logger = new Logger(FeedWaiters.name);
  private readonly waiters = new Set<Waiter>();
  private unsubscribe?: () => void;
  /** The feed moved (or a waiter came) since the last wake-up began. */
  private dirty = false;
  private running = false;
  private closed = false;

  constructor(
    private readonly repository: EventsRepository,
    private readonly signal: FeedSignal,
  ) {}

  /** Readers waiting now (the metrics' events waiters). */
  get waiterCount(): number {
    return this.waiters.size;
  }

  onApplicationShutdown(): void {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.settle({ items: [], next: formatCursor(waiter.after) });
  }

  /**
   * Waits for an event the caller may see after `after` until `deadline` (epoch ms), and answers its page;
   * at the deadline, or when `gone` aborts, an empty page whose `next` is as far as the wake-ups looked.
   * `mark` is the signal's mark taken before `after` was read: if the feed moved since, a wake-up runs at once.
   */
  wait(
    caller: Caller,
    query: WaitingQuery,
    after: Cursor,
    deadline: number,
    mark: number,
    readPage: (after: Cursor) => Promise<EventPage>,
    gone?: AbortSignal,
  ): Promise<EventPage> {
    if (this.closed || gone?.aborted || Date.now() >= deadline) return Promise.resolve({ items: [], next: formatCursor(after) });
    return new Promise((resolve) => {
      const waiter: Waiter = {
        caller,
        query,
        after,
        readPage,
        settle: (page) => {
          if (!this.waiters.delete(waiter)) return;
          clearTimeout(timer);
          gone?.removeEventListener('abort', leave);
          if (this.waiters.size === 0) this.stopListening();
          resolve(page);
        },
      };
      const leave = () => waiter.settle({ items: [], next: formatCursor(waiter.after) });
      const timer = setTimeout(leave, Math.max(0, deadline - Date.now()));
      gone?.addEventListener('abort', leave, { once: true });
      this.waiters.add(waiter);
      this.unsubscribe ??= this.signal.subscribe(() => this.wake());
      if (this.signal.mark() !== mark) this.wake();
    });
  }

  private stopListening(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Runs a wake-up, or another one after the one under way: never two at once. */
  private wake(): void {
    this.dirty = true;
    if (this.running) return;
    this.running = true;
    void (async () => {
      try {
        while (this.dirty && this.waiters.size > 0) {
          this.dirty = false;
          try {
            if (await this.round()) this.dirty = true; // a full batch: more to read at once
          } catch (error) {
            // The database is away: the waiters time out on their own, or the next signal tries again.
            this.logger.warn(`Waking the feed's waiting readers failed: ${(error as Error).message}`);
          }
        }
      } finally {
        this.running = false;
      }
    })();
  }

  /** One wake-up: the shared read of the new revisions, fanned out to the waiters. Whether the batch was full. */
  private async round(): Promise<boolean> {
    const waiting = [...this.waiters];
    if (waiting.length === 0) return false;
    const from = waiting.reduce((min, w) => (before(w.after, min) ? w.after : min), waiting[0].after);
    const rows = await this.repository.newRevisions(from);
    if (rows.length === 0) return false;
    const last = rows[rows.length - 1];
    const edge: Cursor = { xid: last.xid, position: last.position };

    // Each waiter's candidates: the rows past its cursor that its own filters keep.
    const candidates = new Map<Waiter, BatchRow[]>();
    for (const w of waiting) {
      const mine = rows.filter(
        (r) =>
          r.type !== null &&
          before(w.after, r) &&
          (!w.query.types || w.query.types.includes(r.type)) &&
          (!w.query.clusterIds || (r.cluster_id !== null && w.query.clusterIds.includes(r.cluster_id))),
      );
      if (mine.length > 0) candidates.set(w, mine);
    }
    const visible = await this.visibility(candidates);

    await Promise.all(
      waiting.map(async (w) => {
        const mine = candidates.get(w) ?? [];
        const seen = visible.get(w.caller.keyId);
        const found = mine.some((r) => seen === 'all' || seen?.has(r.position));
        if (!found) {
          if (before(w.after, edge)) w.after = edge;
          return;
        }
        const page = await w.readPage(w.after);
        if (page.items.length > 0) w.settle(page);
        else if (CURSOR_PATTERN.test(page.next)) w.after = parseCursor(page.next); // no longer visible by the time of its read: it looked that far
      }),
    );
    return rows.length === WAKE_BATCH;
  }

  /**
   * Which of their candidate rows each caller may see now, by key: one statement for every caller that needs
   * one (those whose visibility depends on the data), none when no such caller has a candidate.
   */
  private async visibility(candidates: Map<Waiter, BatchRow[]>): Promise<Map<string, Set<string> | 'all'>> {
    const result = new Map<string, Set<string> | 'all'>();
    const asked = new Map<string, { caller: Caller; positions: Set<string> }>();
    for (const [w, rows] of candidates) {
      if (w.caller.role === 'admin' || w.caller.role === 'viewer') {
        result.set(w.caller.keyId, 'all');
        continue;
      }
      const entry = asked.get(w.caller.keyId) ?? { caller: w.caller, positions: new Set<string>() };
      for (const r of rows) entry.positions.add(r.position);
      asked.set(w.caller.keyId, entry);
    }
    if (asked.size === 0) return result;
    const rows = await this.repository.visibleTo([...asked.values()]);
    for (const { caller } of asked.values()) result.set(caller.keyId, new Set());
    for (const r of rows) (result.get(r.key) as Set<string>).add(r.position);
    return result;
  }
}
