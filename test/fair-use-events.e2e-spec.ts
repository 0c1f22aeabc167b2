import { WaiterBudget } from '../src/events/waiter-budget.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';

/** Polls `check` every 20 ms until it holds, for at most `ms`. */
async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Fair use of the events feed: long-polls are budgeted per key and per instance. */
describe('GET /events?wait=: the waiter budgets', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', EVENTS_MAX_WAITERS_PER_KEY: '4', EVENTS_MAX_WAITERS: '6' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}/api/v1`;
  });
  afterAll(() => t.close());

  const held = () => t.app.get(WaiterBudget).waiterCount;

  /** A long-poll from the head of the feed, abortable. */
  async function hold(key: string, gone: AbortController): Promise<{ answer: Promise<Response | undefined> }> {
    const head = (await (await fetch(`${base}/events?limit=200`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
      next: string;
    };
    const answer = fetch(`${base}/events?wait=30&after=${head.next}`, {
      headers: { authorization: `Bearer ${key}` },
      signal: gone.signal,
    }).catch(() => undefined);
    return { answer };
  }

  it('holds EVENTS_MAX_WAITERS_PER_KEY per key and refuses the rest at once with 429 and Retry-After, while another key is served', async () => {
    const greedy = (await t.key('viewer', { name: 'greedy' })).secret;
    const other = (await t.key('viewer', { name: 'other' })).secret;
    const gone = new AbortController();
    const heads = await Promise.all([0, 1, 2, 3].map(() => hold(greedy, gone)));
    await until(() => held() === 4);

    const started = Date.now();
    const extra = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${base}/events?wait=30`, { headers: { authorization: `Bearer ${greedy}` } }).then(async (r) => ({
          status: r.status,
          retryAfter: r.headers.get('retry-after'),
          body: (await r.json()) as { detail: string },
        })),
      ),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    for (const r of extra) {
      expect(r.status).toBe(429);
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(30);
      expect(r.body.detail).toContain('EVENTS_MAX_WAITERS_PER_KEY');
    }
    expect(held()).toBe(4);
    // Another key reads and even waits.
    const res = await fetch(`${base}/events?limit=5`, { headers: { authorization: `Bearer ${other}` } });
    expect(res.status).toBe(200);
    // A request without wait from the greedy key is not a waiter: answered.
    expect((await fetch(`${base}/events?limit=5`, { headers: { authorization: `Bearer ${greedy}` } })).status).toBe(200);

    // A client that leaves gives its place back.
    gone.abort();
    await Promise.all(heads.map((h) => h.answer));
    await until(() => held() === 0);
  });

  it('holds EVENTS_MAX_WAITERS per instance and answers 503 with Retry-After beyond it; an event frees them all', async () => {
    const keys = await Promise.all([1, 2, 3].map((i) => t.key('viewer', { name: `waiter ${i}` })));
    const gone = new AbortController();
    const waits = [
      ...(await Promise.all([0, 1, 2, 3].map(() => hold(keys[0].secret, gone)))),
      ...(await Promise.all([0, 1].map(() => hold(keys[1].secret, gone)))),
    ];
    await until(() => held() === 6);
    const started = Date.now();
    const refused = await fetch(`${base}/events?wait=30`, { headers: { authorization: `Bearer ${keys[2].secret}` } });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await refused.json()) as { detail: string }).detail).toContain('EVENTS_MAX_WAITERS');

    await createCluster(t);
    const answered = await Promise.all(waits.map((w) => w.answer));
    for (const r of answered) expect(r?.status).toBe(200);
    await until(() => held() === 0);
    expect((await fetch(`${base}/events?wait=1`, { headers: { authorization: `Bearer ${keys[2].secret}` } })).status).toBe(200);
  });
});
