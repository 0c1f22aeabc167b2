import type { Environment } from '../../config/environment.js';
import { DomainError } from '../../common/domain-error.js';
import { WorkbookLimiter } from './workbook-limiter.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('one workbook at a time', () => {
  it('writes the next workbook only after the one before it is done, in order of arrival', async () => {
    const limiter = new WorkbookLimiter({ REPORT_QUEUE_TIMEOUT_MS: 10_000 } as Environment);
    const order: string[] = [];
    const first = deferred();
    const a = limiter.run(async () => {
      order.push('a starts');
      await first.promise;
      order.push('a ends');
    });
    const b = limiter.run(() => Promise.resolve(void order.push('b starts')));
    const c = limiter.run(() => Promise.resolve(void order.push('c starts')));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['a starts']);
    expect(limiter.pending).toBe(3);
    first.resolve();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a starts', 'a ends', 'b starts', 'c starts']);
    expect(limiter.pending).toBe(0);
  });

  it('gives up after REPORT_QUEUE_TIMEOUT_MS with a 503, and the ones after it still wait for the one writing', async () => {
    const limiter = new WorkbookLimiter({ REPORT_QUEUE_TIMEOUT_MS: 50 } as Environment);
    const first = deferred();
    let writing = 0;
    let most = 0;
    const write = (until?: Promise<void>) => async () => {
      most = Math.max(most, ++writing);
      await until;
      writing -= 1;
    };
    const a = limiter.run(write(first.promise));
    const b = limiter.run(write());
    await expect(b).rejects.toMatchObject({ status: 503 });
    await expect(b).rejects.toBeInstanceOf(DomainError);
    const c = limiter.run(write());
    first.resolve();
    await Promise.all([a, c]);
    expect(most).toBe(1);
  });
});
