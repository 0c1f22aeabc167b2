import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { namedQuery, pageRows, Where } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import type { DeliveryState } from './dto/webhook.dto.js';

export interface WebhookRow {
  id: string;
  api_key_id: string;
  url: string;
  types: string[] | null;
  cluster_ids: string[] | null;
  description: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  failing_since: Date | null;
  disabled_at: Date | null;
  archived_at: Date | null;
}

export interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  state: DeliveryState;
  response_status: number | null;
  duration_ms: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

/** What a PATCH changes of a webhook: columns to set to values, and columns set by SQL. */
export interface WebhookChanges {
  values: Record<string, unknown>;
  disabled?: boolean;
}

const COLUMNS =
  'w.id, w.api_key_id, w.url, w.types, w.cluster_ids, w.description, w.version, w.created_at, w.updated_at, w.failing_since, w.disabled_at, w.archived_at';

const EXAMPLE_WEBHOOK = '00000000-0000-4000-8000-0000000000e1';
const EXAMPLE_DELIVERY = '00000000-0000-4000-8000-0000000000e2';

/** A key's own webhooks (an admin's: all), as a condition on `w`. */
function owned(caller: Caller): { sql: string; params: Record<string, unknown> } {
  return caller.role === 'admin'
    ? { sql: 'TRUE', params: {} }
    : { sql: 'w.api_key_id = :callerKeyId', params: { callerKeyId: caller.keyId } };
}

