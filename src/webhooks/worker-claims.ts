import type { Role } from '../auth/role.js';

/** Deliveries claimed in one statement. */
export const CLAIM_BATCH = 50;
/** The advisory lock that makes claims one at a time over every instance, so that PER_WEBHOOK holds. */
export const CLAIM_LOCK = 7_365_400_001;

/** A webhook the worker dispatches to, with the key it reads as. */
export interface ActiveWebhook {
  id: string;
  types: string[] | null;
  cluster_ids: string[] | null;
  created_at: Date;
  created_snapshot: string | null;
  key_id: string;
  key_name: string;
  role: Role;
  key_cluster_ids: string[];
  funder_id: string | null;
}

/** A delivery claimed for an attempt, with its webhook and key. */
export interface Claimed {
  id: string;
  webhook_id: string;
  event_id: string;
  attempt: number;
  payload: string;
  url: string;
  secret_encrypted: Buffer;
  /** The event's subject; null for a ping. */
  subject_type: string | null;
  key_id: string;
  key_name: string;
  role: Role;
  key_cluster_ids: string[];
  funder_id: string | null;
}
