import { Injectable } from '@nestjs/common';
import { Environment } from '../../config/environment.js';
import { Slots } from './slots.js';

/** Workbooks one instance writes at once. */
const WORKBOOKS_AT_ONCE = 1;

/**
 * One workbook at a time per instance. A workbook's sections are read whole before it is written (its sheets are by
 * kind, not by cluster): a ten-year workbook of a 50-cluster funder peaked at 415 MB RSS, and two at once went past a
 * 256 MB instance's heap and stopped it. The next waits its turn, in order of arrival, for up to
 * `REPORT_QUEUE_TIMEOUT_MS`, then gets a 503 with `Retry-After`. Inside a report's own slot (`ReportLimiter`).
 */
@Injectable()
export class WorkbookLimiter {
  private readonly slots: Slots;

  constructor(env: Environment) {
    this.slots = new Slots(
      WORKBOOKS_AT_ONCE,
      env.REPORT_QUEUE_TIMEOUT_MS,
      'Another workbook is being written on this instance (one at a time); retry shortly, or ask for JSON or CSV.',
    );
  }

  /** Workbooks being written or waiting to be. */
  get pending(): number {
    return this.slots.active + this.slots.waiting;
  }

  run<T>(build: () => Promise<T>): Promise<T> {
    return this.slots.run(build);
  }
}
