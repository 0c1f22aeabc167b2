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
