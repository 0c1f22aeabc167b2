import { createHash, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'sty_';
const PREFIX_LENGTH = 12;

/** A new secret: `sty_` and 256 random bits, base64url. */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The part of a secret that is shown after creation, to recognise a key by. */
export function prefixOf(secret: string): string {
  return secret.slice(0, PREFIX_LENGTH);
}
