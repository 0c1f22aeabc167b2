import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { Environment } from '../config/environment.js';
import { transaction } from '../database/transaction-context.js';
import { DueReminders } from './due-reminders.js';
import { CLAIM_BATCH, EmailSender } from './email-sender.js';
import { EventEmails } from './event-emails.js';
import { OutboxRepository } from './outbox.repository.js';
import { WeeklyDigest } from './weekly-digest.js';

/**
 * Decides and sends the emails of subscriptions, on every instance that runs it.
 *
 * Deciding writes an `email` row in the transaction that decides it, keyed by (subscription, dedupe key): the
 * subject and the moment, so that a second decision of the same email — the next run of a job, another instance, a
 * restart — writes nothing (ON CONFLICT DO NOTHING). Three deciders:
 * - the scheduled jobs in `email_job` (the due reminders, hourly and whenever a subscription is confirmed; the weekly
 *   digest, Mondays 08:00 in REPORT_TIME_ZONE), each claimed with FOR UPDATE SKIP LOCKED by one instance at a time,
 *   reading "now" from the Clock;
 * - the events feed (`submission_decided`, `red_status`), followed with the persisted cursor `email_dispatch` as the
 *   webhook dispatcher does: one window of what is new per transaction, the cursor moved with the emails written.
 * Sending claims due rows with FOR UPDATE SKIP LOCKED and a lease, as webhook deliveries; before each attempt it
 * checks that the subscription's key is not revoked and may still read the email's cluster (otherwise `skipped`).
 * A failed attempt is retried after a backoff, then `failed`. The address is read from the subscription at sending
 * time only; it is in no row of the outbox, and in no log line.
 */
@Injectable()
export class EmailWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Email');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly dueReminders: DueReminders,
    private readonly digest: WeeklyDigest,
    private readonly eventEmails: EventEmails,
    private readonly sender: EmailSender,
    private readonly clock: Clock,
    private readonly env: Environment,
  ) {}

  onApplicationBootstrap(): void {
    if (this.env.EMAIL_WORKER) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.round()
        .catch((error: unknown) => this.logger.error(`Email round failed: ${(error as Error).message}`))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.env.EMAIL_POLL_MS);
        });
    }, ms);
  }

  /** One round: the jobs that are due, the events that are new, then the emails that are due. */
  async round(): Promise<void> {
    await this.runJobs();
    while (!this.stopped && (await this.dispatch())) {
      // more events to pass
    }
    while (!this.stopped && (await this.sendDue()) === CLAIM_BATCH) {
      // more emails due
    }
  }

  /** Runs each scheduled job that is due (by the Clock); the number run here. */
  async runJobs(): Promise<number> {
    let ran = 0;
    if (await this.runJob('submission_due', (now) => this.dueReminders.decide(now))) ran++;
    if (await this.runJob('weekly_digest', (now) => this.digest.decide(now))) ran++;
    return ran;
  }

  /** Claims a job if it is due and no other instance holds it; its work and its next run commit together. */
  private async runJob(name: string, work: (now: Date) => Promise<Date>): Promise<boolean> {
    const now = this.clock.now();
    return transaction(this.dataSource, async () => {
      if (!(await this.outbox.claimJob(name, now))) return false;
      const next = await work(now);
      await this.outbox.scheduleJob(name, next, now);
      return true;
    });
  }

  /** One window of the events feed (see EventEmails); true when there may be more. */
  dispatch(): Promise<boolean> {
    return this.eventEmails.dispatch();
  }

  /** Claims the emails that are due and sends them (see EmailSender); the number claimed. */
  sendDue(): Promise<number> {
    return this.sender.sendDue(() => this.stopped);
  }
}
