import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { Environment } from '../../config/environment.js';
import type { ReportParts } from '../report-document.js';
import { Slots } from './slots.js';

/** The most one push of a streamed report hands on at a time. */
const SLICE_BYTES = 64 * 1024;

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
  private readonly slots: Slots;
  /** Set while the current work holds a slot taken by `run`. */
  private readonly holding = new AsyncLocalStorage<true>();

  constructor(private readonly env: Environment) {
    this.slots = new Slots(
      env.REPORT_CONCURRENCY,
      env.REPORT_QUEUE_TIMEOUT_MS,
      `Too many reports are being built at the moment (${env.REPORT_CONCURRENCY} at once); retry shortly.`,
    );
  }

  /** Reports being built now. */
  get active(): number {
    return this.slots.active;
  }

  /** Reports waiting for a slot. */
  get waiting(): number {
    return this.slots.waiting;
  }

  /**
   * Runs `build` in a slot, waiting for one if all are taken; the slot is freed however `build` ends. Work that
   * already holds a slot (a route admitted before its transaction opened) runs in that one.
   */
  async run<T>(build: () => Promise<T>): Promise<T> {
    if (this.holding.getStore()) return build();
    return this.slots.run(() => this.holding.run(true, build));
  }

  /**
   * Runs `build` in a slot and hands back its parts as a byte stream that reads the next part only when the
   * client has taken the bytes before it: a reader that stops reading makes this instance hold at most
   * REPORT_STREAM_BUFFER_KB of the report beyond the part being written (sent in slices of 64 KB), not the
   * rest of the report. With `response`, the slot is held until the response is written to its last byte or
   * its client is gone, and a client that takes nothing for REPORT_STALL_TIMEOUT_MS is disconnected, which
   * frees the slot; without, until the stream closes.
   */
  async stream(build: () => Promise<ReportParts>, response?: ServerResponse): Promise<Readable> {
    await this.slots.acquire();
    let parts: ReportParts;
    try {
      parts = await build();
    } catch (error) {
      this.slots.release();
      throw error;
    }
    const iterator = (Symbol.asyncIterator in parts ? parts[Symbol.asyncIterator]() : parts[Symbol.iterator]()) as
      AsyncIterator<string | Buffer> | Iterator<string | Buffer>;
    let rest: Buffer = Buffer.alloc(0);
    let pumping = false;
    let taken = 0;
    const stream = new Readable({
      highWaterMark: this.env.REPORT_STREAM_BUFFER_KB * 1024,
      read: () => {
        taken += 1;
        void pump();
      },
      destroy: (error, callback) => {
        rest = Buffer.alloc(0);
        void Promise.resolve(iterator.return?.()).catch(() => undefined);
        callback(error);
      },
    });
    const pump = async (): Promise<void> => {
      if (pumping) return;
      pumping = true;
      try {
        for (;;) {
          if (rest.length === 0) {
            const next = await iterator.next();
            if (stream.destroyed) return;
            if (next.done) {
              stream.push(null);
              return;
            }
            rest = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
            continue;
          }
          const slice = rest.subarray(0, SLICE_BYTES);
          rest = rest.subarray(SLICE_BYTES);
          if (!stream.push(slice)) return; // the reader is behind: read() asks again when it has caught up
        }
      } catch (error) {
        stream.destroy(error as Error);
      } finally {
        pumping = false;
      }
    };

    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      clearInterval(stall.watch);
      this.slots.release();
    };
    const stall: { watch?: NodeJS.Timeout } = {};
    if (!response) {
      stream.once('close', release);
      return stream;
    }
    response.once('close', release);
    // A stalled client: nothing taken from the stream and nothing written to its socket for REPORT_STALL_TIMEOUT_MS.
    const stallMs = this.env.REPORT_STALL_TIMEOUT_MS;
    const progress = () => `${taken}/${response.socket?.bytesWritten ?? 0}/${response.writableLength}`;
    let last = progress();
    let since = Date.now();
    const watch = setInterval(
      () => {
        const now = progress();
        if (now !== last) {
          last = now;
          since = Date.now();
        } else if (Date.now() - since >= stallMs) {
          response.destroy();
          stream.destroy();
          release();
        }
      },
      Math.max(10, Math.min(1000, Math.floor(stallMs / 4))),
    );
    watch.unref();
    stall.watch = watch;
    return stream;
  }
}
