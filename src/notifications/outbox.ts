import type { EntityManager } from 'typeorm';
import type { Caller, Role } from '../auth/role.js';
import { type Environment, publicUrl } from '../config/environment.js';
import type { RenderedEmail } from './templates.js';
import type { EmailTopic, Language, Topic } from './topics.js';

/** A confirmed subscription with the key it reads as. */
export interface SubscriberRow {
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
export interface Decided extends RenderedEmail {
  topic: EmailTopic;
  dedupe_key: string;
  cluster_id: string | null;
}

/** The API's address in links of emails. */
export const apiBaseUrl = (env: Environment): string => `${publicUrl(env)}/api/v1`;

export const callerOf = (r: {
  key_id: string;
  key_name: string;
  role: Role;
  key_cluster_ids: string[];
  funder_id: string | null;
}): Caller => ({
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

/** The confirmed subscriptions to any of the topics whose keys are not revoked. */
export function confirmedSubscribers(manager: EntityManager, topics: Topic[]): Promise<SubscriberRow[]> {
  return manager.query<SubscriberRow[]>(SUBSCRIBERS, [topics]);
}

/** Writes decided emails to the outbox; one already written for the same subscription and key is left alone. */
export async function writeEmails(manager: EntityManager, subscriptionId: string, emails: Decided[]): Promise<void> {
  if (emails.length === 0) return;
  await manager.query(
    `INSERT INTO email (subscription_id, topic, dedupe_key, cluster_id, subject, text, html)
     SELECT $1, e.topic, e.dedupe_key, e.cluster_id, e.subject, e.text, e.html
     FROM jsonb_to_recordset($2::jsonb) AS e(topic text, dedupe_key text, cluster_id uuid, subject text, text text, html text)
     ON CONFLICT (subscription_id, dedupe_key) DO NOTHING`,
    [subscriptionId, JSON.stringify(emails)],
  );
}
