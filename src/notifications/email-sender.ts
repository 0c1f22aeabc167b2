import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readableClusters } from '../auth/access.js';
import type { Role } from '../auth/role.js';
import { namedQuery } from '../common/sql.js';
import { Mailer } from './mailer.js';
import { callerOf } from './outbox.js';
import { SubscriptionsService } from './subscriptions.service.js';
import type { EmailTopic } from './topics.js';

/** Emails claimed in one statement; the instance sends them one after another. */
export const CLAIM_BATCH = 20;
/** Emails of one claim in flight at once. */
const SEND_AT_ONCE = 4;
/** How long a claimed email stays with the instance that claimed it. */
const LEASE_MS = 60_000;
/** The waits between attempts of an email SMTP refused; after the last, `failed`. */
const RETRY_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];

interface Claimed {
  id: string;
  subscription_id: string;
  topic: EmailTopic;
  cluster_id: string | null;
  subject: string;
  text: string;
  html: string;
  attempt: number;
  email: string;
  state: 'pending' | 'confirmed';
  unsubscribe_token: string;
  key_id: string;
  key_name: string;
  role: Role;
  key_cluster_ids: string[];
  funder_id: string | null;
  revoked: boolean;
}

/** Sends the emails of the outbox that are due: claimed with a lease, retried after a backoff. */
@Injectable()
export class EmailSender {
  private readonly logger = new Logger('Email');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly mailer: Mailer,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  /** Claims the emails that are due and sends them, a few at a time; the number claimed. */
  async sendDue(stopped: () => boolean = () => false): Promise<number> {
    if (!this.mailer.configured) return 0;
    const claimed = await this.dataSource.query<Claimed[]>(
      `WITH claimed AS (
         UPDATE email e SET attempt = e.attempt + 1, locked_until = clock_timestamp() + make_interval(secs => $1::double precision / 1000)
         WHERE e.id IN (
           SELECT l.id FROM email l
           WHERE l.state = 'pending' AND l.next_attempt_at <= clock_timestamp()
             AND (l.locked_until IS NULL OR l.locked_until < clock_timestamp())
           ORDER BY l.next_attempt_at, l.id LIMIT $2
           FOR UPDATE OF l SKIP LOCKED)
         RETURNING e.id, e.subscription_id, e.topic, e.cluster_id, e.subject, e.text, e.html, e.attempt)
       SELECT c.*, s.email, s.state, s.unsubscribe_token, k.id AS key_id, k.name AS key_name, k.role,
              k.cluster_ids AS key_cluster_ids, k.funder_id, k.revoked_at IS NOT NULL AS revoked
       FROM claimed c JOIN subscription s ON s.id = c.subscription_id JOIN api_key k ON k.id = s.api_key_id`,
      [LEASE_MS, CLAIM_BATCH],
    );
    // A few at a time: the SMTP pool's connections are kept busy, and a slow server holds only this round.
    for (let i = 0; i < claimed.length && !stopped(); i += SEND_AT_ONCE) {
      await Promise.all(
        claimed
          .slice(i, i + SEND_AT_ONCE)
          .map((c) => this.send(c).catch((error: unknown) => this.logger.error(`Email ${c.id} failed: ${(error as Error).message}`))),
      );
    }
    return claimed.length;
  }

  /** Why the email may not be sent now, or null: the key is revoked, or may no longer read the email's cluster. */
  private async refusal(c: Claimed): Promise<string | null> {
    if (c.revoked) return 'Not sent: the API key of the subscription is revoked.';
    if (c.topic !== 'confirmation' && c.state !== 'confirmed') return 'Not sent: the subscription is not confirmed.';
    if (c.cluster_id === null) return null;
    const visible = readableClusters(callerOf(c), 'c.id');
    const rows = await namedQuery(this.dataSource.manager, `SELECT 1 FROM cluster c WHERE c.id = :id AND ${visible.sql}`, {
      id: c.cluster_id,
      ...visible.params,
    });
    return rows.length > 0 ? null : 'Not sent: the API key of the subscription may no longer read this cluster.';
  }

  private async send(c: Claimed): Promise<void> {
    const refusal = await this.refusal(c);
    if (refusal) {
      await this.dataSource.query(
        `UPDATE email SET state = 'skipped', attempt = attempt - 1, locked_until = NULL, next_attempt_at = NULL, last_error = $3
         WHERE id = $1 AND attempt = $2`,
        [c.id, c.attempt, refusal],
      );
      return;
    }
    let error: string | null = null;
    try {
      await this.mailer.send({
        id: c.id,
        to: c.email,
        subject: c.subject,
        text: c.text,
        html: c.html,
        unsubscribeUrl: c.topic === 'confirmation' ? undefined : this.subscriptions.unsubscribeUrl(c.unsubscribe_token),
      });
    } catch (e) {
      // SMTP answers can quote the recipient: the reason is kept without addresses.
      error = ((e as Error).message || 'sending failed').replace(/\S+@\S+/g, '<address>').slice(0, 500);
    }
    const backoff = error === null ? null : (RETRY_MS[c.attempt - 1] ?? null);
    // Only the holder of this attempt writes its outcome (a lease that ran out gave the row to another instance).
    // A confirmation's link is a secret: once sent, its body is not kept.
    await this.dataSource.query(
      `UPDATE email SET
         state = CASE WHEN $3::text IS NULL THEN 'sent' WHEN $4::double precision IS NULL THEN 'failed' ELSE 'pending' END::email_state,
         sent_at = CASE WHEN $3::text IS NULL THEN clock_timestamp() END,
         last_error = $3, locked_until = NULL,
         next_attempt_at = CASE WHEN $3::text IS NULL OR $4::double precision IS NULL THEN NULL
                                ELSE clock_timestamp() + make_interval(secs => $4::double precision / 1000) END,
         text = CASE WHEN $3::text IS NULL AND topic = 'confirmation' THEN '' ELSE text END,
         html = CASE WHEN $3::text IS NULL AND topic = 'confirmation' THEN '' ELSE html END
       WHERE id = $1 AND attempt = $2`,
      [c.id, c.attempt, error, backoff],
    );
  }
}
