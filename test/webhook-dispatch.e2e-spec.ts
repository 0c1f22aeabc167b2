import pg from 'pg';
import { WebhookWorker } from '../src/webhooks/webhook-worker.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { ownStatements } from './support/statements.js';

const BACKFILL = 100_000;

/**
 * The dispatcher on a large history (the worker is off: the test passes the feed itself with `dispatch()`).
 * It follows the feed in numeric (xid, position) order on the index, reads no history while no webhook is
 * active, and a webhook gets exactly the events committed after it was made.
 */
describe('webhook dispatch on a large history', () => {
  let t: TestApp;
  let worker: WebhookWorker;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    worker = t.app.get(WebhookWorker);
  });
  afterAll(() => t.close());

  /** Each dispatch() until the feed is passed, with the statements it made. */
  async function dispatchAll(): Promise<string[][]> {
    const windows: string[][] = [];
    for (;;) {
      const { result: more, statements } = await ownStatements(t, () => worker.dispatch());
      windows.push(statements);
      if (!more) return windows;
    }
  }

  const cursor = async () => (await t.dataSource.query<{ c: string }[]>(`SELECT xid || '_' || position AS c FROM webhook_dispatch`))[0].c;

  it('with no active webhook reads no history: it only moves its cursor to the head', async () => {
    const cluster = await createCluster(t);
    await createGoal(t, cluster.id);
    const [{ head }] = await t.dataSource.query<{ head: string }[]>(
      `SELECT xid || '_' || position AS head FROM revision ORDER BY xid DESC, position DESC LIMIT 1`,
    );
    const windows = await dispatchAll();
    expect(windows).toEqual([
      [
        'START TRANSACTION',
        expect.stringMatching(/^SELECT d\.xid::text AS xid, d\.position::text AS position,\s+EXISTS/),
        expect.stringMatching(/^UPDATE webhook_dispatch d SET xid = head\.xid[\s\S]*ORDER BY r\.xid DESC, r\.position DESC LIMIT 1/),
        'COMMIT',
      ],
    ]);
    expect(await cursor()).toBe(head);
  });

  it('a webhook made after a backfill of 100,000 revisions in one transaction gets every later event exactly once', async () => {
    const a = await createCluster(t);
    const b = await createCluster(t);
    const goal = await createGoal(t, a.id);
    // An older webhook, on another cluster: it keeps the dispatcher reading the backfill window by window.
    const older = (
      await t
        .api()
        .post('/api/v1/webhooks')
        .send({ url: 'http://127.0.0.1:9/older', clusterIds: [b.id] })
        .expect(201)
    ).body;
    const [backfill] = await t.dataSource.query<{ xid: string; first: string; last: string }[]>(
      `WITH rows AS (
         INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, recorded_at)
         SELECT pg_current_xact_id()::text::bigint, 'goal', g.id, g.cluster_id, g.version, 'updated', to_jsonb(g), 'Backfill', now()
         FROM goal g CROSS JOIN generate_series(1, ${BACKFILL}) WHERE g.id = $1
         RETURNING xid, position)
       SELECT min(xid)::text AS xid, min(position)::text AS first, max(position)::text AS last FROM rows`,
      [goal.id],
    );
    expect(BigInt(backfill.last) - BigInt(backfill.first) + 1n).toBe(BigInt(BACKFILL));

    // A transaction that began before the webhook and commits after it: its event is the webhook's.
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    let straddling: string;
    let hook: { id: string };
    try {
      await client.query('BEGIN');
      [{ event_id: straddling }] = (
        await client.query<{ event_id: string }>(
          `INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author)
           SELECT pg_current_xact_id()::text::bigint, 'goal', g.id, g.cluster_id, g.version, 'updated', to_jsonb(g), 'Slow writer'
           FROM goal g WHERE g.id = $1 RETURNING event_id`,
          [goal.id],
        )
      ).rows;
      hook = (await t.api().post('/api/v1/webhooks').send({ url: 'http://127.0.0.1:9/new' }).expect(201)).body;
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    const later: string[] = [straddling];
    for (let i = 0; i < 5; i++) {
      const g = await createGoal(t, a.id);
      const [{ event_id }] = await t.dataSource.query<{ event_id: string }[]>(
        `SELECT event_id FROM revision WHERE subject_id = $1 AND kind = 'created'`,
        [g.id],
      );
      later.push(event_id);
    }

    const windows = await dispatchAll();
    // Linear: one window per 200 revisions, each the same few statements; the new webhook reads none of the backfill.
    expect(windows.length).toBeGreaterThanOrEqual(BACKFILL / 200);
    expect(windows.length).toBeLessThanOrEqual(BACKFILL / 200 + 3);
    const passing = [
      'START TRANSACTION',
      expect.stringMatching(/^SELECT d\.xid::text AS xid/),
      expect.stringMatching(/^SELECT r\.xid::text AS xid, r\.position::text AS position FROM revision r/),
      expect.stringMatching(/^SELECT w\.id, w\.types/),
      expect.stringMatching(/^WITH scanned AS/), // the older webhook's read: nothing on its cluster
      expect.stringMatching(/^UPDATE webhook_dispatch SET xid = \$1/),
      'COMMIT',
    ];
    for (const statements of windows.slice(1, -2)) expect(statements).toEqual(passing);

    const delivered = await t.dataSource.query<{ event_id: string; n: string }[]>(
      `SELECT event_id, count(*) AS n FROM webhook_delivery WHERE webhook_id = $1 GROUP BY event_id`,
      [hook.id],
    );
    expect(delivered.map((d) => d.event_id).sort()).toEqual([...later].sort());
    expect(delivered.every((d) => d.n === '1')).toBe(true);
    expect(await t.dataSource.query(`SELECT 1 FROM webhook_delivery WHERE webhook_id = $1`, [older.id])).toEqual([]);

    // Again: nothing new, nothing twice.
    await dispatchAll();
    expect((await t.dataSource.query(`SELECT 1 FROM webhook_delivery WHERE webhook_id = $1`, [hook.id])).length).toBe(later.length);
  });

  it('reads a window on the (xid, position) index, in numeric order, without sorting the history', async () => {
    const { statements } = await ownStatements(t, () => worker.dispatch());
    const window = statements.find((s) => /^SELECT r\.xid::text AS xid, r\.position::text AS position FROM revision r/.test(s));
    expect(window).toBeDefined();
    await t.dataSource.query('ANALYZE revision');
    const [{ 'QUERY PLAN': plan }] = await t.dataSource.query<{ 'QUERY PLAN': unknown }[]>(`EXPLAIN (FORMAT JSON) ${window}`, [
      '0',
      '0',
      200,
    ]);
    const text = JSON.stringify(plan);
    expect(text).toContain('ix_revision__xid_position');
    expect(text).not.toContain('"Node Type":"Sort"');
    // Numeric order: positions 9, 10, 100 come in that order (as text, 10 and 100 would come before 9).
    const rows = await t.dataSource.query<{ xid: string; position: string }[]>(window!, ['0', '0', 200]);
    const keys = rows.map((r) => [BigInt(r.xid), BigInt(r.position)] as const);
    const numeric = [...keys].sort(([x1, p1], [x2, p2]) => (x1 !== x2 ? (x1 < x2 ? -1 : 1) : p1 < p2 ? -1 : p1 > p2 ? 1 : 0));
    expect(keys).toEqual(numeric);
    expect(rows.some((r) => r.position.length !== rows[0].position.length)).toBe(true); // the window crosses a power of ten
  });
});