/** The webhooks and their delivery logs as their routes read and change them: every statement the webhooks' service sends. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Holds the dispatcher's cursor row (shared) until the transaction ends: a new webhook's start is the snapshot of
   * its INSERT, and no dispatch runs between that snapshot and its commit, one that would see no webhook yet and move
   * the cursor past events the new one must get.
   */
  @GenerateSql({ name: 'the cursor row', args: () => [] })
  async holdDispatch(): Promise<void> {
    await db(this.dataSource).query(`SELECT 1 FROM webhook_dispatch WHERE id = 1 FOR SHARE`);
  }

  /** Waits for a key's creation lock, held until the transaction ends: its webhooks are counted one creation at a time. */
  @GenerateSql({ name: 'a key', args: () => [exampleCaller('editor').keyId] })
  async lockKey(keyId: string): Promise<void> {
    await db(this.dataSource).query(`SELECT pg_advisory_xact_lock(hashtext('webhook per key'), hashtext($1))`, [keyId]);
  }

  /** How many webhooks of the key are not deleted. */
  @GenerateSql({ name: 'a key', args: () => [exampleCaller('editor').keyId] })
  async countOfKey(keyId: string): Promise<number> {
    const [row] = await db(this.dataSource).query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM webhook WHERE api_key_id = $1 AND archived_at IS NULL`,
      [keyId],
    );
    return row?.n ?? 0;
  }

  /** Adds a webhook, starting at the snapshot of its INSERT. */
  @GenerateSql({
    name: 'a webhook of some types in a cluster',
    args: () => [
      {
        keyId: exampleCaller('editor').keyId,
        url: 'https://hooks.example.org/styrman',
        types: ['goal.status_changed'],
        clusterIds: [EXAMPLE_IDS.cluster],
        description: null,
        secret: Buffer.from('v2:k1:sealed'),
      },
    ],
  })
  async insert(values: {
    keyId: string;
    url: string;
    types: string[] | null;
    clusterIds: string[] | null;
    description: string | null;
    secret: Buffer;
  }): Promise<WebhookRow | undefined> {
    const [inserted] = await namedQuery<WebhookRow>(
      db(this.dataSource),
      `INSERT INTO webhook AS w (api_key_id, url, types, cluster_ids, description, secret_encrypted, created_snapshot)
       VALUES (:keyId, :url, :types, :clusterIds, :description, :secret, pg_current_snapshot())
       RETURNING ${COLUMNS}`,
      values,
    );
    return inserted;
  }

  /** A page of the caller's webhooks, oldest first, and their number. */
  @GenerateSql(
    { name: 'the live webhooks of an editor key', args: () => [exampleCaller('editor'), { limit: 50, offset: 0, includeArchived: false }] },
    { name: 'all webhooks, for an admin key', args: () => [exampleCaller('admin'), { limit: 20, offset: 20, includeArchived: true }] },
  )
  list(caller: Caller, page: { limit: number; offset: number; includeArchived: boolean }): Promise<{ rows: WebhookRow[]; total: number }> {
    const own = owned(caller);
    const where = { sql: page.includeArchived ? own.sql : `${own.sql} AND w.archived_at IS NULL`, params: own.params };
    return pageRows<WebhookRow>(db(this.dataSource), { columns: COLUMNS, from: 'webhook w', where, orderBy: 'w.created_at, w.id' }, page);
  }

  /** One of the caller's webhooks; locked for the change under way when `forUpdate`. */
  @GenerateSql(
    { name: 'a webhook of an editor key', args: () => [exampleCaller('editor'), EXAMPLE_WEBHOOK, false] },
    { name: 'a webhook to change, for an admin key', args: () => [exampleCaller('admin'), EXAMPLE_WEBHOOK, true] },
  )
  async find(caller: Caller, id: string, forUpdate: boolean): Promise<WebhookRow | undefined> {
    const where = owned(caller);
    const [row] = await namedQuery<WebhookRow>(
      db(this.dataSource),
      `SELECT ${COLUMNS} FROM webhook w WHERE w.id = :id AND ${where.sql}${forUpdate ? ' FOR UPDATE' : ''}`,
      { id, ...where.params },
    );
    return row;
  }

  /** Changes a webhook (`values` by column; `disabled` turns it off, or on again with its failures forgotten) and raises its version. */
  @GenerateSql(
    { name: 'a new address', args: () => [EXAMPLE_WEBHOOK, { values: { url: 'https://hooks.example.org/v2' } }] },
    {
      name: 'turned on again, for a cluster',
      args: () => [EXAMPLE_WEBHOOK, { values: { cluster_ids: [EXAMPLE_IDS.cluster] }, disabled: false }],
    },
  )
  async update(id: string, changes: WebhookChanges): Promise<WebhookRow | undefined> {
    const sets = Object.keys(changes.values).map((column) => `${column} = :${column}`);
    if (changes.disabled === true) sets.push('disabled_at = now()');
    if (changes.disabled === false) sets.push('disabled_at = NULL', 'failing_since = NULL');
    const [row] = await namedQuery<WebhookRow>(
      db(this.dataSource),
      `WITH changed AS (UPDATE webhook w SET ${sets.join(', ')}, version = w.version + 1, updated_at = now() WHERE w.id = :id
       RETURNING ${COLUMNS}) SELECT * FROM changed`,
      { ...changes.values, id },
    );
    return row;
  }

  /** A new signing secret (sealed), and the version raised. */
  @GenerateSql({ name: 'a webhook', args: () => [EXAMPLE_WEBHOOK, Buffer.from('v2:k1:sealed')] })
  async replaceSecret(id: string, sealed: Buffer): Promise<WebhookRow | undefined> {
    const [changed] = await namedQuery<WebhookRow>(
      db(this.dataSource),
      `WITH changed AS (UPDATE webhook w SET secret_encrypted = :secret, version = w.version + 1, updated_at = now() WHERE w.id = :id
       RETURNING ${COLUMNS}) SELECT * FROM changed`,
      { id, secret: sealed },
    );
    return changed;
  }

  /** Archives a webhook (again: no change). */
  @GenerateSql({ name: 'a webhook', args: () => [EXAMPLE_WEBHOOK] })
  async archive(id: string): Promise<void> {
    await namedQuery(
      db(this.dataSource),
      `UPDATE webhook SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = :id AND archived_at IS NULL`,
      { id },
    );
  }

  /** A page of a webhook's delivery log, newest first, and its number. */
  @GenerateSql(
    { name: 'the first page', args: () => [EXAMPLE_WEBHOOK, { limit: 50, offset: 0 }] },
    { name: 'the failed ones, past the end', args: () => [EXAMPLE_WEBHOOK, { state: 'failed', limit: 50, offset: 100 }] },
  )
  deliveries(id: string, query: { state?: DeliveryState; limit: number; offset: number }): Promise<{ rows: DeliveryRow[]; total: number }> {
    return pageRows<DeliveryRow>(
      db(this.dataSource),
      {
        columns: 'd.*',
        from: 'webhook_delivery d',
        where: new Where().add('d.webhook_id = :id', { id }).when(query.state, 'd.state = :state', { state: query.state }),
        orderBy: 'd.created_at DESC, d.id',
      },
      query,
    );
  }

  /** Makes a delivery of the webhook pending again, due now; none when the webhook has no such delivery. */
  @GenerateSql({ name: 'a delivery', args: () => [EXAMPLE_WEBHOOK, EXAMPLE_DELIVERY] })
  async retry(id: string, deliveryId: string): Promise<DeliveryRow | undefined> {
    const [row] = await namedQuery<DeliveryRow>(
      db(this.dataSource),
      `WITH retried AS (UPDATE webhook_delivery SET state = 'pending', next_attempt_at = now(), locked_until = NULL
       WHERE id = :deliveryId AND webhook_id = :id RETURNING *) SELECT * FROM retried`,
      { id, deliveryId },
    );
    return row;
  }

  /** Queues a `webhook.ping` message for the webhook. */
  @GenerateSql({ name: 'a webhook', args: () => [EXAMPLE_WEBHOOK] })
  async ping(id: string): Promise<DeliveryRow | undefined> {
    const [row] = await namedQuery<DeliveryRow>(
      db(this.dataSource),
      `WITH ping AS (SELECT gen_random_uuid() AS id, date_trunc('milliseconds', now()) AS at)
       INSERT INTO webhook_delivery (webhook_id, event_id, event_type, payload)
       SELECT :id, ping.id, 'webhook.ping',
              json_build_object('id', ping.id, 'type', 'webhook.ping', 'occurredAt', to_char(ping.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                'data', json_build_object('webhookId', :id::uuid))::text
       FROM ping RETURNING *`,
      { id },
    );
    return row;
  }

  /** Whether the key is revoked (none: no such key). */
  @GenerateSql({ name: 'a key', args: () => [exampleCaller('editor').keyId] })
  async keyRevoked(keyId: string): Promise<boolean | undefined> {
    const [key] = await namedQuery<{ revoked: boolean }>(
      db(this.dataSource),
      `SELECT revoked_at IS NOT NULL AS revoked FROM api_key WHERE id = :keyId`,
      { keyId },
    );
    return key?.revoked;
  }
}
