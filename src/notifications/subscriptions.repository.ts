import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { namedQuery, pageRows } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import type { EmailState, SubscriptionState } from './dto/subscription.dto.js';
import type { RenderedEmail } from './templates.js';
import type { Language, Topic } from './topics.js';

export interface SubscriptionRow {
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

export interface EmailRow {
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

/** How a confirmation finds its subscription: by the hash of its link's token, or by id (the demo's). */
export type ConfirmBy = { hash: Buffer } | { id: string };

const COLUMNS = 's.id, s.api_key_id, s.email, s.language, s.topics, s.cluster_ids, s.state, s.created_at, s.confirmed_at';

const EXAMPLE_SUBSCRIPTION = '00000000-0000-4000-8000-0000000000b1';
const EXAMPLE_TOKEN = 'dW5zdWJzY3JpYmUtdG9rZW4tZXhhbXBsZQ';

/** A key's own subscriptions (an admin's: all), as a condition on `s`. */
function owned(caller: Caller): { sql: string; params: Record<string, unknown> } {
  return caller.role === 'admin'
    ? { sql: 'TRUE', params: {} }
    : { sql: 's.api_key_id = :callerKeyId', params: { callerKeyId: caller.keyId } };
}

/** The subscriptions to emails and their emails as their routes read and change them: every statement the subscriptions' service sends. */
@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Waits for a key's creation lock, held until the transaction ends: its subscriptions are counted one creation at a time. */
  @GenerateSql({ name: 'a key', args: () => [exampleCaller('viewer').keyId] })
  async lockKey(keyId: string): Promise<void> {
    await db(this.dataSource).query(`SELECT pg_advisory_xact_lock(hashtext('subscription per key'), hashtext($1))`, [keyId]);
  }

  /** How many subscriptions the key has. */
  @GenerateSql({ name: 'a key', args: () => [exampleCaller('viewer').keyId] })
  async countOfKey(keyId: string): Promise<number> {
    const [row] = await db(this.dataSource).query<{ n: number }[]>(`SELECT count(*)::int AS n FROM subscription WHERE api_key_id = $1`, [
      keyId,
    ]);
    return row?.n ?? 0;
  }

  /** Adds a pending subscription. */
  @GenerateSql({
    name: 'a subscription in a cluster',
    args: () => [
      {
        keyId: exampleCaller('viewer').keyId,
        email: 'process.leader@example.org',
        language: 'sv',
        topics: ['submission_due', 'weekly_digest'],
        clusterIds: [EXAMPLE_IDS.cluster],
        confirmHash: Buffer.alloc(32, 7),
        unsubscribeToken: EXAMPLE_TOKEN,
      },
    ],
  })
  async insert(values: {
    keyId: string;
    email: string;
    language: Language;
    topics: Topic[];
    clusterIds: string[] | null;
    confirmHash: Buffer;
    unsubscribeToken: string;
  }): Promise<SubscriptionRow | undefined> {
    const [row] = await namedQuery<SubscriptionRow>(
      db(this.dataSource),
      `INSERT INTO subscription AS s (api_key_id, email, language, topics, cluster_ids, confirm_token_hash, unsubscribe_token)
       VALUES (:keyId, :email, :language, :topics, :clusterIds, :confirmHash, :unsubscribeToken)
       RETURNING ${COLUMNS}`,
      values,
    );
    return row;
  }

  /** Queues the confirmation email of a new subscription. */
  @GenerateSql({
    name: 'a confirmation',
    args: () => [EXAMPLE_SUBSCRIPTION, { subject: 'Bekräfta', text: 'Öppna länken', html: '<p>Öppna länken</p>' }],
  })
  async queueConfirmation(subscriptionId: string, mail: RenderedEmail): Promise<void> {
    await namedQuery(
      db(this.dataSource),
      `INSERT INTO email (subscription_id, topic, dedupe_key, subject, text, html)
       VALUES (:id, 'confirmation', 'confirmation', :subject, :text, :html)`,
      { id: subscriptionId, ...mail },
    );
  }

