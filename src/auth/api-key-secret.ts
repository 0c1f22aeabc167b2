import { hash, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'sty_';
const PREFIX_LENGTH = 12;

/** A new secret: `sty_` and 256 random bits, base64url. */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 of a secret, as stored in `api_key.secret_hash`. */
export function hashSecret(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/**
 * The same SHA-256, as base64 text: what every request computes to find its key among the resolved ones. One call of
 * `crypto.hash` (no Hash object, no Buffer to convert) costs about a quarter of `createHash().update().digest()`
 * with its base64 conversion.
 */
export function secretDigest(secret: string): string {
  return hash('sha256', secret, 'base64');
}

/** The part of a secret that is shown after creation, to recognise a key by. */
export function prefixOf(secret: string): string {
  return secret.slice(0, PREFIX_LENGTH);
}
