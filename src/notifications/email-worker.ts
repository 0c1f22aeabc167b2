import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { readableClusters, readableFundings } from '../auth/access.js';
import type { Caller, Role } from '../auth/role.js';
import { dayIn } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { namedQuery } from '../common/sql.js';
import { Environment, publicUrl } from '../config/environment.js';
import { transaction } from '../database/transaction-context.js';
import { type Cursor } from '../events/event-types.js';
import { EventsService } from '../events/events.service.js';
import type { EventResponse } from '../events/dto/event.dto.js';
import { FollowUpService } from '../follow-up/follow-up.service.js';
import type { ReportingPeriod } from '../funders/funder.entity.js';
import { dueOn, duePeriods } from '../report-submissions/due-periods.js';
import { Mailer } from './mailer.js';
import { currentMoment, isoWeek, mondayOf, nextDigestAt } from './schedule.js';
import { SubscriptionsService } from './subscriptions.service.js';
import {
  digestLine,
  renderDigest,
  renderRedStatus,
  renderSubmissionDecided,
  renderSubmissionDue,
  type RenderedEmail,
} from './templates.js';
import type { EmailTopic, Language, Topic } from './topics.js';

/** Revisions the event dispatcher passes in one transaction. */
const DISPATCH_WINDOW = 200;
/** Emails claimed in one statement; the instance sends them one after another. */
const CLAIM_BATCH = 20;
/** Emails of one claim in flight at once. */
const SEND_AT_ONCE = 4;
/** How long a claimed email stays with the instance that claimed it. */
const LEASE_MS = 60_000;
/** The waits between attempts of an email SMTP refused; after the last, `failed`. */
const RETRY_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];
/** How often the due reminders are looked for (a confirmation makes the job due at once). */
const DUE_JOB_EVERY_MS = 3_600_000;
/** A digest is sent at most this long after its Monday 08:00 (an instance that was down catches up, a week later not). */
const DIGEST_LATE_MS = 24 * 3_600_000;
const STATUS_KINDS = ['goal', 'activity', 'low_hanging_fruit', 'risk'];
const DECISION_TYPES = ['report_submission.acknowledged', 'report_submission.returned'];

interface SubscriberRow {
  id: string;
  language: Language;
  topics: Topic[];
  cluster_ids: string[] | null;
  unsubscribe_token: string;
  confirmed_at: Date;
  key_id: string;
  key_name: string;
  role: Role;
  key_cluster_ids: string[];
  funder_id: string | null;
}

/** An email decided for a subscription, to be written to the outbox. */
interface Decided extends RenderedEmail {
  topic: EmailTopic;
  dedupe_key: string;
  cluster_id: string | null;
}

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

const callerOf = (r: { key_id: string; key_name: string; role: Role; key_cluster_ids: string[]; funder_id: string | null }): Caller => ({
  keyId: r.key_id,
  name: r.key_name,
  role: r.role,
  clusterIds: r.key_cluster_ids,
  funderId: r.funder_id,
});

