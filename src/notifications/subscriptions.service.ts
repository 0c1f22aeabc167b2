import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page, PageQueryDto } from '../common/pagination.js';
import { Environment, publicUrl } from '../config/environment.js';
import { transaction } from '../database/transaction-context.js';
import type { ConfirmedSubscriptionResponse, CreateSubscriptionDto, EmailResponse, SubscriptionResponse } from './dto/subscription.dto.js';
import { Mailer } from './mailer.js';
import { renderConfirmation } from './templates.js';
import { type ConfirmBy, type EmailRow, type SubscriptionRow, SubscriptionsRepository } from './subscriptions.repository.js';

function toSubscriptionResponse(s: SubscriptionRow): SubscriptionResponse {
  return {
    id: s.id,
    email: s.email,
    language: s.language,
    topics: s.topics,
    clusterIds: s.cluster_ids,
    state: s.state,
    apiKeyId: s.api_key_id,
    createdAt: s.created_at.toISOString(),
    confirmedAt: s.confirmed_at?.toISOString() ?? null,
  };
}

function toEmailResponse(e: EmailRow): EmailResponse {
  return {
    id: e.id,
    subscriptionId: e.subscription_id,
    topic: e.topic,
    subject: e.subject,
    state: e.state,
    attempt: e.attempt,
    error: e.last_error,
    createdAt: e.created_at.toISOString(),
    sentAt: e.sent_at?.toISOString() ?? null,
    nextAttemptAt: e.next_attempt_at?.toISOString() ?? null,
  };
}

const sha256 = (token: string) => createHash('sha256').update(token).digest();

/**
 * Subscriptions to emails, with double opt-in: a new one is `pending` and gets only the confirmation email, whose
 * link (a token kept as a hash) confirms it. Every later email carries an unsubscribe link that works without a key.
 * A key sees and removes its own subscriptions, an admin key all; others' are a 404. Removing one deletes the
 * address and the emails made for it.
 */
@Injectable()
export class SubscriptionsService {
  private readonly baseUrl: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: SubscriptionsRepository,
    private readonly mailer: Mailer,
    private readonly auth: AuthService,
    private readonly env: Environment,
  ) {
    this.baseUrl = `${publicUrl(env)}/api/v1/subscriptions`;
  }

  /** The link in every email that ends the subscription, without a key. */
  unsubscribeUrl(token: string): string {
    return `${this.baseUrl}/unsubscribe/${token}`;
  }

  async create(caller: Caller, dto: CreateSubscriptionDto): Promise<SubscriptionResponse> {
    if (!this.mailer.configured) {
      throw DomainError.unavailable('Emails cannot be sent: SMTP_URL is not set. An operator sets SMTP_URL (smtp:// or smtps://).', 3600);
    }
    await this.auth.assertReadableClusters(caller, dto.clusterIds);
    const confirmToken = randomBytes(32).toString('base64url');
    const unsubscribeToken = randomBytes(24).toString('base64url');
    return transaction(this.dataSource, async () => {
      // One key's subscriptions are counted one creation at a time, so that two at once cannot both take the last place.
      await this.repository.lockKey(caller.keyId);
      const n = await this.repository.countOfKey(caller.keyId);
      const max = this.env.EMAIL_MAX_SUBSCRIPTIONS_PER_KEY;
      if (n >= max) {
        throw DomainError.conflict(
          `This key has ${n} subscriptions, the most one key may have (EMAIL_MAX_SUBSCRIPTIONS_PER_KEY = ${max}): ` +
            'delete one (DELETE /subscriptions/{id}) before making another.',
        );
      }
      const row = await this.repository.insert({
        keyId: caller.keyId,
        email: dto.email,
        language: dto.language,
        topics: dto.topics,
        clusterIds: dto.clusterIds ?? null,
        confirmHash: sha256(confirmToken),
        unsubscribeToken,
      });
      if (!row) throw new Error('The new subscription was not returned');
      const mail = renderConfirmation(dto.language, { confirmUrl: `${this.baseUrl}/confirm/${confirmToken}`, topics: dto.topics });
      await this.repository.queueConfirmation(row.id, mail);
      return toSubscriptionResponse(row);
    });
  }

  async list(caller: Caller, page: PageQueryDto): Promise<Page<SubscriptionResponse>> {
    const { rows, total } = await this.repository.list(caller, page);
    return { items: rows.map(toSubscriptionResponse), total, limit: page.limit, offset: page.offset };
  }

  async get(caller: Caller, id: string): Promise<SubscriptionResponse> {
    return toSubscriptionResponse(await this.row(caller, id));
  }

  /** Deletes the subscription: the address and every email made for it are gone. */
  async remove(caller: Caller, id: string): Promise<void> {
    await this.row(caller, id);
    await this.repository.delete(id);
  }

  async emails(caller: Caller, id: string, page: PageQueryDto): Promise<Page<EmailResponse>> {
    await this.row(caller, id);
    const { rows, total } = await this.repository.emails(id, page);
    return { items: rows.map(toEmailResponse), total, limit: page.limit, offset: page.offset };
  }

  /**
   * Opens the confirmation link: the subscription is confirmed (again: the same answer). The due reminders' job is
   * made due at once, so that a report already due is told about now rather than at the job's next run.
   */
  async confirm(token: string): Promise<ConfirmedSubscriptionResponse> {
    return this.confirmBy({ hash: sha256(token) });
  }

  /** Confirms a subscription without its link: the demo's, whose address is nobody's. */
  async confirmById(id: string): Promise<ConfirmedSubscriptionResponse> {
    return this.confirmBy({ id });
  }

  private async confirmBy(by: ConfirmBy): Promise<ConfirmedSubscriptionResponse> {
    return transaction(this.dataSource, async () => {
      const id = await this.repository.confirm(by);
      if (!id) throw DomainError.notFound('The subscription');
      await this.repository.dueRemindersNow();
      return { id, state: 'confirmed' };
    });
  }

  /** The one-click unsubscribe: the subscription, its address and its emails are deleted. An unknown token: 404. */
  async unsubscribe(token: string): Promise<void> {
    if (!(await this.repository.unsubscribe(token))) throw DomainError.notFound('The subscription');
  }

  /** Whether an unsubscribe token names a subscription (for the page the link opens). */
  knowsUnsubscribeToken(token: string): Promise<boolean> {
    return this.repository.knowsUnsubscribeToken(token);
  }

  private async row(caller: Caller, id: string): Promise<SubscriptionRow> {
    const row = await this.repository.find(caller, id);
    if (!row) throw DomainError.notFound('The subscription');
    return row;
  }
}