  /** A page of the caller's subscriptions, oldest first, and their number. */
  @GenerateSql(
    { name: 'the first page of a viewer key', args: () => [exampleCaller('viewer'), { limit: 50, offset: 0 }] },
    { name: 'a page past the end, for an admin key', args: () => [exampleCaller('admin'), { limit: 50, offset: 100 }] },
  )
  list(caller: Caller, page: { limit: number; offset: number }): Promise<{ rows: SubscriptionRow[]; total: number }> {
    return pageRows<SubscriptionRow>(
      db(this.dataSource),
      { columns: COLUMNS, from: 'subscription s', where: owned(caller), orderBy: 's.created_at, s.id' },
      page,
    );
  }

  /** One of the caller's subscriptions. */
  @GenerateSql({ name: 'a subscription of a viewer key', args: () => [exampleCaller('viewer'), EXAMPLE_SUBSCRIPTION] })
  async find(caller: Caller, id: string): Promise<SubscriptionRow | undefined> {
    const where = owned(caller);
    const [row] = await namedQuery<SubscriptionRow>(
      db(this.dataSource),
      `SELECT ${COLUMNS} FROM subscription s WHERE s.id = :id AND ${where.sql}`,
      { id, ...where.params },
    );
    return row;
  }

  /** Deletes a subscription, and with it its address and its emails. */
  @GenerateSql({ name: 'a subscription', args: () => [EXAMPLE_SUBSCRIPTION] })
  async delete(id: string): Promise<void> {
    await namedQuery(db(this.dataSource), `DELETE FROM subscription WHERE id = :id`, { id });
  }

  /** A page of a subscription's emails, newest first, and their number. */
  @GenerateSql(
    { name: 'the first page', args: () => [EXAMPLE_SUBSCRIPTION, { limit: 50, offset: 0 }] },
    { name: 'a page past the end', args: () => [EXAMPLE_SUBSCRIPTION, { limit: 50, offset: 100 }] },
  )
  emails(id: string, page: { limit: number; offset: number }): Promise<{ rows: EmailRow[]; total: number }> {
    return pageRows<EmailRow>(
      db(this.dataSource),
      {
        columns:
          'e.id, e.subscription_id, e.topic, e.subject, e.state, e.attempt, e.last_error, e.created_at, e.sent_at, e.next_attempt_at',
        from: 'email e',
        where: { sql: 'e.subscription_id = :id', params: { id } },
        orderBy: 'e.created_at DESC, e.id',
      },
      page,
    );
  }

  /** Confirms a subscription (again: no change); its id, or none when nothing matches. */
  @GenerateSql(
    { name: "by its link's token", args: () => [{ hash: Buffer.alloc(32, 7) }] },
    { name: 'by id', args: () => [{ id: EXAMPLE_SUBSCRIPTION }] },
  )
  async confirm(by: ConfirmBy): Promise<string | undefined> {
    const where = 'hash' in by ? 'confirm_token_hash = :hash' : 'id = :id';
    const [row] = await namedQuery<{ id: string }>(
      db(this.dataSource),
      `WITH confirmed AS (
         UPDATE subscription SET state = 'confirmed', confirmed_at = COALESCE(confirmed_at, clock_timestamp())
         WHERE ${where} RETURNING id)
       SELECT id FROM confirmed`,
      { ...by },
    );
    return row?.id;
  }

  /** Makes the due reminders' job due at once. */
  @GenerateSql({ name: 'the job', args: () => [] })
  async dueRemindersNow(): Promise<void> {
    await db(this.dataSource).query(`UPDATE email_job SET next_run_at = '-infinity' WHERE name = 'submission_due'`);
  }

  /** Deletes the subscription of an unsubscribe token: whether there was one. */
  @GenerateSql({ name: 'a token', args: () => [EXAMPLE_TOKEN] })
  async unsubscribe(token: string): Promise<boolean> {
    const rows = await namedQuery<{ id: string }>(
      db(this.dataSource),
      `WITH gone AS (DELETE FROM subscription WHERE unsubscribe_token = :token RETURNING id) SELECT id FROM gone`,
      { token },
    );
    return rows.length > 0;
  }

  /** Whether an unsubscribe token names a subscription. */
  @GenerateSql({ name: 'a token', args: () => [EXAMPLE_TOKEN] })
  async knowsUnsubscribeToken(token: string): Promise<boolean> {
    const rows = await namedQuery(db(this.dataSource), `SELECT 1 FROM subscription WHERE unsubscribe_token = :token`, { token });
    return rows.length > 0;
  }
}