const SUBSCRIBERS = `SELECT s.id, s.language, s.topics, s.cluster_ids, s.unsubscribe_token, s.confirmed_at,
    k.id AS key_id, k.name AS key_name, k.role, k.cluster_ids AS key_cluster_ids, k.funder_id
  FROM subscription s JOIN api_key k ON k.id = s.api_key_id
  WHERE s.state = 'confirmed' AND k.revoked_at IS NULL AND s.topics && $1::text[]
  ORDER BY s.id`;

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
  private readonly baseUrl: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly followUp: FollowUpService,
    private readonly mailer: Mailer,
    private readonly subscriptions: SubscriptionsService,
    private readonly clock: Clock,
    private readonly env: Environment,
  ) {
    this.baseUrl = `${publicUrl(env)}/api/v1`;
  }

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
    if (await this.runJob('submission_due', (m, now) => this.decideDue(m, now))) ran++;
    if (await this.runJob('weekly_digest', (m, now) => this.decideDigest(m, now))) ran++;
    return ran;
  }

  /** Claims a job if it is due and no other instance holds it; its work and its next run commit together. */
  private async runJob(name: string, work: (manager: EntityManager, now: Date) => Promise<Date>): Promise<boolean> {
    const now = this.clock.now();
    return transaction(this.dataSource, async (manager) => {
      const [job] = await manager.query<{ name: string }[]>(
        `SELECT name FROM email_job WHERE name = $1 AND next_run_at <= $2 FOR UPDATE SKIP LOCKED`,
        [name, now],
      );
      if (!job) return false;
      const next = await work(manager, now);
      await manager.query(`UPDATE email_job SET next_run_at = $2, last_run_at = $3 WHERE name = $1`, [name, next, now]);
      return true;
    });
  }

  private subscribers(manager: EntityManager, topics: Topic[]): Promise<SubscriberRow[]> {
    return manager.query<SubscriberRow[]>(SUBSCRIBERS, [topics]);
  }

  /**
   * The due reminders: for every funding, each ended period whose report is missing or returned and has a reminder
   * on today's date (REPORT_TIME_ZONE); for every confirmed subscription to `submission_due`, those of fundings its
   * key may read, in its clusters.
   */
  private async decideDue(manager: EntityManager, now: Date): Promise<Date> {
    const next = new Date(now.getTime() + DUE_JOB_EVERY_MS);
    const subscribers = await this.subscribers(manager, ['submission_due']);
    if (subscribers.length === 0) return next;
    const timeZone = this.env.REPORT_TIME_ZONE;
    const today = dayIn(timeZone, now);
    const fundings = await manager.query<
      {
        id: string;
        cluster_id: string;
        cluster_name: string;
        funder_id: string;
        funder_name: string;
        starts_on: string;
        ends_on: string;
        reporting_period: ReportingPeriod;
        report_due_days: number;
      }[]
    >(
      `SELECT fd.id, fd.cluster_id, c.name AS cluster_name, fd.funder_id, f.name AS funder_name, fd.starts_on, fd.ends_on,
              f.reporting_period, f.report_due_days
       FROM funding fd JOIN funder f ON f.id = fd.funder_id JOIN cluster c ON c.id = fd.cluster_id
       WHERE fd.archived_at IS NULL AND c.archived_at IS NULL`,
    );
    if (fundings.length === 0) return next;
    const newest = await manager.query<{ cluster_id: string; funder_id: string; period_from: Date; period_to: Date; state: string }[]>(
      `SELECT DISTINCT ON (s.cluster_id, s.funder_id, s.period_from, s.period_to) s.cluster_id, s.funder_id, s.period_from, s.period_to, s.state
       FROM report_submission s
       ORDER BY s.cluster_id, s.funder_id, s.period_from, s.period_to, s.submitted_at DESC, s.id`,
    );
    const stateOf = new Map(
      newest.map((s) => [`${s.cluster_id}/${s.funder_id}/${s.period_from.getTime()}/${s.period_to.getTime()}`, s.state]),
    );
    interface Due {
      key: string;
      fundingIds: string[];
      clusterId: string;
      clusterName: string;
      funderName: string;
      period: string;
      dueOn: string;
      moment: NonNullable<ReturnType<typeof currentMoment>>;
      returned: boolean;
    }
    const due = new Map<string, Due>();
    // Fundings of one rhythm over the same days owe the same periods: counted out once.
    const periodsOf = new Map<string, ReturnType<typeof duePeriods>>();
    for (const f of fundings) {
      const span = `${f.reporting_period}/${f.starts_on}/${f.ends_on}`;
      let periods = periodsOf.get(span);
      if (!periods) periodsOf.set(span, (periods = duePeriods(f.reporting_period, f.starts_on, f.ends_on, timeZone, now)));
      for (const p of periods) {
        const state = stateOf.get(`${f.cluster_id}/${f.funder_id}/${p.from.getTime()}/${p.to.getTime()}`) ?? 'missing';
        if (state !== 'missing' && state !== 'returned') continue;
        const on = dueOn(p.toDate, f.report_due_days);
        const moment = currentMoment(p.toDate, on, today);
        if (!moment) continue;
        // One reminder per cluster, funder, period and moment, however many fundings owe it.
        const key = `submission_due:${f.cluster_id}:${f.funder_id}:${p.name}:${moment}`;
        const known = due.get(key);
        if (known) known.fundingIds.push(f.id);
        else
          due.set(key, {
            key,
            fundingIds: [f.id],
            clusterId: f.cluster_id,
            clusterName: f.cluster_name,
            funderName: f.funder_name,
            period: p.name,
            dueOn: on,
            moment,
            returned: state === 'returned',
          });
      }
    }
    if (due.size === 0) return next;
    const keys = [...due.keys()];
    const sent = await manager.query<{ subscription_id: string; dedupe_key: string }[]>(
      `SELECT subscription_id, dedupe_key FROM email WHERE subscription_id = ANY($1::uuid[]) AND dedupe_key = ANY($2::text[])`,
      [subscribers.map((s) => s.id), keys],
    );
    const already = new Set(sent.map((r) => `${r.subscription_id}/${r.dedupe_key}`));
    const fundingIds = [...new Set([...due.values()].flatMap((d) => d.fundingIds))];
    for (const s of subscribers) {
      const caller = callerOf(s);
      const visible = readableFundings(caller, 'fd');
      const clusters = readableClusters(caller, 'fd.cluster_id');
      const readable = await namedQuery<{ id: string }>(
        manager,
        `SELECT fd.id FROM funding fd WHERE fd.id = ANY(:ids::uuid[]) AND ${visible.sql} AND ${clusters.sql}
           ${s.cluster_ids ? 'AND fd.cluster_id = ANY(:only::uuid[])' : ''}`,
        { ids: fundingIds, only: s.cluster_ids, ...visible.params, ...clusters.params },
      );
      const may = new Set(readable.map((r) => r.id));
      const emails: Decided[] = [];
      for (const d of due.values()) {
        if (already.has(`${s.id}/${d.key}`) || !d.fundingIds.some((id) => may.has(id))) continue;
        emails.push({
          topic: 'submission_due',
          dedupe_key: d.key,
          cluster_id: d.clusterId,
          ...renderSubmissionDue(s.language, {
            clusterName: d.clusterName,
            funderName: d.funderName,
            period: d.period,
            dueOn: d.dueOn,
            moment: d.moment,
            daysLeft: Math.round((Date.parse(d.dueOn) - Date.parse(today)) / 86_400_000),
            returned: d.returned,
            reportUrl: `${this.baseUrl}/clusters/${d.clusterId}/report?period=${d.period}`,
            unsubscribeUrl: this.subscriptions.unsubscribeUrl(s.unsubscribe_token),
          }),
        });
      }
      await this.write(manager, s.id, emails);
    }
    return next;
  }

  /**
   * The weekly digest, Mondays 08:00 in REPORT_TIME_ZONE: for every confirmed subscription to `weekly_digest`, one
   * email per cluster with items that need an update (as its key reads them), keyed by the week's Monday.
   */
  private async decideDigest(manager: EntityManager, now: Date): Promise<Date> {
    const timeZone = this.env.REPORT_TIME_ZONE;
    const next = nextDigestAt(now, timeZone);
    const monday = mondayOf(now, timeZone);
    const since = next.getTime() - 7 * 86_400_000;
    // Only on the Monday itself (or a day late, after an outage): a first run in mid-week waits for the next Monday.
    if (now.getTime() < since || now.getTime() - since > DIGEST_LATE_MS) return next;
    for (const s of await this.subscribers(manager, ['weekly_digest'])) {
      const caller = callerOf(s);
      const page = await this.followUp.needsUpdate(caller, { limit: 200, offset: 0 });
      const byCluster = new Map<string, typeof page.items>();
      for (const item of page.items) {
        if (s.cluster_ids && !s.cluster_ids.includes(item.clusterId)) continue;
        byCluster.set(item.clusterId, [...(byCluster.get(item.clusterId) ?? []), item]);
      }
      if (byCluster.size === 0) continue;
      const names = await manager.query<{ id: string; name: string }[]>(`SELECT id, name FROM cluster WHERE id = ANY($1::uuid[])`, [
        [...byCluster.keys()],
      ]);
      const emails: Decided[] = names.map((c) => ({
        topic: 'weekly_digest',
        dedupe_key: `weekly_digest:${c.id}:${monday}`,
        cluster_id: c.id,
        ...renderDigest(s.language, {
          clusterName: c.name,
          week: String(isoWeek(monday)),
          items: (byCluster.get(c.id) ?? []).map((i) =>
            digestLine(s.language, {
              kind: i.subject.type,
              title: i.subject.title,
              reasons: i.reasons,
              status: i.status,
              dueDate: i.dueDate,
            }),
          ),
          url: `${this.baseUrl}/needs-update?clusterId=${c.id}`,
          unsubscribeUrl: this.subscriptions.unsubscribeUrl(s.unsubscribe_token),
        }),
      }));
      await this.write(manager, s.id, emails);
    }
    return next;
  }

  /**
   * Passes one window of the events feed for `submission_decided` and `red_status`; true when it passed a full
   * window (there may be more). With no subscription to either, it only moves the cursor to the head of the feed.
   */
  async dispatch(): Promise<boolean> {
    return transaction(this.dataSource, async (manager) => {
      const [cursor] = await manager.query<{ xid: string; position: string }[]>(
        `SELECT xid::text AS xid, position::text AS position FROM email_dispatch WHERE id = 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!cursor) return false; // another instance is dispatching
      const subscribers = await this.subscribers(manager, ['submission_decided', 'red_status']);
      if (subscribers.length === 0) {
        await manager.query(
          `UPDATE email_dispatch d SET xid = head.xid, position = head.position
           FROM (SELECT r.xid, r.position FROM revision r WHERE r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                 ORDER BY r.xid DESC, r.position DESC LIMIT 1) head
           WHERE d.id = 1 AND (d.xid, d.position) < (head.xid, head.position)`,
        );
        return false;
      }
      const window = await manager.query<{ xid: string; position: string }[]>(
        `SELECT r.xid::text AS xid, r.position::text AS position FROM revision r
         WHERE (r.xid, r.position) > ($1::bigint, $2::bigint) AND r.xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
         ORDER BY r.xid, r.position LIMIT $3`,
        [cursor.xid, cursor.position, DISPATCH_WINDOW],
      );
      if (window.length === 0) return false;
      const until: Cursor = { xid: window[window.length - 1].xid, position: window[window.length - 1].position };
      for (const s of subscribers) {
        const types = [
          ...(s.topics.includes('submission_decided') ? DECISION_TYPES : []),
          ...(s.topics.includes('red_status') ? STATUS_KINDS.map((k) => `${k}.status_changed`) : []),
        ];
        const page = await this.events.read(callerOf(s), cursor, {
          limit: DISPATCH_WINDOW,
          types,
          clusterIds: s.cluster_ids ?? undefined,
          until,
        });
        const emails: Decided[] = [];
        for (const e of page.items) {
          // Only what happened after the subscription was confirmed.
          if (new Date(e.occurredAt) < s.confirmed_at) continue;
          const email = await this.eventEmail(manager, s, e);
          if (email) emails.push(email);
        }
        await this.write(manager, s.id, emails);
      }
      await manager.query(`UPDATE email_dispatch SET xid = $1, position = $2 WHERE id = 1`, [until.xid, until.position]);
      return window.length === DISPATCH_WINDOW;
    });
  }

  private async eventEmail(manager: EntityManager, s: SubscriberRow, e: EventResponse): Promise<Decided | null> {
    const data = e.data;
    const unsubscribeUrl = this.subscriptions.unsubscribeUrl(s.unsubscribe_token);
    if (DECISION_TYPES.includes(e.type)) {
      const [names] = await manager.query<{ cluster_name: string; funder_name: string }[]>(
        `SELECT c.name AS cluster_name, f.name AS funder_name FROM cluster c, funder f WHERE c.id = $1 AND f.id = $2`,
        [data.clusterId, data.funderId],
      );
      if (!names) return null;
      return {
        topic: 'submission_decided',
        dedupe_key: `event:${e.id}`,
        cluster_id: e.clusterId,
        ...renderSubmissionDecided(s.language, {
          clusterName: names.cluster_name,
          funderName: names.funder_name,
          period: String(data.period),
          decision: e.type === 'report_submission.acknowledged' ? 'acknowledged' : 'returned',
          comment: typeof data.decisionComment === 'string' ? data.decisionComment : null,
          url: `${this.baseUrl}/report-submissions/${e.subject.id}`,
          unsubscribeUrl,
        }),
      };
    }
    // A status change: only one to red. Its comment is the red status update's (the one nearest the event: the
    // update and its revision are written in one transaction, a moment apart).
    if (data.status !== 'red' || !e.clusterId) return null;
    const [row] = await manager.query<{ cluster_name: string; comment: string | null }[]>(
      `SELECT c.name AS cluster_name,
              (SELECT u.comment FROM status_update u WHERE u.subject_id = $2 AND u.status = 'red'
               ORDER BY abs(extract(epoch FROM u.created_at - $3::timestamptz)), u.seq DESC LIMIT 1) AS comment
       FROM cluster c WHERE c.id = $1`,
      [e.clusterId, e.subject.id, e.occurredAt],
    );
    if (!row) return null;
    const path = { goal: 'goals', activity: 'activities', low_hanging_fruit: 'low-hanging-fruits', risk: 'risks' }[e.subject.type];
    return {
      topic: 'red_status',
      dedupe_key: `event:${e.id}`,
      cluster_id: e.clusterId,
      ...renderRedStatus(s.language, {
        clusterName: row.cluster_name,
        kind: e.subject.type,
        title: typeof data.title === 'string' ? data.title : '',
        comment: row.comment,
        author: e.author,
        url: `${this.baseUrl}/${path ?? 'clusters'}/${path ? e.subject.id : e.clusterId}`,
        unsubscribeUrl,
      }),
    };
  }

  /** Writes decided emails to the outbox; one already written for the same subscription and key is left alone. */
  private async write(manager: EntityManager, subscriptionId: string, emails: Decided[]): Promise<void> {
    if (emails.length === 0) return;
    await manager.query(
      `INSERT INTO email (subscription_id, topic, dedupe_key, cluster_id, subject, text, html)
       SELECT $1, e.topic, e.dedupe_key, e.cluster_id, e.subject, e.text, e.html
       FROM jsonb_to_recordset($2::jsonb) AS e(topic text, dedupe_key text, cluster_id uuid, subject text, text text, html text)
       ON CONFLICT (subscription_id, dedupe_key) DO NOTHING`,
      [subscriptionId, JSON.stringify(emails)],
    );
  }

  /** Claims the emails that are due and sends them, a few at a time; the number claimed. */
  async sendDue(): Promise<number> {
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
    for (let i = 0; i < claimed.length && !this.stopped; i += SEND_AT_ONCE) {
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
