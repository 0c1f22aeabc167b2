import { Injectable, Logger } from '@nestjs/common';
import { durationMs, Environment } from '../config/environment.js';
import { type Resolve, systemResolve } from './address-guard.js';
import { SecretBox } from './secret-box.js';

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
  resolve: Resolve = systemResolve;

  constructor(env: Environment) {
    if (env.WEBHOOK_SECRET_KEY) {
      this.box = SecretBox.fromEnvironment(env.WEBHOOK_SECRET_KEY);
    } else {
      new Logger('Webhooks').warn(
        'WEBHOOK_SECRET_KEY is not set: webhook secrets are encrypted with a development key derived from DATABASE_URL. Set it in production.',
      );
      this.box = SecretBox.forDevelopment(env.DATABASE_URL ?? '');
    }
    this.allowPrivate = env.WEBHOOK_ALLOW_PRIVATE;
    this.retrySchedule = env.WEBHOOK_RETRY_SCHEDULE.split(',').map(durationMs);
    this.disableAfterMs = durationMs(env.WEBHOOK_DISABLE_AFTER);
    this.timeoutMs = env.WEBHOOK_TIMEOUT_MS;
    this.pollMs = env.WEBHOOK_POLL_MS;
    this.worker = env.WEBHOOK_WORKER;
  }

  /** How long a claimed delivery stays with the worker that claimed it: past the timeout, so a live worker keeps it. */
  get leaseMs(): number {
    return this.timeoutMs + 2000;
  }
}
