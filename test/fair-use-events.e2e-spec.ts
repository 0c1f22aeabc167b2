import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import type { StatementCountingLogger } from '../src/database/statement-counter.js';
import { ENTITIES } from '../src/entities.js';
import { FeedWaiters } from '../src/events/feed-waiters.js';
import { WaiterBudget } from '../src/events/waiter-budget.js';
import { recordRevision } from '../src/revisions/record.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';

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

/** A new event wakes the waiters through one shared read, not one query per waiter. */
describe('GET /events?wait=: the wake-up', () => {
  let t: TestApp;
  let base: string;
  let writer: DataSource;
  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_PER_MINUTE: '0',
      EVENTS_MAX_WAITERS_PER_KEY: '1000',
      EVENTS_MAX_WAITERS: '1000',
      MAX_IN_FLIGHT_PER_KEY: '1000',
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}/api/v1`;
    // Writes from outside the app, so that what the app's logger counts is the wake-up's work alone.
    writer = new DataSource(dataSourceOptions(t.databaseUrl, ENTITIES, 2));
    await writer.initialize();
  });
  afterAll(async () => {
    await writer.destroy();
    await t.close();
  });

  const waiting = () => t.app.get(FeedWaiters).waiterCount;

  async function touch(goalId: string): Promise<void> {
    await writer.transaction(async (m) => {
      await m.query(`UPDATE goal SET version = version + 1, updated_at = now() WHERE id = $1`, [goalId]);
      await recordRevision(m, 'goal', { id: goalId }, { name: 'writer', keyId: null as unknown as string }, 'updated');
    });
  }

  interface Page {
    items: { id: string; subject: { id: string } }[];
    next: string;
  }

  it('wakes 200 waiters whose filters match nothing with a bounded number of statements; a matching waiter gets its event once', async () => {
    const a = await createCluster(t);
    const b = await createCluster(t);
    const goalA = await createGoal(t, a.id);
    const goalB = await createGoal(t, b.id);
    const viewer = (await t.key('viewer')).secret;
    const editorOfB = (await t.key('editor', { clusterIds: [b.id] })).secret;
    const head = ((await (await fetch(`${base}/events?limit=200`, { headers: { authorization: `Bearer ${t.adminKey}` } })).json()) as Page)
      .next;
    const get = (key: string, query: string, signal?: AbortSignal) =>
      fetch(`${base}/events?after=${head}&${query}`, { headers: { authorization: `Bearer ${key}` }, signal }).then(
        async (r) => (await r.json()) as Page,
      );
    const gone = new AbortController();
    // 150 viewers waiting for cluster B, 50 editors of B (who may not see A): none matches an event in A.
    const others = [
      ...Array.from({ length: 150 }, () => get(viewer, `wait=30&clusterId=${b.id}`, gone.signal)),
      ...Array.from({ length: 50 }, () => get(editorOfB, 'wait=30', gone.signal)),
    ];
    const matching = get(viewer, `wait=30&clusterId=${a.id}`);
    await until(() => waiting() === 201);

    const logger = t.dataSource.logger as StatementCountingLogger;
    const recording = logger.record();
    await touch(goalA.id);
    const page = await matching;
    // Let every wake-up this event caused finish (the LISTEN one and the 200 ms check's).
    await new Promise((r) => setTimeout(r, 600));
    const statements = recording.stop();

    expect(page.items.map((e) => e.subject.id)).toEqual([goalA.id]);
    expect(waiting()).toBe(200);
    // Two wake-ups at most (two shared reads and one visibility check each), the matching waiter's page, the 200 ms
    // checks: a handful, whatever the number of waiters (one page per waiter would be 200 or more).
    expect(statements.length).toBeLessThanOrEqual(20);

    // Exactly once: after its next, nothing more.
    const again = (await (
      await fetch(`${base}/events?after=${page.next}&clusterId=${a.id}&wait=1`, { headers: { authorization: `Bearer ${viewer}` } })
    ).json()) as Page;
    expect(again.items).toEqual([]);

    // The others moved past the batch without losing anything: an event in B reaches every one of them, once.
    await touch(goalB.id);
    const answers = await Promise.all(others);
    for (const answer of answers) expect(answer.items.map((e) => e.subject.id)).toEqual([goalB.id]);
    await until(() => waiting() === 0);
    gone.abort();
  });
});
