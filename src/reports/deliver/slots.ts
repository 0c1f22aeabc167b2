import { DomainError } from '../../common/domain-error.js';

interface Waiter {
  grant(): void;
}

/**
 * A fixed number of slots, handed out in order of arrival: one that finds them all taken waits up to `timeoutMs`,
 * then gets a 503 with `Retry-After` saying `busy`. What bounds the reports (`ReportLimiter`) and the workbooks
 * (`WorkbookLimiter`) one instance builds at once.
 */
export class Slots {
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly size: number,
    private readonly timeoutMs: number,
    private readonly busy: string,
  ) {}

  /** Slots taken now. */
  get active(): number {
    return this.running;
  }

  /** Waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Runs `work` in a slot, waiting for one if all are taken; the slot is freed however `work` ends. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  acquire(): Promise<void> {
    if (this.running < this.size) {
      this.running += 1;
      return Promise.resolve();
    }
    const refused = () => DomainError.unavailable(this.busy, Math.max(1, Math.ceil(this.timeoutMs / 1000)));
    if (this.timeoutMs === 0) return Promise.reject(refused());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        reject(refused());
      }, this.timeoutMs);
      timer.unref();
      this.queue.push(waiter);
    });
  }

  /** Hands the slot straight to the oldest waiter, so that a newcomer cannot overtake the queue. */
  release(): void {
    const next = this.queue.shift();
    if (next) next.grant();
    else this.running -= 1;
  }
}
