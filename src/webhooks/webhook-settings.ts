import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { durationMs, Environment } from '../config/environment.js';
import { type Resolve, systemResolve } from './address-guard.js';
import { parseSecretKey, SecretBox } from './secret-box.js';

/** What webhooks read from the environment, once; `resolve` can be swapped by tests to make a name resolve anywhere. */
@Injectable()
export class WebhookSettings {
  readonly box: SecretBox;
  readonly allowPrivate: boolean;
  readonly retrySchedule: number[];
  readonly disableAfterMs: number;
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly worker: boolean;
  readonly maxPerKey: number;
  resolve: Resolve = systemResolve;

  constructor(env: Environment) {
    // Secrets sealed without a key id when the key was derived from DATABASE_URL still open with that key.
    const legacy = env.DATABASE_URL ? [SecretBox.legacyDevelopmentKey(env.DATABASE_URL)] : [];
    const previous = env.WEBHOOK_SECRET_KEY_PREVIOUS
      ? parseSecretKey(env.WEBHOOK_SECRET_KEY_PREVIOUS, 'WEBHOOK_SECRET_KEY_PREVIOUS')
      : undefined;
    if (env.WEBHOOK_SECRET_KEY) {
      this.box = new SecretBox(parseSecretKey(env.WEBHOOK_SECRET_KEY), previous, legacy);
    } else {
      // Start-up (main.ts) always sets one; an application built without (a script, a test) gets a key for this process only.
      new Logger('Webhooks').warn('WEBHOOK_SECRET_KEY is not set: webhook secrets made now cannot be decrypted after a restart.');
      this.box = new SecretBox(randomBytes(32), previous, legacy);
    }
    this.allowPrivate = env.WEBHOOK_ALLOW_PRIVATE;
    this.retrySchedule = env.WEBHOOK_RETRY_SCHEDULE.split(',').map(durationMs);
    this.disableAfterMs = durationMs(env.WEBHOOK_DISABLE_AFTER);
    this.timeoutMs = env.WEBHOOK_TIMEOUT_MS;
    this.pollMs = env.WEBHOOK_POLL_MS;
    this.worker = env.WEBHOOK_WORKER;
    this.maxPerKey = env.WEBHOOK_MAX_PER_KEY;
  }

  /** How long a claimed delivery stays with the worker that claimed it: past the timeout, so a live worker keeps it. */
  get leaseMs(): number {
    return this.timeoutMs + 2000;
  }
}
