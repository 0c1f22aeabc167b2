import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** The first format: `1 | iv (12) | tag (16) | ciphertext`, with no key id. */
const UNNAMED = 1;
/** `2 | key id (8) | iv (12) | tag (16) | ciphertext`. */
const NAMED = 2;
const KEY_ID_BYTES = 8;

/** A secret that none of the configured keys opens; the message says why, without anything secret. */
export class UndecryptableSecretError extends Error {}

interface Key {
  /** Which setting holds it, for messages. */
  name: string;
  id: Buffer;
  key: Buffer;
}

/** The key given by a setting (64 hex digits or base64 of 32 bytes). */
export function parseSecretKey(value: string, name = 'WEBHOOK_SECRET_KEY'): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes`);
  return key;
}

/** A key's id: not secret, it only says which key sealed a secret (the first 8 bytes of a hash of the key). */
export function keyId(key: Buffer): Buffer {
  return createHash('sha256').update('styrman webhook secret key id\0').update(key).digest().subarray(0, KEY_ID_BYTES);
}

/**
 * Webhook secrets encrypted at rest with AES-256-GCM, so that a dump of the
 * database holds no secret that can sign; the key lives in the environment
 * (WEBHOOK_SECRET_KEY). Each sealed secret carries the id of the key that
 * sealed it: `2 | key id (8) | iv (12) | tag (16) | ciphertext`. During a
 * rotation WEBHOOK_SECRET_KEY_PREVIOUS opens the secrets the old key sealed.
 * Secrets of the first format (`1 | iv | tag | ciphertext`, no key id) are
 * tried with every key, the development key of old installations last.
 */
export class SecretBox {
  private readonly keys: Key[];

  /**
   * `current` seals; `previous` only opens; `legacy` (keys of old installations, such as the one once derived from
   * DATABASE_URL) only opens secrets of the first format.
   */
  constructor(
    current: Buffer,
    previous?: Buffer,
    private readonly legacy: Buffer[] = [],
  ) {
    this.keys = [{ name: 'WEBHOOK_SECRET_KEY', id: keyId(current), key: current }];
    if (previous) this.keys.push({ name: 'WEBHOOK_SECRET_KEY_PREVIOUS', id: keyId(previous), key: previous });
  }

  /** The key that once encrypted secrets when WEBHOOK_SECRET_KEY was unset: derived from the database URL. */
  static legacyDevelopmentKey(databaseUrl: string): Buffer {
    return createHash('sha256').update(`styrman development webhook key\0${databaseUrl}`).digest();
  }

  /** The first bytes of every secret sealed now (its format and the key id): a secret that starts otherwise is sealed with another key. */
  get currentPrefix(): Buffer {
    return Buffer.concat([Buffer.from([NAMED]), this.keys[0].id]);
  }

  seal(plain: string): Buffer {
    const [current] = this.keys;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', current.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([NAMED]), current.id, iv, cipher.getAuthTag(), body]);
  }

  /** The secret; an UndecryptableSecretError saying which key is missing when none opens it. */
  open(sealed: Buffer): string {
    if (sealed[0] === NAMED) {
      const id = sealed.subarray(1, 1 + KEY_ID_BYTES);
      const key = this.keys.find((k) => k.id.equals(id));
      if (!key) {
        throw new UndecryptableSecretError(
          `The webhook secret was encrypted with a key (id ${id.toString('hex')}) that is neither WEBHOOK_SECRET_KEY ` +
            `(id ${this.keys[0].id.toString('hex')}) nor WEBHOOK_SECRET_KEY_PREVIOUS; make a new secret with POST /webhooks/{id}/secret.`,
        );
      }
      const plain = decrypt(key.key, sealed.subarray(1 + KEY_ID_BYTES));
      if (plain === null) throw new UndecryptableSecretError(`The webhook secret does not decrypt with ${key.name} (it is damaged).`);
      return plain;
    }
    if (sealed[0] === UNNAMED) {
      for (const key of [...this.keys.map((k) => k.key), ...this.legacy]) {
        const plain = decrypt(key, sealed.subarray(1));
        if (plain !== null) return plain;
      }
      throw new UndecryptableSecretError(
        'The webhook secret (stored without a key id) decrypts with neither WEBHOOK_SECRET_KEY nor WEBHOOK_SECRET_KEY_PREVIOUS; ' +
          'make a new secret with POST /webhooks/{id}/secret.',
      );
    }
    throw new UndecryptableSecretError(`The webhook secret has an unknown format (${sealed[0]}).`);
  }
}

/** `iv (12) | tag (16) | ciphertext` opened with `key`, or null when it does not authenticate. */
function decrypt(key: Buffer, rest: Buffer): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, rest.subarray(0, 12));
    decipher.setAuthTag(rest.subarray(12, 28));
    return Buffer.concat([decipher.update(rest.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** A new signing secret in the Standard Webhooks form: `whsec_` and base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
