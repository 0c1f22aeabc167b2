export const ROLES = ['admin', 'editor', 'funder', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from the API key by the global guard. */
export interface Caller {
  keyId: string;
  /** The key's name; recorded as the author of what the caller writes. */
  name: string;
  role: Role;
  /** The clusters an editor may read and write; empty for other roles. */
  clusterIds: readonly string[];
  /** The funder a funder key reads for; null for other roles. */
  funderId: string | null;
}
