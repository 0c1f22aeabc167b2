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
