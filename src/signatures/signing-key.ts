import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import { join } from 'node:path';
import { type Environment, EnvironmentError } from '../config/environment.js';
import { keptKey } from '../webhooks/secret-key-file.js';

/** The file in STYRMAN_DATA_DIR that keeps the generated SIGNING_KEY of an embedded database. */
export const SIGNING_KEY_FILE = 'signing-key';

/** The DER head of a PKCS #8 Ed25519 private key (RFC 8410), before its 32-byte seed. */
const ED25519_PKCS8_HEAD = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Makes sure SIGNING_KEY is set before start-up goes on, as WEBHOOK_SECRET_KEY is: given with DATABASE_URL (an
 * EnvironmentError naming it otherwise: every instance signs with the same key), kept in STYRMAN_DATA_DIR
 * (mode 600) with the embedded database, made at the first start.
 */
export async function ensureSigningKey(env: Environment): Promise<void> {
  if (env.SIGNING_KEY) return;
  if (env.DATABASE_URL) {
    throw new EnvironmentError(
      'Invalid configuration:\n  SIGNING_KEY: must be set when DATABASE_URL is set (an Ed25519 seed: 32 bytes as 64 hex digits or base64, ' +
        'for example from `openssl rand -hex 32`); every instance needs the same one. It signs the statements of submitted reports.',
    );
  }
  env.SIGNING_KEY = await keptKey(join(env.STYRMAN_DATA_DIR, SIGNING_KEY_FILE), 'statements verify only with the key that signed them');
}

/** An Ed25519 key pair and its id: what signs, and what is published. */
export class SigningKeyPair {
  readonly id: string;
  /** The public key, base64url: the JWK's `x`. */
  readonly x: string;

  private constructor(private readonly privateKey: KeyObject) {
    const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
    this.x = jwk.x!;
    this.id = thumbprint(this.x);
  }

  /** From SIGNING_KEY: the 32-byte seed, as 64 hex digits or base64. */
  static fromSetting(value: string): SigningKeyPair {
    const seed = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (seed.length !== 32) throw new Error('SIGNING_KEY must be 32 bytes as 64 hex digits or base64');
    return new SigningKeyPair(createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_HEAD, seed]), format: 'der', type: 'pkcs8' }));
  }

  /** A key for this process only (an application built without SIGNING_KEY: a script, a test). */
  static random(): SigningKeyPair {
    return SigningKeyPair.fromSetting(randomBytes(32).toString('hex'));
  }

  /** The signature of the text's UTF-8 bytes, base64. */
  sign(text: string): string {
    return sign(null, Buffer.from(text, 'utf8'), this.privateKey).toString('base64');
  }
}

/** The JWK thumbprint (RFC 7638) of an Ed25519 public key: SHA-256 of its required members in order, base64url. */
export function thumbprint(x: string): string {
  return createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
}
