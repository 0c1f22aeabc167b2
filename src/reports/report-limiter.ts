import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import { DomainError } from '../common/domain-error.js';
import { Environment } from '../config/environment.js';
import type { ReportParts } from './report-document.js';

interface Waiter {
  grant(): void;
}

/**
 * Bounds the reports one instance builds at once (`REPORT_CONCURRENCY`). A
 * large report holds megabytes of rows and text while it is built and
 * written; unbounded, a burst of them fills the memory and starves every other
 * request of the event loop and the database pool. The others wait in order
 * of arrival for up to `REPORT_QUEUE_TIMEOUT_MS`, then get a 503 with
 * `Retry-After`.
 */
@Injectable()
export class ReportLimiter {
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(private readonly env: Environment) {}

  /** Reports being built now. */
  get active(): number {
    return this.running;
  }

  /** Reports waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Runs `build` in a slot, waiting for one if all are taken; the slot is freed however `build` ends. */
  async run<T>(build: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await build();
    } finally {
      this.release();
    }
  }

  /**
   * Runs `build` in a slot and hands back its parts as a stream; the slot is
   * held until the stream closes (written to the end, failed, or abandoned by
   * a client that went away), so that it covers writing as well as building.
   */
  async stream(build: () => Promise<ReportParts>): Promise<Readable> {
    await this.acquire();
    let parts: ReportParts;
    try {
      parts = await build();
    } catch (error) {
      this.release();
      throw error;
    }
    const stream = Readable.from(parts);
    stream.once('close', () => this.release());
    return stream;
  }

  private acquire(): Promise<void> {
    if (this.running < this.env.REPORT_CONCURRENCY) {
      this.running += 1;
      return Promise.resolve();
    }
    const timeout = this.env.REPORT_QUEUE_TIMEOUT_MS;
    const busy = () =>
      DomainError.unavailable(
        `Too many reports are being built at the moment (${this.env.REPORT_CONCURRENCY} at once); retry shortly.`,
        Math.max(1, Math.ceil(timeout / 1000)),
      );
    if (timeout === 0) return Promise.reject(busy());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        reject(busy());
      }, timeout);
      timer.unref();
      this.queue.push(waiter);
    });
  }

  /** Hands the slot straight to the oldest waiter, so that a newcomer cannot overtake the queue. */
  private release(): void {
    const next = this.queue.shift();
    if (next) next.grant();
    else this.running -= 1;
  }
}
