import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { namedQuery } from '../common/sql.js';
import { db, transaction } from '../database/transaction-context.js';
import { checkTarget, UnsafeUrlError } from './address-guard.js';
import type {
  CreatedWebhookResponse,
  CreateWebhookDto,
  DeliveryResponse,
  DeliveryState,
  ListDeliveriesQueryDto,
  UpdateWebhookDto,
  WebhookResponse,
} from './dto/webhook.dto.js';
import { newWebhookSecret } from './secret-box.js';
import { WebhookSettings } from './webhook-settings.js';

interface WebhookRow {
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

interface DeliveryRow {
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

const COLUMNS =
  'w.id, w.api_key_id, w.url, w.types, w.cluster_ids, w.description, w.version, w.created_at, w.updated_at, w.failing_since, w.disabled_at, w.archived_at';

export function toWebhookResponse(w: WebhookRow): WebhookResponse {
  return {
    id: w.id,
    url: w.url,
    types: w.types,
    clusterIds: w.cluster_ids,
    description: w.description,
    apiKeyId: w.api_key_id,
    failingSince: w.failing_since?.toISOString() ?? null,
    disabled: w.disabled_at !== null,
    disabledAt: w.disabled_at?.toISOString() ?? null,
    archivedAt: w.archived_at?.toISOString() ?? null,
    version: w.version,
    createdAt: w.created_at.toISOString(),
    updatedAt: w.updated_at.toISOString(),
  };
}

function toDeliveryResponse(d: DeliveryRow): DeliveryResponse {
  return {
    id: d.id,
    eventId: d.event_id,
    eventType: d.event_type,
    attempt: d.attempt,
    state: d.state,
    responseStatus: d.response_status,
    durationMs: d.duration_ms,
    error: d.last_error,
    nextAttemptAt: d.next_attempt_at?.toISOString() ?? null,
    deliveredAt: d.delivered_at?.toISOString() ?? null,
    createdAt: d.created_at.toISOString(),
  };
}

/** A key's own webhooks (an admin's: all), as a condition on `w`. */
function owned(caller: Caller): { sql: string; params: Record<string, unknown> } {
  return caller.role === 'admin'
    ? { sql: 'TRUE', params: {} }
    : { sql: 'w.api_key_id = :callerKeyId', params: { callerKeyId: caller.keyId } };
}

/**
 * Webhooks: where a key wants its events POSTed. The secret is made here,
 * answered once and kept only encrypted. A key sees and changes its own
 * webhooks, an admin key all; others' are a 404.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: WebhookSettings,
    private readonly auth: AuthService,
  ) {}

  async create(caller: Caller, dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    await this.checkUrl(dto.url);
    await this.auth.assertReadableClusters(caller, dto.clusterIds);
    const secret = newWebhookSecret();
    const row = await transaction(this.dataSource, async (manager) => {
      // The webhook's start is the snapshot of its INSERT: it gets every event not visible in it. Holding the
      // dispatcher's cursor row (shared) from before that snapshot to the commit means no dispatch runs in between,
      // one that would see no webhook yet and move the cursor past events the new one must get.
      await manager.query(`SELECT 1 FROM webhook_dispatch WHERE id = 1 FOR SHARE`);
      // One key's webhooks are counted one creation at a time, so that two at once cannot both take the last place.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('webhook per key'), hashtext($1))`, [caller.keyId]);
      const [{ n }] = await manager.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM webhook WHERE api_key_id = $1 AND archived_at IS NULL`,
        [caller.keyId],
      );
      if (n >= this.settings.maxPerKey) {
        throw DomainError.conflict(
          `This key has ${n} webhooks, the most one key may have (WEBHOOK_MAX_PER_KEY = ${this.settings.maxPerKey}): ` +
            'delete one (DELETE /webhooks/{id}) before making another.',
        );
      }
      const [inserted] = await namedQuery<WebhookRow>(
        manager,
        `INSERT INTO webhook AS w (api_key_id, url, types, cluster_ids, description, secret_encrypted, created_snapshot)
         VALUES (:keyId, :url, :types, :clusterIds, :description, :secret, pg_current_snapshot())
         RETURNING ${COLUMNS}`,
        {
          keyId: caller.keyId,
          url: dto.url,
          types: dto.types ?? null,
          clusterIds: dto.clusterIds ?? null,
          description: dto.description ?? null,
          secret: this.settings.box.seal(secret),
        },
      );
      return inserted;
    });
    return { ...toWebhookResponse(row), secret };
  }

  async list(caller: Caller, page: { limit: number; offset: number; includeArchived: boolean }): Promise<Page<WebhookResponse>> {
    const own = owned(caller);
    const where = { sql: page.includeArchived ? own.sql : `${own.sql} AND w.archived_at IS NULL`, params: own.params };
    const rows = await namedQuery<WebhookRow & { total_count: string }>(
      db(this.dataSource),
      `SELECT ${COLUMNS}, count(*) OVER () AS total_count FROM webhook w WHERE ${where.sql}
       ORDER BY w.created_at, w.id LIMIT :limit OFFSET :offset`,
      { ...where.params, limit: page.limit, offset: page.offset },
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total_count)
        : Number(
            (
              await namedQuery<{ n: string }>(db(this.dataSource), `SELECT count(*) AS n FROM webhook w WHERE ${where.sql}`, where.params)
            )[0].n,
          );
    return { items: rows.map(toWebhookResponse), total, limit: page.limit, offset: page.offset };
  }

  async get(caller: Caller, id: string): Promise<WebhookResponse> {
    return toWebhookResponse(await this.row(caller, id));
  }

  private async row(caller: Caller, id: string, forUpdate = false): Promise<WebhookRow> {
    const where = owned(caller);
    const [row] = await namedQuery<WebhookRow>(
      db(this.dataSource),
      `SELECT ${COLUMNS} FROM webhook w WHERE w.id = :id AND ${where.sql}${forUpdate ? ' FOR UPDATE' : ''}`,
      { id, ...where.params },
    );
    if (!row) throw DomainError.notFound('The webhook');
    return row;
  }

  async update(caller: Caller, id: string, dto: UpdateWebhookDto, ifMatch: number[] | undefined): Promise<WebhookResponse> {
    await this.row(caller, id); // 404 before anything about the body
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    if (dto.clusterIds) await this.auth.assertReadableClusters(caller, dto.clusterIds);
    return transaction(this.dataSource, async (manager) => {
      const current = await this.row(caller, id, true);
      if (current.archived_at) throw DomainError.conflict('The webhook is deleted (archived): it cannot be changed.');
      if (ifMatch && !ifMatch.includes(current.version)) throw DomainError.preconditionFailed(current.version);
      const sets: string[] = [];
      const params: Record<string, unknown> = { id };
      const set = (column: string, value: unknown) => {
        sets.push(`${column} = :${column}`);
        params[column] = value;
      };
      if (dto.url !== undefined && dto.url !== current.url) set('url', dto.url);
      if (dto.types !== undefined && JSON.stringify(dto.types) !== JSON.stringify(current.types)) set('types', dto.types);
      if (dto.clusterIds !== undefined && JSON.stringify(dto.clusterIds) !== JSON.stringify(current.cluster_ids))
        set('cluster_ids', dto.clusterIds);
      if (dto.description !== undefined && dto.description !== current.description) set('description', dto.description);
      if (dto.disabled === true && current.disabled_at === null) sets.push('disabled_at = now()');
      if (dto.disabled === false && current.disabled_at !== null) sets.push('disabled_at = NULL', 'failing_since = NULL');
      if (sets.length === 0) return toWebhookResponse(current);
      const [row] = await namedQuery<WebhookRow>(
        manager,
        `WITH changed AS (UPDATE webhook w SET ${sets.join(', ')}, version = w.version + 1, updated_at = now() WHERE w.id = :id
         RETURNING ${COLUMNS}) SELECT * FROM changed`,
        params,
      );
      return toWebhookResponse(row);
    });
  }

  /** A new signing secret, answered once; the old one signs nothing from now on. Same rules as PATCH. */
  async newSecret(caller: Caller, id: string): Promise<CreatedWebhookResponse> {
    await this.row(caller, id);
    const secret = newWebhookSecret();
    const row = await transaction(this.dataSource, async (manager) => {
      const current = await this.row(caller, id, true);
      if (current.archived_at) throw DomainError.conflict('The webhook is deleted (archived): it cannot be changed.');
      const [changed] = await namedQuery<WebhookRow>(
        manager,
        `WITH changed AS (UPDATE webhook w SET secret_encrypted = :secret, version = w.version + 1, updated_at = now() WHERE w.id = :id
         RETURNING ${COLUMNS}) SELECT * FROM changed`,
        { id, secret: this.settings.box.seal(secret) },
      );
      return changed;
    });
    return { ...toWebhookResponse(row), secret };
  }

