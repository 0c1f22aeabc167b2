import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ReportLimiter } from '../report-limiter.js';
import { KeptReports, recompress } from './kept-reports.js';

/** Kept reports waiting for their brotli bytes on one instance, at most; beyond, a request is dropped (asked again at the next pull). */
const QUEUE_LIMIT = 16;
/**
 * How often the step looks whether the instance is building a report; how long none must have been built before it
 * starts (reports pulled one after the other are left their CPU); and the longest it waits for that.
 */
const IDLE_POLL_MS = 50;
const QUIET_MS = 1_000;
const IDLE_WAIT_MS = 30_000;

/**
 * Makes the brotli bytes of kept reports off the request path. A first pull keeps a report gzip-compressed fast
 * (`compressParts`) and asks for them here; so does a pull in brotli of a report kept without them (kept by an
 * instance that stopped first, or dropped from a full queue). One report at a time per instance, at most
 * `QUEUE_LIMIT` waiting, each started once no report has been built here for a second (or after 30 s of waiting): its gzip
 * bytes are read from PostgreSQL, decompressed as they are compressed again (brotli quality 5 and gzip level 6,
 * never the whole text), and written back to the row, which every instance then serves.
 */
@Injectable()
export class KeptCompression implements BeforeApplicationShutdown {
  private readonly logger = new Logger(KeptCompression.name);
  private readonly queue = new Map<string, Buffer>();
  private current?: Promise<void>;
  private closed = false;
  /** When a report was last seen being built here (a request comes right after a build or a pull). */
  private busyAt = 0;

  constructor(
    private readonly kept: KeptReports,
    private readonly limiter: ReportLimiter,
  ) {}

  /** Asks for the brotli bytes of the kept report `key` (nothing happens when it has them by then). */
  request(key: Buffer): void {
    const id = key.toString('hex');
    this.busyAt = Date.now();
    if (this.closed || this.queue.has(id) || this.queue.size >= QUEUE_LIMIT) return;
    this.queue.set(id, key);
    this.current ??= this.drain();
  }

  /** Resolves once nothing is waiting or being compressed. */
  async settled(): Promise<void> {
    while (this.current) await this.current;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.queue.clear();
    await this.current;
  }

  private async drain(): Promise<void> {
    try {
      while (!this.closed && this.queue.size > 0) {
        const [id, key] = this.queue.entries().next().value!;
        try {
          await this.idle();
          const row = await this.kept.withoutBrotli(key);
          if (row && !this.closed) await this.kept.addEncodings(key, row.etag, await recompress(row.gzip));
        } catch (error) {
          this.logger.warn(`A kept report's brotli bytes could not be made (${(error as Error).message}); the next pull asks again`);
        } finally {
          this.queue.delete(id);
        }
      }
    } finally {
      // Nothing awaited between the last look at the queue and here: a request meanwhile finds no drain and starts one.
      this.current = undefined;
    }
  }

  /**
   * Waits until this instance has built no report for QUIET_MS (at most IDLE_WAIT_MS): the compression takes CPU
   * that builds need.
   */
  private async idle(): Promise<void> {
    const end = Date.now() + IDLE_WAIT_MS;
    while (!this.closed && Date.now() < end) {
      if (this.limiter.active > 0 || this.limiter.waiting > 0) this.busyAt = Date.now();
      else if (Date.now() - this.busyAt >= QUIET_MS) return;
      await new Promise((r) => setTimeout(r, IDLE_POLL_MS));
    }
  }
}
