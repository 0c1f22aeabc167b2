import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readableClusters } from '../auth/access.js';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller, Role } from '../auth/role.js';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import type { EmailTopic } from './topics.js';

/** An email claimed for an attempt, with its subscription and key. */
export interface ClaimedEmail {
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

const EXAMPLE_EMAIL = '00000000-0000-4000-8000-0000000000b2';

/** The outbox as the sender works it: claims with a lease, and the outcome of each attempt. On the data source itself. */
@Injectable()
export class EmailsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Claims up to `limit` due emails, oldest due first, under a lease of `leaseMs`. */
  @GenerateSql({ name: 'twenty', args: () => [60_000, 20] })
  claim(leaseMs: number, limit: number): Promise<ClaimedEmail[]> {
    return this.dataSource.query<ClaimedEmail[]>(
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
      [leaseMs, limit],
    );
  }

  /** Whether the caller (a subscription's key) may read the cluster now. */
  @GenerateSql({ name: 'a cluster, for a funder key', args: () => [exampleCaller('funder'), EXAMPLE_IDS.cluster] })
  async mayReadCluster(caller: Caller, clusterId: string): Promise<boolean> {
    const visible = readableClusters(caller, 'c.id');
    const rows = await namedQuery(this.dataSource.manager, `SELECT 1 FROM cluster c WHERE c.id = :id AND ${visible.sql}`, {
      id: clusterId,
      ...visible.params,
    });
    return rows.length > 0;
  }

  /** Ends the attempt without sending, for good, saying why. */
  @GenerateSql({ name: 'an attempt', args: () => [EXAMPLE_EMAIL, 1, 'Not sent: the API key of the subscription is revoked.'] })
  async skip(id: string, attempt: number, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE email SET state = 'skipped', attempt = attempt - 1, locked_until = NULL, next_attempt_at = NULL, last_error = $3
       WHERE id = $1 AND attempt = $2`,
      [id, attempt, reason],
    );
  }

  /**
   * Writes the outcome of an attempt (`error` null: sent; `backoffMs` null: no more attempts), only while this
   * instance still holds it. A confirmation's link is a secret: once sent, its body is not kept.
   */
  @GenerateSql({ name: 'a failure, retried in a minute', args: () => [EXAMPLE_EMAIL, 1, 'Connection refused', 60_000] })
  async recordOutcome(id: string, attempt: number, error: string | null, backoffMs: number | null): Promise<void> {
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
      [id, attempt, error, backoffMs],
    );
  }
}
