import { Injectable, Logger } from '@nestjs/common';
import { Mailer } from './mailer.js';
import { callerOf } from './outbox.js';
import { type ClaimedEmail as Claimed, EmailsRepository } from './emails.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';

/** Emails claimed in one statement; the instance sends them one after another. */
export const CLAIM_BATCH = 20;
/** Emails of one claim in flight at once. */
const SEND_AT_ONCE = 4;
/** How long a claimed email stays with the instance that claimed it. */
const LEASE_MS = 60_000;
/** The waits between attempts of an email SMTP refused; after the last, `failed`. */
const RETRY_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];

/** Sends the emails of the outbox that are due: claimed with a lease, retried after a backoff. */
@Injectable()
export class EmailSender {
  private readonly logger = new Logger('Email');

  constructor(
    private readonly repository: EmailsRepository,
    private readonly mailer: Mailer,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  /** Claims the emails that are due and sends them, a few at a time; the number claimed. */
  async sendDue(stopped: () => boolean = () => false): Promise<number> {
    if (!this.mailer.configured) return 0;
    const claimed = await this.repository.claim(LEASE_MS, CLAIM_BATCH);
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
    const readable = await this.repository.mayReadCluster(callerOf(c), c.cluster_id);
    return readable ? null : 'Not sent: the API key of the subscription may no longer read this cluster.';
  }

  private async send(c: Claimed): Promise<void> {
    const refusal = await this.refusal(c);
    if (refusal) {
      await this.repository.skip(c.id, c.attempt, refusal);
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
    await this.repository.recordOutcome(c.id, c.attempt, error, backoff);
  }
}
