import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import type { Cursor } from '../events/event-types.js';
import { visibleEvents } from '../events/visible-events.js';
import { type ActiveWebhook, CLAIM_LOCK, type Claimed } from './worker-claims.js';

/** An event to deliver to a webhook, as the delivery row keeps it. */
export interface QueuedEvent {
  id: string;
  type: string;
  payload: string;
  subject_type: string;
  subject_id: string;
  cluster_id: string | null;
}

/** How an attempt ended: sent or not, and when to try again (null: never). */
export interface AttemptOutcome {
  ok: boolean;
  status: number | null;
  durationMs: number;
  backoffMs: number | null;
  error: string | null;
}

const EXAMPLE_WEBHOOK = '00000000-0000-4000-8000-0000000000e1';
const EXAMPLE_DELIVERY = '00000000-0000-4000-8000-0000000000e2';

/**
 * The webhook worker's queue: the dispatcher's cursor, the delivery rows it writes, the claims and the outcomes of
 * attempts. Statements the worker sends in a transaction of its own run on the current one (`db()`); the others on
 * the data source itself, as the worker runs outside any request.
 */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The secrets not sealed with the current key (their first bytes differ from its prefix). */
  @GenerateSql({ name: 'a key prefix', args: () => [Buffer.from('v2:k1:')] })
  staleSecrets(prefix: Buffer): Promise<{ id: string; secret_encrypted: Buffer }[]> {
    return this.dataSource.query<{ id: string; secret_encrypted: Buffer }[]>(
      `SELECT id, secret_encrypted FROM webhook WHERE archived_at IS NULL AND substring(secret_encrypted FROM 1 FOR $2::int) <> $1`,
      [prefix, prefix.length],
    );
  }

  /** Writes a secret sealed again, only if the row still holds the bytes it was read with. */
  @GenerateSql({ name: 'a secret', args: () => [EXAMPLE_WEBHOOK, Buffer.from('v2:k1:new'), Buffer.from('v1:old')] })
  async reseal(id: string, sealed: Buffer, was: Buffer): Promise<void> {
    await this.dataSource.query(`UPDATE webhook SET secret_encrypted = $2 WHERE id = $1 AND secret_encrypted = $3`, [id, sealed, was]);
  }

  /** The dispatcher's cursor, locked (SKIP LOCKED: none while another instance dispatches), and whether any webhook is active. */
  @GenerateSql({ name: 'the cursor', args: () => [] })
  async lockCursor(): Promise<{ xid: string; position: string; active: boolean } | undefined> {
    const [cursor] = await db(this.dataSource).query<{ xid: string; position: string; active: boolean }[]>(
      `SELECT d.xid::text AS xid, d.position::text AS position,
         EXISTS (SELECT 1 FROM webhook w JOIN api_key k ON k.id = w.api_key_id
                 WHERE w.disabled_at IS NULL AND w.archived_at IS NULL AND k.revoked_at IS NULL) AS active
       FROM webhook_dispatch d WHERE d.id = 1 FOR UPDATE OF d SKIP LOCKED`,
    );
    return cursor;
  }

  /** The webhooks that get deliveries (not disabled, not deleted, their key not revoked), with their keys. */
  @GenerateSql({ name: 'the active webhooks', args: () => [] })
  active(): Promise<ActiveWebhook[]> {
    return db(this.dataSource).query<ActiveWebhook[]>(
      `SELECT w.id, w.types, w.cluster_ids, w.created_at, w.created_snapshot::text AS created_snapshot,
              k.id AS key_id, k.name AS key_name, k.role, k.cluster_ids AS key_cluster_ids, k.funder_id
       FROM webhook w JOIN api_key k ON k.id = w.api_key_id
       WHERE w.disabled_at IS NULL AND w.archived_at IS NULL AND k.revoked_at IS NULL`,
    );
  }

  /** A delivery of each event to the webhook, in one statement; an event it already has is not queued again. */
  @GenerateSql({
    name: 'two events',
    args: (): [string, QueuedEvent[]] => [
      EXAMPLE_WEBHOOK,
      [
        {
          id: '00000000-0000-4000-8000-0000000000f1',
          type: 'goal.updated',
          payload: '{}',
          subject_type: 'goal',
          subject_id: EXAMPLE_DELIVERY,
          cluster_id: null,
        },
        {
          id: '00000000-0000-4000-8000-0000000000f2',
          type: 'goal.archived',
          payload: '{}',
          subject_type: 'goal',
          subject_id: EXAMPLE_DELIVERY,
          cluster_id: null,
        },
      ],
    ],
  })
  async queue(webhookId: string, events: QueuedEvent[]): Promise<void> {
    await namedQuery(
      db(this.dataSource),
      `INSERT INTO webhook_delivery (webhook_id, event_id, event_type, payload, subject_type, subject_id, cluster_id)
       SELECT :webhookId, e.id, e.type, e.payload, e.subject_type, e.subject_id, e.cluster_id
       FROM jsonb_to_recordset(:events::jsonb) AS e(id uuid, type text, payload text, subject_type text, subject_id uuid, cluster_id uuid)
       ON CONFLICT (webhook_id, event_id) DO NOTHING`,
      { webhookId, events: JSON.stringify(events) },
    );
  }

  /** Moves the dispatcher's cursor. */
  @GenerateSql({ name: 'a cursor', args: () => [{ xid: '1300', position: '120' }] })
  async moveCursor(until: Cursor): Promise<void> {
    await db(this.dataSource).query(`UPDATE webhook_dispatch SET xid = $1, position = $2 WHERE id = 1`, [until.xid, until.position]);
  }

  /** Waits for the claim lock, held until the transaction ends: claims are made one at a time over every instance. */
  @GenerateSql({ name: 'the lock', args: () => [] })
  async lockClaims(): Promise<void> {
    await db(this.dataSource).query(`SELECT pg_advisory_xact_lock($1)`, [CLAIM_LOCK]);
  }

  /**
   * Claims up to `limit` due deliveries under a lease of `leaseMs`, at most `perWebhook` of a webhook in flight
   * (those other instances hold counted); first one delivery of each webhook (round-robin by rank), endpoints that
   * are not failing before failing ones, oldest first.
   */
  @GenerateSql({ name: 'fifty', args: () => [30_000, 50, 2] })
  claim(leaseMs: number, limit: number, perWebhook: number): Promise<Claimed[]> {
    // In a CTE, so that the rows come back as a SELECT's (TypeORM answers an UPDATE with [rows, count]).
    return db(this.dataSource).query<Claimed[]>(
      `WITH due AS (
         SELECT d.id, d.webhook_id, d.next_attempt_at, w.failing_since IS NOT NULL AS failing,
                row_number() OVER (PARTITION BY d.webhook_id ORDER BY d.next_attempt_at, d.id) AS rank
         FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id JOIN api_key k ON k.id = w.api_key_id
         WHERE d.state = 'pending' AND d.next_attempt_at <= clock_timestamp()
           AND (d.locked_until IS NULL OR d.locked_until < clock_timestamp())
           AND w.disabled_at IS NULL AND w.archived_at IS NULL AND k.revoked_at IS NULL),
       busy AS (
         SELECT b.webhook_id, count(*) AS n FROM webhook_delivery b
         WHERE b.state = 'pending' AND b.locked_until >= clock_timestamp() GROUP BY b.webhook_id),
       picked AS (
         SELECT due.id FROM due LEFT JOIN busy ON busy.webhook_id = due.webhook_id
         WHERE due.rank + COALESCE(busy.n, 0) <= $3
         ORDER BY due.rank + COALESCE(busy.n, 0), due.failing, due.next_attempt_at
         LIMIT $2),
       claimed AS (
         UPDATE webhook_delivery d SET attempt = d.attempt + 1, locked_until = clock_timestamp() + make_interval(secs => $1::double precision / 1000)
         FROM webhook w JOIN api_key k ON k.id = w.api_key_id
         WHERE d.id IN (
           SELECT l.id FROM webhook_delivery l
           WHERE l.id IN (SELECT id FROM picked) AND l.state = 'pending' AND (l.locked_until IS NULL OR l.locked_until < clock_timestamp())
           FOR UPDATE OF l SKIP LOCKED)
           AND w.id = d.webhook_id
         RETURNING d.id, d.webhook_id, d.event_id, d.attempt, d.payload, d.subject_type, w.url, w.secret_encrypted,
                   k.id AS key_id, k.name AS key_name, k.role, k.cluster_ids AS key_cluster_ids, k.funder_id)
       SELECT * FROM claimed`,
      [leaseMs, limit, perWebhook],
    );
  }

  /** Whether the caller (a webhook's key) may read the subject of the delivery now, by the events feed's own rule. */
  @GenerateSql({ name: 'a delivery, for a funder key', args: () => [exampleCaller('funder'), EXAMPLE_DELIVERY] })
  async mayRead(caller: Caller, deliveryId: string): Promise<boolean> {
    const visible = visibleEvents(caller, 'd');
    const [row] = await namedQuery<{ visible: boolean }>(
      db(this.dataSource),
      `SELECT ${visible.sql} AS visible FROM webhook_delivery d WHERE d.id = :id`,
      { id: deliveryId, ...visible.params },
    );
    return row?.visible === true;
  }

  /** Ends the attempt without sending it, for good: the key may no longer read the subject. */
  @GenerateSql({ name: 'an attempt', args: () => [EXAMPLE_DELIVERY, 1] })
  async skip(id: string, attempt: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_delivery SET state = 'skipped', attempt = attempt - 1, locked_until = NULL, next_attempt_at = NULL,
         last_error = 'Not sent: the webhook''s API key may no longer read the subject of this event.'
       WHERE id = $1 AND attempt = $2`,
      [id, attempt],
    );
  }

  /** Gives the attempt back at once (shutting down mid-delivery), instead of waiting for its lease. */
  @GenerateSql({ name: 'an attempt', args: () => [EXAMPLE_DELIVERY, 1] })
  async release(id: string, attempt: number): Promise<void> {
    await this.dataSource.query(`UPDATE webhook_delivery SET attempt = attempt - 1, locked_until = NULL WHERE id = $1 AND attempt = $2`, [
      id,
      attempt,
    ]);
  }

  /**
   * Writes the outcome of an attempt, only while this worker still holds it (a lease that ran out gave the row to
   * another): whether it did.
   */
  @GenerateSql({
    name: 'a failure, retried in a minute',
    args: () => [EXAMPLE_DELIVERY, 1, { ok: false, status: 503, durationMs: 120, backoffMs: 60_000, error: 'HTTP 503' }],
  })
  async recordOutcome(id: string, attempt: number, outcome: AttemptOutcome): Promise<boolean> {
    const [row] = await db(this.dataSource).query<{ id: string }[]>(
      `WITH outcome AS (UPDATE webhook_delivery SET
         state = CASE WHEN $3 THEN 'succeeded' WHEN $6::double precision IS NULL THEN 'failed' ELSE 'pending' END::webhook_delivery_state,
         response_status = $4, duration_ms = $5, last_error = $7, locked_until = NULL,
         delivered_at = CASE WHEN $3 THEN clock_timestamp() END,
         next_attempt_at = CASE WHEN $3 OR $6::double precision IS NULL THEN NULL
                                ELSE clock_timestamp() + make_interval(secs => $6::double precision / 1000) END
       WHERE id = $1 AND attempt = $2 RETURNING id)
       SELECT id FROM outcome`,
      [id, attempt, outcome.ok, outcome.status, outcome.durationMs, outcome.backoffMs, outcome.error],
    );
    return row !== undefined;
  }

  /** A success: the webhook is no longer failing. */
  @GenerateSql({ name: 'a webhook', args: () => [EXAMPLE_WEBHOOK] })
  async succeeded(webhookId: string): Promise<void> {
    await db(this.dataSource).query(`UPDATE webhook SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`, [webhookId]);
  }

  /** A failure: the webhook is failing since its first one, and disabled once that is `disableAfterMs` ago. */
  @GenerateSql({ name: 'a webhook', args: () => [EXAMPLE_WEBHOOK, 259_200_000] })
  async failed(webhookId: string, disableAfterMs: number): Promise<void> {
    await db(this.dataSource).query(
      `UPDATE webhook SET failing_since = COALESCE(failing_since, clock_timestamp()),
         disabled_at = CASE WHEN disabled_at IS NULL AND COALESCE(failing_since, clock_timestamp()) <= clock_timestamp() - make_interval(secs => $2::double precision / 1000)
                            THEN clock_timestamp() ELSE disabled_at END
       WHERE id = $1`,
      [webhookId, disableAfterMs],
    );
  }
}
