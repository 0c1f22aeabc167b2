import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 1;

/**
 * Webhook secrets encrypted at rest with AES-256-GCM: stored as
 * `version (1 byte) | iv (12) | tag (16) | ciphertext`, so a dump of the
 * database holds no secret that can sign; the key lives in the environment.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** The key from WEBHOOK_SECRET_KEY (64 hex digits or base64 of 32 bytes). */
  static fromEnvironment(value: string): SecretBox {
    const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
    if (key.length !== 32) throw new Error('WEBHOOK_SECRET_KEY must be 32 bytes');
    return new SecretBox(key);
  }

  /**
   * A development key when none is configured: derived from the database URL, so that one database keeps
   * working across restarts. Not a secret to anyone who knows the URL; production sets WEBHOOK_SECRET_KEY.
   */
  static forDevelopment(databaseUrl: string): SecretBox {
    return new SecretBox(createHash('sha256').update(`styrman development webhook key\0${databaseUrl}`).digest());
  }

  seal(plain: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Buffer): string {
    if (sealed[0] !== VERSION) throw new Error('Unknown webhook secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(1, 13));
    decipher.setAuthTag(sealed.subarray(13, 29));
    return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
  }
}

/** A new signing secret in the Standard Webhooks form: `whsec_` and base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
