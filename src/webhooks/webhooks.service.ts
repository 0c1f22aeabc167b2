import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { transaction } from '../database/transaction-context.js';
import { checkTarget, UnsafeUrlError } from './address-guard.js';
import type {
  CreatedWebhookResponse,
  CreateWebhookDto,
  DeliveryResponse,
  ListDeliveriesQueryDto,
  UpdateWebhookDto,
  WebhookResponse,
} from './dto/webhook.dto.js';
import { newWebhookSecret } from './secret-box.js';
import { WebhookSettings } from './webhook-settings.js';
import { type DeliveryRow, type WebhookRow, WebhooksRepository } from './webhooks.repository.js';

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

/**
 * Webhooks: where a key wants its events POSTed. The secret is made here,
 * answered once and kept only encrypted. A key sees and changes its own
 * webhooks, an admin key all; others' are a 404.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: WebhooksRepository,
    private readonly settings: WebhookSettings,
    private readonly auth: AuthService,
  ) {}

  async create(caller: Caller, dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    await this.checkUrl(dto.url);
    await this.auth.assertReadableClusters(caller, dto.clusterIds);
    const secret = newWebhookSecret();
    const row = await transaction(this.dataSource, async () => {
      // The webhook's start is the snapshot of its INSERT: it gets every event not visible in it (see holdDispatch).
      await this.repository.holdDispatch();
      // One key's webhooks are counted one creation at a time, so that two at once cannot both take the last place.
      await this.repository.lockKey(caller.keyId);
      const n = await this.repository.countOfKey(caller.keyId);
      if (n >= this.settings.maxPerKey) {
        throw DomainError.conflict(
          `This key has ${n} webhooks, the most one key may have (WEBHOOK_MAX_PER_KEY = ${this.settings.maxPerKey}): ` +
            'delete one (DELETE /webhooks/{id}) before making another.',
        );
      }
      const inserted = await this.repository.insert({
        keyId: caller.keyId,
        url: dto.url,
        types: dto.types ?? null,
        clusterIds: dto.clusterIds ?? null,
        description: dto.description ?? null,
        secret: this.settings.box.seal(secret),
      });
      if (!inserted) throw new Error('The new webhook was not returned');
      return inserted;
    });
    return { ...toWebhookResponse(row), secret };
  }

  async list(caller: Caller, page: { limit: number; offset: number; includeArchived: boolean }): Promise<Page<WebhookResponse>> {
    const { rows, total } = await this.repository.list(caller, page);
    return { items: rows.map(toWebhookResponse), total, limit: page.limit, offset: page.offset };
  }

  async get(caller: Caller, id: string): Promise<WebhookResponse> {
    return toWebhookResponse(await this.row(caller, id));
  }

  private async row(caller: Caller, id: string, forUpdate = false): Promise<WebhookRow> {
    const row = await this.repository.find(caller, id, forUpdate);
    if (!row) throw DomainError.notFound('The webhook');
    return row;
  }

  async update(caller: Caller, id: string, dto: UpdateWebhookDto, ifMatch: number[] | undefined): Promise<WebhookResponse> {
    await this.row(caller, id); // 404 before anything about the body
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    if (dto.clusterIds) await this.auth.assertReadableClusters(caller, dto.clusterIds);
    return transaction(this.dataSource, async () => {
      const current = await this.row(caller, id, true);
      if (current.archived_at) throw DomainError.conflict('The webhook is deleted (archived): it cannot be changed.');
      if (ifMatch && !ifMatch.includes(current.version)) throw DomainError.preconditionFailed(current.version);
      // Only what differs from what is stored: a PATCH that changes nothing writes nothing.
      const values: Record<string, unknown> = {};
      if (dto.url !== undefined && dto.url !== current.url) values.url = dto.url;
      if (dto.types !== undefined && JSON.stringify(dto.types) !== JSON.stringify(current.types)) values.types = dto.types;
      if (dto.clusterIds !== undefined && JSON.stringify(dto.clusterIds) !== JSON.stringify(current.cluster_ids))
        values.cluster_ids = dto.clusterIds;
      if (dto.description !== undefined && dto.description !== current.description) values.description = dto.description;
      const disabled =
        dto.disabled === true && current.disabled_at === null
          ? true
          : dto.disabled === false && current.disabled_at !== null
            ? false
            : undefined;
      if (Object.keys(values).length === 0 && disabled === undefined) return toWebhookResponse(current);
      const row = await this.repository.update(id, { values, disabled });
      if (!row) throw new Error(`Webhook ${id} was not returned by its update`);
      return toWebhookResponse(row);
    });
  }

  /** A new signing secret, answered once; the old one signs nothing from now on. Same rules as PATCH. */
  async newSecret(caller: Caller, id: string): Promise<CreatedWebhookResponse> {
    await this.row(caller, id);
    const secret = newWebhookSecret();
    const row = await transaction(this.dataSource, async () => {
      const current = await this.row(caller, id, true);
      if (current.archived_at) throw DomainError.conflict('The webhook is deleted (archived): it cannot be changed.');
      const changed = await this.repository.replaceSecret(id, this.settings.box.seal(secret));
      if (!changed) throw new Error(`Webhook ${id} was not returned by its update`);
      return changed;
    });
    return { ...toWebhookResponse(row), secret };
  }

  /** Archives it: no more deliveries (pending ones are not sent); it and its delivery log stay readable. Again: 204. */
  async remove(caller: Caller, id: string): Promise<void> {
    await this.row(caller, id);
    await this.repository.archive(id);
  }

  async deliveries(caller: Caller, id: string, query: ListDeliveriesQueryDto): Promise<Page<DeliveryResponse>> {
    await this.row(caller, id);
    const { rows, total } = await this.repository.deliveries(id, query);
    return { items: rows.map(toDeliveryResponse), total, limit: query.limit, offset: query.offset };
  }

  /** Sends a delivery again now: a pending one at once, a failed or succeeded one once more. */
  async retry(caller: Caller, id: string, deliveryId: string): Promise<DeliveryResponse> {
    await this.assertActive(await this.row(caller, id));
    const row = await this.repository.retry(id, deliveryId);
    if (!row) throw DomainError.notFound('The delivery');
    return toDeliveryResponse(row);
  }

  /** Queues a `webhook.ping` message, delivered like an event (signed, retried, logged). */
  async ping(caller: Caller, id: string): Promise<DeliveryResponse> {
    await this.assertActive(await this.row(caller, id));
    const row = await this.repository.ping(id);
    if (!row) throw new Error(`The ping of webhook ${id} was not returned`);
    return toDeliveryResponse(row);
  }

  private async assertActive(webhook: WebhookRow): Promise<void> {
    if (webhook.archived_at) throw DomainError.conflict('The webhook is deleted (archived): it delivers nothing.');
    if (webhook.disabled_at) throw DomainError.conflict('The webhook is disabled: turn it on again with PATCH {"disabled": false} first.');
    // A revoked key's webhooks deliver nothing: a delivery queued for one would stay pending for ever.
    if (await this.repository.keyRevoked(webhook.api_key_id))
      throw DomainError.conflict('The webhook’s API key is revoked: its webhooks deliver nothing.');
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
