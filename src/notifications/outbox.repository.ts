import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readableClusters, readableFundings } from '../auth/access.js';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import type { Cursor } from '../events/event-types.js';
import type { ReportingPeriod } from '../funders/funder.entity.js';
import type { Decided, SubscriberRow } from './outbox.js';
import type { Topic } from './topics.js';

/** A live funding of a live cluster, with what its funder asks of reports. */
export interface DueFundingRow {
  id: string;
  cluster_id: string;
  cluster_name: string;
  funder_id: string;
  funder_name: string;
  starts_on: string;
  ends_on: string;
  reporting_period: ReportingPeriod;
  report_due_days: number;
}

/** The newest submission of a cluster to a funder for a period. */
export interface NewestStateRow {
  cluster_id: string;
  funder_id: string;
  period_from: Date;
  period_to: Date;
  state: string;
}

const EXAMPLE_SUBSCRIPTION = '00000000-0000-4000-8000-0000000000b1';
const EXAMPLE_INSTANT = new Date('2026-06-30T06:00:00Z');

/**
 * What the deciders of emails read and write, in the transaction of the job or window that decides them (`db()`):
 * the subscribers, the emails written to the outbox, the scheduled jobs, the events cursor, and what the emails say.
 */
@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The confirmed subscriptions to any of the topics whose keys are not revoked. */
  @GenerateSql({ name: 'the due reminders', args: () => [['submission_due']] })
  confirmedSubscribers(topics: Topic[]): Promise<SubscriberRow[]> {
    return db(this.dataSource).query<SubscriberRow[]>(
      `SELECT s.id, s.language, s.topics, s.cluster_ids, s.unsubscribe_token, s.confirmed_at,
         k.id AS key_id, k.name AS key_name, k.role, k.cluster_ids AS key_cluster_ids, k.funder_id
       FROM subscription s JOIN api_key k ON k.id = s.api_key_id
       WHERE s.state = 'confirmed' AND k.revoked_at IS NULL AND s.topics && $1::text[]
       ORDER BY s.id`,
      [topics],
    );
  }

  /** Writes decided emails to the outbox; one already written for the same subscription and key is left alone. */
  @GenerateSql({
    name: 'a weekly digest',
    args: (): [string, Decided[]] => [
      EXAMPLE_SUBSCRIPTION,
      [
        {
          topic: 'weekly_digest',
          dedupe_key: `weekly_digest:${EXAMPLE_IDS.cluster}:2026-06-29`,
          cluster_id: EXAMPLE_IDS.cluster,
          subject: 'Veckans',
          text: '…',
          html: '<p>…</p>',
        },
      ],
    ],
  })
  async writeEmails(subscriptionId: string, emails: Decided[]): Promise<void> {
    if (emails.length === 0) return;
    await db(this.dataSource).query(
      `INSERT INTO email (subscription_id, topic, dedupe_key, cluster_id, subject, text, html)
       SELECT $1, e.topic, e.dedupe_key, e.cluster_id, e.subject, e.text, e.html
       FROM jsonb_to_recordset($2::jsonb) AS e(topic text, dedupe_key text, cluster_id uuid, subject text, text text, html text)
       ON CONFLICT (subscription_id, dedupe_key) DO NOTHING`,
      [subscriptionId, JSON.stringify(emails)],
    );
  }

  /** Claims a scheduled job if it is due at `now` and no other instance holds it. */
  @GenerateSql({ name: 'the due reminders', args: () => ['submission_due', EXAMPLE_INSTANT] })
  async claimJob(name: string, now: Date): Promise<boolean> {
    const [job] = await db(this.dataSource).query<{ name: string }[]>(
      `SELECT name FROM email_job WHERE name = $1 AND next_run_at <= $2 FOR UPDATE SKIP LOCKED`,
      [name, now],
    );
    return job !== undefined;
  }

  /** Sets a job's next run, and its last. */
  @GenerateSql({ name: 'the due reminders', args: () => ['submission_due', new Date('2026-06-30T07:00:00Z'), EXAMPLE_INSTANT] })
  async scheduleJob(name: string, next: Date, now: Date): Promise<void> {
    await db(this.dataSource).query(`UPDATE email_job SET next_run_at = $2, last_run_at = $3 WHERE name = $1`, [name, next, now]);
  }

  /** The emails' cursor in the events feed, locked (SKIP LOCKED: none while another instance dispatches). */
  @GenerateSql({ name: 'the cursor', args: () => [] })
  async lockCursor(): Promise<Cursor | undefined> {
    const [cursor] = await db(this.dataSource).query<Cursor[]>(
      `SELECT xid::text AS xid, position::text AS position FROM email_dispatch WHERE id = 1 FOR UPDATE SKIP LOCKED`,
    );
    return cursor;
  }

  /** Moves the emails' cursor. */
  @GenerateSql({ name: 'a cursor', args: () => [{ xid: '1300', position: '120' }] })
  async moveCursor(until: Cursor): Promise<void> {
    await db(this.dataSource).query(`UPDATE email_dispatch SET xid = $1, position = $2 WHERE id = 1`, [until.xid, until.position]);
  }

  /** Every live funding of a live cluster, with what its funder asks of reports. */
  @GenerateSql({ name: 'all', args: () => [] })
  dueFundings(): Promise<DueFundingRow[]> {
    return db(this.dataSource).query<DueFundingRow[]>(
      `SELECT fd.id, fd.cluster_id, c.name AS cluster_name, fd.funder_id, f.name AS funder_name, fd.starts_on, fd.ends_on,
              f.reporting_period, f.report_due_days
       FROM funding fd JOIN funder f ON f.id = fd.funder_id JOIN cluster c ON c.id = fd.cluster_id
       WHERE fd.archived_at IS NULL AND c.archived_at IS NULL`,
    );
  }

  /** The state of the newest submission of every cluster, funder and period. */
  @GenerateSql({ name: 'all', args: () => [] })
  newestStates(): Promise<NewestStateRow[]> {
    return db(this.dataSource).query<NewestStateRow[]>(
      `SELECT DISTINCT ON (s.cluster_id, s.funder_id, s.period_from, s.period_to) s.cluster_id, s.funder_id, s.period_from, s.period_to, s.state
       FROM report_submission s
       ORDER BY s.cluster_id, s.funder_id, s.period_from, s.period_to, s.submitted_at DESC, s.id`,
    );
  }

  /** Which of the keys the subscriptions already have an email of. */
  @GenerateSql({
    name: 'a reminder',
    args: () => [[EXAMPLE_SUBSCRIPTION], [`submission_due:${EXAMPLE_IDS.cluster}:${EXAMPLE_IDS.funder}:2026-Q2:overdue`]],
  })
  written(subscriptionIds: string[], keys: string[]): Promise<{ subscription_id: string; dedupe_key: string }[]> {
    return db(this.dataSource).query<{ subscription_id: string; dedupe_key: string }[]>(
      `SELECT subscription_id, dedupe_key FROM email WHERE subscription_id = ANY($1::uuid[]) AND dedupe_key = ANY($2::text[])`,
      [subscriptionIds, keys],
    );
  }

  /** Which of the fundings the caller may read, in its clusters (in `only` of them, when given). */
  @GenerateSql(
    { name: 'for a funder key', args: () => [exampleCaller('funder'), ['00000000-0000-4000-8000-0000000000a7'], null] },
    {
      name: 'for an editor key, in one cluster',
      args: () => [exampleCaller('editor'), ['00000000-0000-4000-8000-0000000000a7'], [EXAMPLE_IDS.cluster]],
    },
  )
  async readableFundings(caller: Caller, ids: string[], only: string[] | null): Promise<Set<string>> {
    const visible = readableFundings(caller, 'fd');
    const clusters = readableClusters(caller, 'fd.cluster_id');
    const rows = await namedQuery<{ id: string }>(
      db(this.dataSource),
      `SELECT fd.id FROM funding fd WHERE fd.id = ANY(:ids::uuid[]) AND ${visible.sql} AND ${clusters.sql}
         ${only ? 'AND fd.cluster_id = ANY(:only::uuid[])' : ''}`,
      { ids, only, ...visible.params, ...clusters.params },
    );
    return new Set(rows.map((r) => r.id));
  }

  /** The names of clusters. */
  @GenerateSql({ name: 'two clusters', args: () => [[EXAMPLE_IDS.cluster, EXAMPLE_IDS.otherCluster]] })
  clusterNames(ids: string[]): Promise<{ id: string; name: string }[]> {
    return db(this.dataSource).query<{ id: string; name: string }[]>(`SELECT id, name FROM cluster WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** The names of a cluster and a funder (none when either is gone). */
  @GenerateSql({ name: 'a cluster and a funder', args: () => [EXAMPLE_IDS.cluster, EXAMPLE_IDS.funder] })
  async names(clusterId: unknown, funderId: unknown): Promise<{ cluster_name: string; funder_name: string } | undefined> {
    const [names] = await db(this.dataSource).query<{ cluster_name: string; funder_name: string }[]>(
      `SELECT c.name AS cluster_name, f.name AS funder_name FROM cluster c, funder f WHERE c.id = $1 AND f.id = $2`,
      [clusterId, funderId],
    );
    return names;
  }

  /**
   * A cluster's name with the comment of the red status update of an item nearest an instant (the update and its
   * revision are written in one transaction, a moment apart).
   */
  @GenerateSql({
    name: 'a goal turned red',
    args: () => [EXAMPLE_IDS.cluster, '00000000-0000-4000-8000-0000000060a1', '2026-06-30T12:00:00.000Z'],
  })
  async redComment(
    clusterId: string,
    subjectId: string,
    at: string,
  ): Promise<{ cluster_name: string; comment: string | null } | undefined> {
    const [row] = await db(this.dataSource).query<{ cluster_name: string; comment: string | null }[]>(
      `SELECT c.name AS cluster_name,
              (SELECT u.comment FROM status_update u WHERE u.subject_id = $2 AND u.status = 'red'
               ORDER BY abs(extract(epoch FROM u.created_at - $3::timestamptz)), u.seq DESC LIMIT 1) AS comment
       FROM cluster c WHERE c.id = $1`,
      [clusterId, subjectId, at],
    );
    return row;
  }
}
