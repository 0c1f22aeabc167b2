import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuthService } from '../auth/auth.service.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page, PageQueryDto } from '../common/pagination.js';
import { namedQuery } from '../common/sql.js';
import { Environment, publicUrl } from '../config/environment.js';
import { db, transaction } from '../database/transaction-context.js';
import type {
  ConfirmedSubscriptionResponse,
  CreateSubscriptionDto,
  EmailResponse,
  EmailState,
  SubscriptionResponse,
  SubscriptionState,
} from './dto/subscription.dto.js';
import { Mailer } from './mailer.js';
import { renderConfirmation } from './templates.js';
import type { Language, Topic } from './topics.js';

interface SubscriptionRow {
  id: string;
  api_key_id: string;
  email: string;
  language: Language;
  topics: Topic[];
  cluster_ids: string[] | null;
  state: SubscriptionState;
  created_at: Date;
  confirmed_at: Date | null;
}

interface EmailRow {
  id: string;
  subscription_id: string;
  topic: string;
  subject: string;
  state: EmailState;
  attempt: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  next_attempt_at: Date | null;
}

const COLUMNS = 's.id, s.api_key_id, s.email, s.language, s.topics, s.cluster_ids, s.state, s.created_at, s.confirmed_at';

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

/** A key's own subscriptions (an admin's: all), as a condition on `s`. */
function owned(caller: Caller): { sql: string; params: Record<string, unknown> } {
  return caller.role === 'admin'
    ? { sql: 'TRUE', params: {} }
    : { sql: 's.api_key_id = :callerKeyId', params: { callerKeyId: caller.keyId } };
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
    return transaction(this.dataSource, async (manager) => {
      // One key's subscriptions are counted one creation at a time, so that two at once cannot both take the last place.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('subscription per key'), hashtext($1))`, [caller.keyId]);
      const [{ n }] = await manager.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM subscription WHERE api_key_id = $1`, [
        caller.keyId,
      ]);
      const max = this.env.EMAIL_MAX_SUBSCRIPTIONS_PER_KEY;
      if (n >= max) {
        throw DomainError.conflict(
          `This key has ${n} subscriptions, the most one key may have (EMAIL_MAX_SUBSCRIPTIONS_PER_KEY = ${max}): ` +
            'delete one (DELETE /subscriptions/{id}) before making another.',
        );
      }
      const [row] = await namedQuery<SubscriptionRow>(
        manager,
        `INSERT INTO subscription AS s (api_key_id, email, language, topics, cluster_ids, confirm_token_hash, unsubscribe_token)
         VALUES (:keyId, :email, :language, :topics, :clusterIds, :confirmHash, :unsubscribeToken)
         RETURNING ${COLUMNS}`,
        {
          keyId: caller.keyId,
          email: dto.email,
          language: dto.language,
          topics: dto.topics,
          clusterIds: dto.clusterIds ?? null,
          confirmHash: sha256(confirmToken),
          unsubscribeToken,
        },
      );
      const mail = renderConfirmation(dto.language, { confirmUrl: `${this.baseUrl}/confirm/${confirmToken}`, topics: dto.topics });
      await namedQuery(
        manager,
        `INSERT INTO email (subscription_id, topic, dedupe_key, subject, text, html)
         VALUES (:id, 'confirmation', 'confirmation', :subject, :text, :html)`,
        { id: row.id, ...mail },
      );
      return toSubscriptionResponse(row);
    });
  }

  async list(caller: Caller, page: PageQueryDto): Promise<Page<SubscriptionResponse>> {
    const where = owned(caller);
    const rows = await namedQuery<SubscriptionRow & { total_count: string }>(
      db(this.dataSource),
      `SELECT ${COLUMNS}, count(*) OVER () AS total_count FROM subscription s WHERE ${where.sql}
       ORDER BY s.created_at, s.id LIMIT :limit OFFSET :offset`,
      { ...where.params, limit: page.limit, offset: page.offset },
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total_count)
        : Number(
            (
              await namedQuery<{ n: string }>(
                db(this.dataSource),
                `SELECT count(*) AS n FROM subscription s WHERE ${where.sql}`,
                where.params,
              )
            )[0].n,
          );
    return { items: rows.map(toSubscriptionResponse), total, limit: page.limit, offset: page.offset };
  }

  async get(caller: Caller, id: string): Promise<SubscriptionResponse> {
    return toSubscriptionResponse(await this.row(caller, id));
  }

  /** Deletes the subscription: the address and every email made for it are gone. */
  async remove(caller: Caller, id: string): Promise<void> {
    await this.row(caller, id);
    await namedQuery(db(this.dataSource), `DELETE FROM subscription WHERE id = :id`, { id });
  }

  async emails(caller: Caller, id: string, page: PageQueryDto): Promise<Page<EmailResponse>> {
    await this.row(caller, id);
    const rows = await namedQuery<EmailRow & { total_count: string }>(
      db(this.dataSource),
      `SELECT e.id, e.subscription_id, e.topic, e.subject, e.state, e.attempt, e.last_error, e.created_at, e.sent_at, e.next_attempt_at,
              count(*) OVER () AS total_count
       FROM email e WHERE e.subscription_id = :id ORDER BY e.created_at DESC, e.id LIMIT :limit OFFSET :offset`,
      { id, limit: page.limit, offset: page.offset },
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total_count)
        : Number(
            (await namedQuery<{ n: string }>(db(this.dataSource), `SELECT count(*) AS n FROM email WHERE subscription_id = :id`, { id }))[0]
              .n,
          );
    return { items: rows.map(toEmailResponse), total, limit: page.limit, offset: page.offset };
  }

  /**
   * Opens the confirmation link: the subscription is confirmed (again: the same answer). The due reminders' job is
   * made due at once, so that a report already due is told about now rather than at the job's next run.
   */
  async confirm(token: string): Promise<ConfirmedSubscriptionResponse> {
    return this.confirmWhere('confirm_token_hash = :hash', { hash: sha256(token) });
  }

  /** Confirms a subscription without its link: the demo's, whose address is nobody's. */
  async confirmById(id: string): Promise<ConfirmedSubscriptionResponse> {
    return this.confirmWhere('id = :id', { id });
  }

  private async confirmWhere(where: string, params: Record<string, unknown>): Promise<ConfirmedSubscriptionResponse> {
    return transaction(this.dataSource, async (manager) => {
      const [row] = await namedQuery<{ id: string }>(
        manager,
        `WITH confirmed AS (
           UPDATE subscription SET state = 'confirmed', confirmed_at = COALESCE(confirmed_at, clock_timestamp())
           WHERE ${where} RETURNING id)
         SELECT id FROM confirmed`,
        params,
      );
      if (!row) throw DomainError.notFound('The subscription');
      await manager.query(`UPDATE email_job SET next_run_at = '-infinity' WHERE name = 'submission_due'`);
      return { id: row.id, state: 'confirmed' };
    });
  }

  /** The one-click unsubscribe: the subscription, its address and its emails are deleted. An unknown token: 404. */
  async unsubscribe(token: string): Promise<void> {
    const rows = await namedQuery<{ id: string }>(
      db(this.dataSource),
      `WITH gone AS (DELETE FROM subscription WHERE unsubscribe_token = :token RETURNING id) SELECT id FROM gone`,
      { token },
    );
    if (rows.length === 0) throw DomainError.notFound('The subscription');
  }

  /** Whether an unsubscribe token names a subscription (for the page the link opens). */
  async knowsUnsubscribeToken(token: string): Promise<boolean> {
    const rows = await namedQuery(db(this.dataSource), `SELECT 1 FROM subscription WHERE unsubscribe_token = :token`, { token });
    return rows.length > 0;
  }

  private async row(caller: Caller, id: string): Promise<SubscriptionRow> {
    const where = owned(caller);
    const [row] = await namedQuery<SubscriptionRow>(
      db(this.dataSource),
      `SELECT ${COLUMNS} FROM subscription s WHERE s.id = :id AND ${where.sql}`,
      { id, ...where.params },
    );
    if (!row) throw DomainError.notFound('The subscription');
    return row;
  }
}
