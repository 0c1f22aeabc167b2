import { ROLES, type Role } from './auth/role.js';

/** A key whose secret exists in this process only, to be shown once. */
export interface FreshKey {
  role: Role;
  secret: string;
  /** One line: what the key is for. */
  use: string;
}

export interface StartUpKeys {
  /** Where Swagger UI is. */
  docsUrl: string;
  /** Keys made during this start, shown once; empty on a restart. */
  fresh: FreshKey[];
  /** Keys that are not revoked, per role. */
  active: Record<Role, number>;
  /** ADMIN_API_KEY was set: its secret is an admin key. */
  adminFromEnvironment: boolean;
}

/**
 * The block printed at the very end of start-up, after the server listens:
 * the keys made by this start with their role and use (their secrets are not
 * stored anywhere, so this is the only time they are shown), or, on a restart,
 * how many keys exist and how to get or make one.
 */
export function startUpKeysBlock(keys: StartUpKeys): string {
  const rule = `  ${'─'.repeat(78)}`;
  const lines = [rule, `  Styrman API keys — Swagger UI: ${keys.docsUrl} (Authorize, paste a key)`, ''];
  if (keys.fresh.length > 0) {
    lines.push('  New keys, shown this once: Styrman keeps only a digest of each. Copy them now.', '');
    for (const key of keys.fresh) lines.push(`    ${key.role.padEnd(7)} ${key.secret}   ${key.use}`);
    if (keys.adminFromEnvironment && !keys.fresh.some((k) => k.role === 'admin')) {
      lines.push(`    ${'admin'.padEnd(7)} (the secret in ADMIN_API_KEY)   everything, including new keys`);
    }
    lines.push('');
  } else {
    const counts = ROLES.map((role) => `${keys.active[role]} ${role}`).join(', ');
    lines.push(`  Keys in the database: ${counts}. Their secrets were shown when they were made and are not stored.`);
    if (keys.adminFromEnvironment) lines.push('  Admin: the secret in ADMIN_API_KEY is an admin key.');
    lines.push(
      '  Lost the admin key? Restart with ADMIN_API_KEY set to a secret of 16 to 200 characters',
      '    (e.g. ADMIN_API_KEY=$(openssl rand -base64 32)): that secret then is an admin key.',
      '',
    );
  }
  lines.push(
    '  More keys, one per person or system: POST /api/v1/api-keys with an admin key, for example',
    '    { "name": "Karin Ek", "role": "editor", "clusterIds": ["<cluster id>"] }   (a funder key takes "funderId").',
    '  A lost key cannot be shown again: revoke it (DELETE /api/v1/api-keys/{keyId}) and make another.',
    '  Use a key as "Authorization: Bearer <key>" or "X-API-Key: <key>".',
    rule,
    '',
  );
  return lines.join('\n');
}
