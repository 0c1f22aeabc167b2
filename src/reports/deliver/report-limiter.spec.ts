import { DomainError } from '../../common/domain-error.js';
import { validateEnvironment } from '../../config/environment.js';
import { ReportLimiter } from './report-limiter.js';

/** A report build the test finishes when it wants. */
function held() {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { build: () => done, finish, fail };
}

const settle = () => new Promise((r) => setImmediate(r));

const limiter = (concurrency: number, timeoutMs: number) =>
  new ReportLimiter(validateEnvironment({ REPORT_CONCURRENCY: String(concurrency), REPORT_QUEUE_TIMEOUT_MS: String(timeoutMs) }));

describe('ReportLimiter', () => {
  it('runs work that already holds a slot in that slot, not in a second one', async () => {
    const l = limiter(1, 0);
    const inner = await l.run(() => l.run(() => Promise.resolve(l.active)));
    expect(inner).toBe(1);
    expect(l.active).toBe(0);
  });

  it('builds up to REPORT_CONCURRENCY at once and the rest in order of arrival', async () => {
    const l = limiter(2, 60_000);
    const builds = [held(), held(), held(), held()];
    const started: number[] = [];
    const runs = builds.map((b, i) =>
      l.run(async () => {
        started.push(i);
        await b.build();
        return i;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);
    expect({ active: l.active, waiting: l.waiting }).toEqual({ active: 2, waiting: 2 });

    builds[1].finish();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    expect({ active: l.active, waiting: l.waiting }).toEqual({ active: 2, waiting: 1 });

    builds[0].finish();
    builds[2].finish();
    builds[3].finish();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(started).toEqual([0, 1, 2, 3]);
    expect({ active: l.active, waiting: l.waiting }).toEqual({ active: 0, waiting: 0 });
  });

  it('frees the slot of a build that fails', async () => {
    const l = limiter(1, 60_000);
    const failing = held();
    const first = l.run(failing.build);
    const second = l.run(() => Promise.resolve('second'));
    await settle();
    expect({ active: l.active, waiting: l.waiting }).toEqual({ active: 1, waiting: 1 });
    failing.fail(new Error('boom'));
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe('second');
    expect({ active: l.active, waiting: l.waiting }).toEqual({ active: 0, waiting: 0 });
  });

  it('answers 503 with Retry-After to a report that found no slot in time, which then never runs', async () => {
    const l = limiter(1, 20);
    const holder = held();
    const first = l.run(holder.build);
    let ran = false;
    const error = await l
      .run(() => {
        ran = true;
        return Promise.resolve();
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ status: 503, code: 'service-unavailable', headers: { 'retry-after': '1' } });
    expect({ active: l.active, waiting: l.waiting }).toEqual({ active: 1, waiting: 0 });
    holder.finish();
    await first;
    expect(ran).toBe(false);
    expect({ active: l.active, waiting: l.waiting }).toEqual({ active: 0, waiting: 0 });
  });

  it('with no wait allowed, refuses at once when every slot is taken; with a wait, a freed slot goes to the waiter', async () => {
    const none = limiter(1, 0);
    const holder = held();
    const first = none.run(holder.build);
    await expect(none.run(() => Promise.resolve(1))).rejects.toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
    holder.finish();
    await first;
    await expect(none.run(() => Promise.resolve(2))).resolves.toBe(2);

    const slow = limiter(1, 10_000);
    const holder2 = held();
    const running = slow.run(holder2.build);
    const waiting = slow.run(() => Promise.resolve(3));
    await settle();
    expect(slow.waiting).toBe(1);
    holder2.finish();
    await running;
    await expect(waiting).resolves.toBe(3);
  });

  it('holds the slot of a streamed report until the stream is read to the end or abandoned', async () => {
    const l = limiter(1, 60_000);
    const stream = await l.stream(() => Promise.resolve(['{"a":', '1}']));
    await settle();
    expect(l.active).toBe(1);
    const next = l.stream(() => Promise.resolve(['second']));
    await settle();
    expect({ active: l.active, waiting: l.waiting }).toEqual({ active: 1, waiting: 1 });
    let text = '';
    for await (const part of stream) text += String(part);
    expect(text).toBe('{"a":1}');
    const second = await next;
    expect({ active: l.active, waiting: l.waiting }).toEqual({ active: 1, waiting: 0 });
    second.destroy();
    await new Promise((r) => second.once('close', r));
    await settle();
    expect(l.active).toBe(0);

    await expect(l.stream(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(l.active).toBe(0);
  });

  it('reads the next part of a streamed report only when the reader has taken the bytes before it (REPORT_STREAM_BUFFER_KB)', async () => {
    const l = new ReportLimiter(validateEnvironment({ REPORT_CONCURRENCY: '1', REPORT_STREAM_BUFFER_KB: '256' }));
    let pulled = 0;
    function* parts() {
      for (let i = 0; i < 100; i++) {
        pulled += 1;
        yield 'x'.repeat(100 * 1024);
      }
    }
    const stream = await l.stream(() => Promise.resolve(parts()));
    // Nobody reads: the stream fills its buffer once, and stops asking for parts.
    for (let i = 0; i < 20; i++) await settle();
    expect(pulled).toBeLessThanOrEqual(4);
    expect(stream.readableLength).toBeLessThanOrEqual(256 * 1024 + 64 * 1024);
    // A reader that reads takes it all, in order.
    let bytes = 0;
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
    expect(bytes).toBe(100 * 100 * 1024);
    expect(pulled).toBe(100);
    await settle();
    expect(l.active).toBe(0);
  });
});
