import { Injectable } from '@nestjs/common';
import { DomainError } from '../../common/domain-error.js';
import { Environment } from '../../config/environment.js';

/**
 * One workbook at a time per instance. A workbook's sections are read whole before it is written (its sheets are by
 * kind, not by cluster): a ten-year workbook of a 50-cluster funder peaked at 415 MB RSS, and two at once went past a
 * 256 MB instance's heap and stopped it. The next waits its turn, in order of arrival, for up to
 * `REPORT_QUEUE_TIMEOUT_MS`, then gets a 503 with `Retry-After`. Inside a report's own slot (`ReportLimiter`).
 */
@Injectable()
export class WorkbookLimiter {
  /** Settles when the last workbook to have asked is done (or has given up waiting). */
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(private readonly env: Environment) {}

  /** Workbooks being written or waiting to be. */
  get pending(): number {
    return this.queued;
  }

  async run<T>(build: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.tail = previous.then(() => mine);
    this.queued += 1;
    const finish = () => {
      this.queued -= 1;
      done();
    };
    const timeout = this.env.REPORT_QUEUE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'gave up'>((resolve) => {
      timer = setTimeout(() => resolve('gave up'), timeout);
      timer.unref();
    });
    const turn = await Promise.race([previous.then(() => 'turn' as const), gaveUp]);
    clearTimeout(timer);
    if (turn === 'gave up') {
      // The ones after it still wait for the one before it, not for it.
      void previous.then(finish);
      throw DomainError.unavailable(
        'Another workbook is being written on this instance (one at a time); retry shortly, or ask for JSON or CSV.',
        Math.max(1, Math.ceil(timeout / 1000)),
      );
    }
    try {
      return await build();
    } finally {
      finish();
    }
  }
}
