import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { transaction } from '../database/transaction-context.js';
import { type Cursor, formatCursor, parseCursor } from '../events/event-types.js';
import { EventsRepository } from '../events/events.repository.js';
import { EventsService } from '../events/events.service.js';
import { UndecryptableSecretError } from './secret-box.js';
import { sendWebhook } from './sender.js';
import { WebhookSettings } from './webhook-settings.js';
import { parseSnapshot } from './snapshot.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { CLAIM_BATCH, type Claimed } from './worker-claims.js';

/** Revisions the dispatcher passes in one transaction. */
const DISPATCH_WINDOW = 200;
/** Deliveries of one webhook in flight at once, over every instance. */
const PER_WEBHOOK = 2;
/** Deliveries one instance has in flight at once (mostly waiting sockets): the global budget. */
const MAX_IN_FLIGHT = 500;

/**
 * Delivers events to webhooks, at least once, on every instance that runs it.
 *
 * Dispatch follows the gap-free events feed with one persisted cursor
 * (`webhook_dispatch`): in one transaction it locks the cursor row (SKIP
 * LOCKED: one instance dispatches at a time, the others go on delivering),
 * reads the next window of events, writes a delivery row for each webhook that
 * may see each event (as its key, with its filters), and moves the cursor.
 * A crash before the commit leaves the cursor where it was; after it, the
 * deliveries exist. The feed never shows an event later behind its cursor,
 * so no event is passed over.
 *
 * Delivery claims due rows with FOR UPDATE SKIP LOCKED and a lease
 * (`locked_until`): two instances never take the same row at once, and a row
 * claimed by a worker that died is taken again when its lease runs out. The
 * outcome is written after the POST: a success, or the next attempt after
 * the backoff (WEBHOOK_RETRY_SCHEDULE), then `failed`. An endpoint failing
 * for WEBHOOK_DISABLE_AFTER without a success is disabled. Webhooks of a
 * revoked key get no new deliveries and their pending ones are not sent.
 * Claims are fair (at most two deliveries of a webhook in flight, round-robin
 * over webhooks, see `claimDue`), deliveries run without holding the worker,
 * and each attempt first checks that the key may still read the subject
 * (otherwise the delivery ends `skipped`).
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  /** A delivery ended while a round ran: the next round starts at once. */
  private again = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly aborter = new AbortController();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: WebhookDeliveriesRepository,
    private readonly feed: EventsRepository,
    private readonly events: EventsService,
    private readonly settings: WebhookSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.worker) return;
    this.running = this.reseal()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error(`Re-encrypting webhook secrets failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = undefined;
        this.schedule(0);
      });
  }

  /**
   * Finishes a key rotation: every secret not encrypted with WEBHOOK_SECRET_KEY (sealed with
   * WEBHOOK_SECRET_KEY_PREVIOUS, or in the first format without a key id) is encrypted again with it, each row
   * only if it is still the same bytes. Secrets no key opens are left as they are (their deliveries say why).
   */
  async reseal(): Promise<{ resealed: number; undecryptable: number }> {
    const box = this.settings.box;
    const rows = await this.repository.staleSecrets(box.currentPrefix);
    let resealed = 0;
    let undecryptable = 0;
    for (const row of rows) {
      let plain: string;
      try {
        plain = box.open(row.secret_encrypted);
      } catch (error) {
        if (!(error instanceof UndecryptableSecretError)) throw error;
        undecryptable += 1;
        this.logger.error(`Webhook ${row.id}: ${error.message}`);
        continue;
      }
      await this.repository.reseal(row.id, box.seal(plain), row.secret_encrypted);
      resealed += 1;
    }
    if (rows.length > 0) {
      this.logger.log(`Webhook secrets re-encrypted with WEBHOOK_SECRET_KEY: ${resealed}; not decryptable: ${undecryptable}`);
    }
    return { resealed, undecryptable };
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.aborter.abort();
    await this.running;
    await Promise.all(this.inFlight);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.again = false;
      this.running = this.round()
        .catch((error: unknown) => this.logger.error(`Webhook round failed: ${(error as Error).message}`))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.again ? 0 : this.settings.pollMs);
        });
    }, ms);
  }

  /** A delivery ended: its webhook may have more due, and a slot is free. Claims again at once, not at the next poll. */
  private wake(): void {
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /**
   * One round: dispatch until caught up, then claim what is due, as long as slots are free. Deliveries are not
   * waited for: a slow endpoint holds its own (at most PER_WEBHOOK) slots, never a round.
   */
  async round(): Promise<void> {
    while (!this.stopped && (await this.dispatch())) {
      // more events to pass
    }
    while (!this.stopped) {
      const free = Math.min(CLAIM_BATCH, MAX_IN_FLIGHT - this.inFlight.size);
      if (free <= 0) return;
      const claimed = await this.claimDue(free);
      for (const c of claimed) this.start(c);
      if (claimed.length < free) return;
    }
  }

  private start(c: Claimed): void {
    const delivery: Promise<void> = this.deliver(c)
      .catch((error: unknown) => this.logger.error(`Webhook ${c.webhook_id}: delivery ${c.id} failed: ${(error as Error).message}`))
      .finally(() => {
        this.inFlight.delete(delivery);
        this.wake();
      });
    this.inFlight.add(delivery);
  }

  /** Deliveries sent and finished, for tests and a caller that wants to wait: claims what is due and waits for it. */
  async deliverDue(): Promise<number> {
    const claimed = await this.claimDue(CLAIM_BATCH);
    await Promise.all(claimed.map((c) => this.deliver(c)));
    return claimed.length;
  }

  /**
   * Passes one window of the feed; true when it passed a full window (there may be more).
   *
   * With no active webhook it reads no history: it only moves the cursor to the head of the feed (one index
   * probe), so a webhook made later starts there. Otherwise it reads the next window in (xid, position) order,
   * on ix_revision__xid_position, and gives each webhook the window's events it may read that its creation did
   * not see (`created_snapshot`).
   */
  async dispatch(): Promise<boolean> {
    return transaction(this.dataSource, async () => {
      const cursor = await this.repository.lockCursor();
      if (!cursor) return false; // another instance is dispatching
      if (!cursor.active) {
        // Nobody to deliver to: the events passed now are before every webhook yet to be made.
        await this.feed.moveCursorToHead('webhook_dispatch');
        return false;
      }
      const window = await this.feed.nextWindow(cursor, DISPATCH_WINDOW);
      if (window.length === 0) return false;
      const until: Cursor = { xid: window[window.length - 1].xid, position: window[window.length - 1].position };
      const webhooks = await this.repository.active();
      for (const w of webhooks) {
        const seen = w.created_snapshot ? parseSnapshot(w.created_snapshot) : null;
        // A webhook made after every transaction of the window ended has nothing in it: no read.
        if (seen && window.every((r) => seen.visible(BigInt(r.xid)))) continue;
        const caller: Caller = { keyId: w.key_id, name: w.key_name, role: w.role, clusterIds: w.key_cluster_ids, funderId: w.funder_id };
        const page = await this.events.read(caller, cursor, {
          limit: DISPATCH_WINDOW,
          types: w.types ?? undefined,
          clusterIds: w.cluster_ids ?? undefined,
          until,
        });
        // A webhook gets the events committed after it was made (older webhooks: recorded after it was made).
        const events = page.items.filter((e) =>
          seen ? !seen.visible(BigInt(parseCursor(e.cursor).xid)) : new Date(e.occurredAt) >= w.created_at,
        );
        if (events.length === 0) continue;
        await this.repository.queue(
          w.id,
          events.map((e) => ({
            id: e.id,
            type: e.type,
            payload: JSON.stringify(e),
            subject_type: e.subject.type,
            subject_id: e.subject.id,
            cluster_id: e.clusterId,
          })),
        );
      }
      await this.repository.moveCursor(until);
      this.logger.debug(`Dispatched events up to ${formatCursor(until)} to ${webhooks.length} webhooks`);
      return window.length === DISPATCH_WINDOW;
    });
  }

  /**
   * Claims up to `limit` due deliveries, fairly: at most PER_WEBHOOK of a webhook in flight (leased) at once,
   * counting those other instances hold; first one delivery of each webhook (round-robin by rank), endpoints that
   * are not failing before failing ones, oldest first. A hanging endpoint therefore takes two slots, and a
   * healthy one's delivery is claimed at the next claim after its event.
   */
  async claimDue(limit: number): Promise<Claimed[]> {
    return transaction(this.dataSource, async () => {
      await this.repository.lockClaims();
      return this.repository.claim(this.settings.leaseMs, limit, PER_WEBHOOK);
    });
  }

  /**
   * Whether the webhook's key may read the event's subject now, by the events feed's own rule (visibleEvents
   * on the subject the delivery keeps). A ping has no subject.
   */
  private async mayRead(c: Claimed): Promise<boolean> {
    if (c.subject_type === null) return true;
    const caller: Caller = { keyId: c.key_id, name: c.key_name, role: c.role, clusterIds: c.key_cluster_ids, funderId: c.funder_id };
    return this.repository.mayRead(caller, c.id);
  }

  private async deliver(c: Claimed): Promise<void> {
    if (!(await this.mayRead(c))) {
      // The key lost the right to read the subject since the event (a funding archived, a cluster taken away):
      // the delivery ends without being sent, now and at any later retry.
      await this.repository.skip(c.id, c.attempt);
      return;
    }
    let result;
    try {
      let secret: string;
      try {
        secret = this.settings.box.open(c.secret_encrypted);
      } catch (error) {
        if (!(error instanceof UndecryptableSecretError)) throw error;
        // Nothing can be signed: the attempt fails with the reason, and an operator has to act (keys or a new secret).
        this.logger.error(`Webhook ${c.webhook_id}: delivery ${c.id} not sent: ${error.message}`);
        throw error;
      }
      result = await sendWebhook(
        c.url,
        secret,
        { id: c.event_id, body: c.payload },
        {
          allowPrivate: this.settings.allowPrivate,
          resolve: this.settings.resolve,
          timeoutMs: this.settings.timeoutMs,
          signal: this.aborter.signal,
        },
      );
    } catch (error) {
      result = { ok: false, status: null, durationMs: 0, error: (error as Error).message.slice(0, 500) };
    }
    if (this.stopped && !result.ok) {
      // Shutting down mid-delivery: give the row back at once instead of waiting for the lease.
      await this.repository.release(c.id, c.attempt).catch(() => undefined);
      return;
    }
    const schedule = this.settings.retrySchedule;
    const backoffMs = c.attempt <= schedule.length ? schedule[c.attempt - 1] : null;
    await transaction(this.dataSource, async () => {
      // Only the worker that holds this attempt writes its outcome (a lease that ran out gave the row to another).
      const held = await this.repository.recordOutcome(c.id, c.attempt, {
        ok: result.ok,
        status: result.status,
        durationMs: result.durationMs,
        backoffMs,
        error: result.ok ? null : (result.error ?? `HTTP ${result.status}`),
      });
      if (!held) return;
      if (result.ok) await this.repository.succeeded(c.webhook_id);
      else await this.repository.failed(c.webhook_id, this.settings.disableAfterMs);
    });
  }
}
