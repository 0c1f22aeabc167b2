import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import type { EventPage, EventResponse } from './dto/event.dto.js';
import { eventData, type EventRow } from './event-data.js';
import { EventsRepository } from './events.repository.js';
import { type Cursor, formatCursor, parseCursor } from './event-types.js';
import { FeedSignal } from './feed-signal.js';
import { FeedWaiters } from './feed-waiters.js';
import { WaiterBudget } from './waiter-budget.js';

export { visibleEvents } from './visible-events.js';

/** What a reader of the feed asks for. */
export interface FeedQuery {
  after?: string;
  limit: number;
  types?: string[];
  /** Only events about these clusters. */
  clusterIds?: string[];
  /** Not past this cursor (the dispatcher reads one window of the feed for every webhook). */
  until?: Cursor;
}

/**
 * The events feed: revisions are the events.
 *
 * Gap-free reading. Positions come from an identity, taken when a revision is
 * inserted, so a transaction can hold position 41 and commit after 42 is
 * visible: a reader that moved past 42 would never see 41. Positions are not
 * even ordered like transaction ids (a transaction that got its xid early may
 * insert its revision late), so "position > after, below the oldest open
 * transaction" skips events too. The feed therefore orders events by
 * (xid, position) and shows only revisions whose transaction id is below
 * `pg_snapshot_xmin(pg_current_snapshot())`: every transaction below it has
 * ended, so that part of the order is final — no revision can ever appear in
 * it again — and every transaction still open, or yet to start, has an xid at
 * or above it, so its revisions come after every cursor handed out so far.
 * The price: a long write transaction holds back the feed until it ends.
 */
@Injectable()
export class EventsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: EventsRepository,
    private readonly revisions: RevisionsService,
    private readonly signal: FeedSignal,
    private readonly budget: WaiterBudget,
    private readonly waiters: FeedWaiters,
  ) {}

  /**
   * A page of events after `query.after`, for the caller; with `waitSeconds`,
   * held until at least one event arrives or the time is up. While it waits it
   * keeps moving past events the caller may not see, so the `next` it answers
   * is never behind what it looked at.
   */
  async page(caller: Caller, query: FeedQuery, waitSeconds = 0, gone?: AbortSignal): Promise<EventPage> {
    const deadline = Date.now() + waitSeconds * 1000;
    // A request that may wait takes its place in the budget before anything else, so that one over it costs nothing.
    const release = waitSeconds > 0 ? this.budget.admit(caller.keyId, deadline) : () => undefined;
    gone?.addEventListener('abort', release, { once: true });
    try {
      const mark = this.signal.mark();
      const page = await this.read(caller, parseCursor(query.after), query);
      if (page.items.length > 0 || waitSeconds === 0 || gone?.aborted) return page;
      return await this.waiters.wait(
        caller,
        query,
        parseCursor(page.next),
        deadline,
        mark,
        (after) => this.read(caller, after, query),
        gone,
      );
    } finally {
      release();
      gone?.removeEventListener('abort', release);
    }
  }

  /** One page: the next events in the order of (xid, position) among those whose transactions have all ended. */
  async read(caller: Caller, after: Cursor, query: Omit<FeedQuery, 'after'>): Promise<EventPage> {
    const rows = await this.repository.page(caller, after, query);
    const events = rows.filter((r): r is EventRow & { scanned_to: string } => r.position !== null && r.position !== undefined);
    const data = await eventData(
      this.dataSource,
      events,
      (instant) => this.revisions.dayOf(instant),
      (shape, positions) => this.repository.resources(shape, positions),
    );
    const items: EventResponse[] = events.map((r) => ({
      id: r.event_id,
      cursor: formatCursor(r),
      type: r.type,
      occurredAt: r.recorded_at.toISOString(),
      clusterId: r.cluster_id,
      subject: { type: r.subject_type, id: r.subject_id },
      version: r.version,
      author: r.author,
      data: data.get(r.position) ?? {},
    }));
    // A full page ends at its last event; otherwise everything scanned was looked at, shown or not.
    const scannedTo = rows[0]?.scanned_to ?? null;
    const next = items.length === query.limit ? items[items.length - 1].cursor : (scannedTo ?? formatCursor(after));
    return { items, next };
  }
}
