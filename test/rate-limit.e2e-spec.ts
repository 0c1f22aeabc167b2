import { WaiterBudget } from '../src/events/waiter-budget.js';
import { startTestApp, type TestApp } from './support/app.js';
import { expectProblem } from './support/problem.js';

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5', AUTH_FAILURES_PER_MINUTE: '3' });
  });
  afterAll(() => t.close());

  it('gives each key a number of requests a minute, says what is left, then answers 429 with Retry-After', async () => {
    const viewer = (await t.key('viewer')).secret;
    const first = await t.api(viewer).get('/api/v1/clusters');
    expect(first.headers).toMatchObject({ 'ratelimit-limit': '5', 'ratelimit-remaining': '4' });
    for (let i = 0; i < 4; i++) expect((await t.api(viewer).get('/api/v1/clusters')).status).toBe(200);
    const refused = await t.api(viewer).get('/api/v1/clusters');
    expectProblem(refused, 429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another key has its own budget.
    expect((await t.api((await t.key('viewer')).secret).get('/api/v1/clusters')).status).toBe(200);
  });

  it('slows down guessing: after a few failed attempts an address gets 429 for every key that is not valid', async () => {
    const windowStarted = Date.now();
    for (let i = 0; i < 3; i++)
      expectProblem(await t.api(`sty_guess_${i}_0000000000000000000000000000000000`).get('/api/v1/clusters'), 401);
    const blocked = await t.api('sty_guess_4_0000000000000000000000000000000000').get('/api/v1/clusters');
    expectProblem(blocked, 429);
    // The rest of the one-minute window that began with the first failure, in whole seconds: 60 unless this took over a second.
    const elapsed = Math.ceil((Date.now() - windowStarted) / 1000);
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(60 - elapsed);
    // Valid keys still pass from the same address; unknown and missing keys keep getting 429.
    expect((await t.api().get('/api/v1/clusters')).status).toBe(200);
    expect((await t.api(null).get('/health')).status).toBe(200);
    expectProblem(await t.api('sty_guess_5_0000000000000000000000000000000000').get('/api/v1/clusters'), 429);
    expectProblem(await t.api(null).get('/api/v1/clusters'), 429);
  });

  it('never refuses a valid key for the failures of others behind the same address, even one not used before', async () => {
    const fresh = (await t.key('viewer')).secret; // never resolved yet: nothing cached about it
    for (let i = 0; i < 5; i++) await t.api(`sty_other_user_${i}_000000000000000000000000000000000`).get('/api/v1/clusters');
    expectProblem(await t.api('sty_other_user_9_000000000000000000000000000000000').get('/api/v1/clusters'), 429);
    const res = await t.api(fresh).get('/api/v1/clusters');
    expect(res.status).toBe(200);
    // The same through X-API-Key.
    const other = (await t.key('viewer')).secret;
    expect((await t.api(null).get('/api/v1/clusters').set('X-API-Key', other)).status).toBe(200);
  });
});

describe('MAX_IN_FLIGHT_PER_KEY: requests of one key in progress at once', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', MAX_IN_FLIGHT_PER_KEY: '3' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}/api/v1`;
  });
  afterAll(async () => {
    // The client's kept-alive connections are not the app's to wait for.
    t.app.getHttpServer().closeAllConnections();
    await t.close();
  });

  const get = (key: string, path: string, signal?: AbortSignal) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` }, signal });

  /** Polls until `path` answers `status` for `key`, for at most 10 s. */
  async function until(key: string, path: string, status: number): Promise<Response> {
    const end = Date.now() + 10_000;
    for (;;) {
      const res = await get(key, path);
      if (res.status === status || Date.now() > end) return res;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Polls until `count` long-polls are held, for at most 10 s. */
  async function held(count: number): Promise<void> {
    const end = Date.now() + 10_000;
    while (t.app.get(WaiterBudget).waiterCount !== count && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(t.app.get(WaiterBudget).waiterCount).toBe(count);
  }

  it('refuses one more request than MAX_IN_FLIGHT_PER_KEY at once with 429 and Retry-After, and counts a request out when it ends or its client leaves', async () => {
    const greedy = (await t.key('viewer', { name: 'greedy' })).secret;
    const other = (await t.key('viewer', { name: 'other' })).secret;
    const head = ((await (await get(greedy, '/events?limit=200')).json()) as { next: string }).next;
    // Finished requests are counted out: many in a row never add up.
    for (let i = 0; i < 10; i++) expect((await get(greedy, '/clusters')).status).toBe(200);

    const leave = [new AbortController(), new AbortController(), new AbortController()];
    const holding = leave.map((c) => get(greedy, `/events?wait=30&after=${head}`, c.signal).catch(() => undefined));
    await held(3);
    const refused = await get(greedy, '/clusters');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { detail: string }).detail).toContain('MAX_IN_FLIGHT_PER_KEY');
    // Another key is not refused.
    expect((await get(other, '/clusters')).status).toBe(200);

    // A client that leaves is counted out at once.
    leave[0].abort();
    expect((await until(greedy, '/clusters', 200)).status).toBe(200);
    leave[1].abort();
    leave[2].abort();
    await Promise.all(holding);
    await held(0);
    // All three gone: three may wait again.
    const again = new AbortController();
    const waits = [0, 1, 2].map(() => get(greedy, `/events?wait=30&after=${head}`, again.signal).catch(() => undefined));
    await held(3);
    expect((await get(greedy, '/clusters')).status).toBe(429);
    again.abort();
    await Promise.all(waits);
    expect((await until(greedy, '/clusters', 200)).status).toBe(200);
  });
});