  /** Archives it: no more deliveries (pending ones are not sent); it and its delivery log stay readable. Again: 204. */
  async remove(caller: Caller, id: string): Promise<void> {
    await this.row(caller, id);
    await namedQuery(
      db(this.dataSource),
      `UPDATE webhook SET archived_at = now(), version = version + 1, updated_at = now() WHERE id = :id AND archived_at IS NULL`,
      { id },
    );
  }

  async deliveries(caller: Caller, id: string, query: ListDeliveriesQueryDto): Promise<Page<DeliveryResponse>> {
    await this.row(caller, id);
    const rows = await namedQuery<DeliveryRow & { total_count: string }>(
      db(this.dataSource),
      `SELECT d.*, count(*) OVER () AS total_count FROM webhook_delivery d
       WHERE d.webhook_id = :id ${query.state ? 'AND d.state = :state' : ''}
       ORDER BY d.created_at DESC, d.id LIMIT :limit OFFSET :offset`,
      { id, state: query.state, limit: query.limit, offset: query.offset },
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total_count)
        : Number(
            (
              await namedQuery<{ n: string }>(
                db(this.dataSource),
                `SELECT count(*) AS n FROM webhook_delivery d WHERE d.webhook_id = :id ${query.state ? 'AND d.state = :state' : ''}`,
                { id, state: query.state },
              )
            )[0].n,
          );
    return { items: rows.map(toDeliveryResponse), total, limit: query.limit, offset: query.offset };
  }

  /** Sends a delivery again now: a pending one at once, a failed or succeeded one once more. */
  async retry(caller: Caller, id: string, deliveryId: string): Promise<DeliveryResponse> {
    await this.assertActive(await this.row(caller, id));
    const [row] = await namedQuery<DeliveryRow>(
      db(this.dataSource),
      `WITH retried AS (UPDATE webhook_delivery SET state = 'pending', next_attempt_at = now(), locked_until = NULL
       WHERE id = :deliveryId AND webhook_id = :id RETURNING *) SELECT * FROM retried`,
      { id, deliveryId },
    );
    if (!row) throw DomainError.notFound('The delivery');
    return toDeliveryResponse(row);
  }

  /** Queues a `webhook.ping` message, delivered like an event (signed, retried, logged). */
  async ping(caller: Caller, id: string): Promise<DeliveryResponse> {
    await this.assertActive(await this.row(caller, id));
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
    return toDeliveryResponse(row);
  }

  private async assertActive(webhook: WebhookRow): Promise<void> {
    if (webhook.archived_at) throw DomainError.conflict('The webhook is deleted (archived): it delivers nothing.');
    if (webhook.disabled_at) throw DomainError.conflict('The webhook is disabled: turn it on again with PATCH {"disabled": false} first.');
    // A revoked key's webhooks deliver nothing: a delivery queued for one would stay pending for ever.
    const [key] = await namedQuery<{ revoked: boolean }>(
      db(this.dataSource),
      `SELECT revoked_at IS NOT NULL AS revoked FROM api_key WHERE id = :keyId`,
      { keyId: webhook.api_key_id },
    );
    if (key?.revoked) throw DomainError.conflict('The webhook’s API key is revoked: its webhooks deliver nothing.');
  }

  private async checkUrl(url: string): Promise<void> {
    try {
      await checkTarget(url, { allowPrivate: this.settings.allowPrivate, resolve: this.settings.resolve });
    } catch (error) {
      if (error instanceof UnsafeUrlError) throw DomainError.rule('url', error.message);
      throw error;
    }
  }
}
