import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createGoal } from './support/factories.js';

/** Concurrent writers never overwrite each other silently, and the history never disagrees with the items. */
describe('concurrency', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', MAX_IN_FLIGHT_PER_KEY: '100' }); // 50 requests of one key at once, on purpose
    cluster = await createCluster(t);
  });
  afterAll(() => t.close());

  const historyOf = async (id: string) =>
    t.dataSource.query(`SELECT status, comment FROM status_update WHERE subject_id = $1 ORDER BY created_at DESC, seq DESC`, [id]);

  it('50 concurrent status updates with the same If-Match: exactly one succeeds, the history grows by one', async () => {
    const a = await createActivity(t, cluster.id);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t
          .api()
          .post(`/api/v1/activities/${a.id}/status-updates`)
          .set('If-Match', '"1"')
          .send({ status: 'yellow', comment: `writer ${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(49);
    const history = await historyOf(a.id);
    expect(history).toHaveLength(2);
    const winner = results.findIndex((r) => r.status === 201);
    expect(history[0].comment).toBe(`writer ${winner}`);
  });

  it('50 concurrent status updates without If-Match: all succeed, 50 entries, and the item shows the newest', async () => {
    const g = await createGoal(t, cluster.id);
    const statuses = ['green', 'yellow', 'red'] as const;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t
          .api()
          .post(`/api/v1/goals/${g.id}/status-updates`)
          .send({ status: statuses[i % 3], comment: `update ${i}` }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.version)).size).toBe(50);
    const history = await historyOf(g.id);
    expect(history).toHaveLength(51);
    const [item] = await t.dataSource.query(`SELECT status, version FROM goal WHERE id = $1`, [g.id]);
    expect(item).toEqual({ status: history[0].status, version: 51 });
  });

  it('50 concurrent PATCHes with the same If-Match: exactly one succeeds', async () => {
    const a = await createActivity(t, cluster.id);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t
          .api()
          .patch(`/api/v1/activities/${a.id}`)
          .set('If-Match', '"1"')
          .send({ owner: `owner ${i}` }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(49);
    const [row] = await t.dataSource.query(`SELECT owner, version FROM activity WHERE id = $1`, [a.id]);
    expect(row).toEqual({ owner: results.find((r) => r.status === 200)!.body.owner, version: 2 });
  });

  it('50 concurrent PATCHes of a state without If-Match: every change of state is in the history, in order', async () => {
    const a = await createActivity(t, cluster.id);
    // One key per writer: the history's author tells whose entry it is.
    const writers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => t.key('editor', { clusterIds: [cluster.id], name: `writer ${i}` })),
    );
    const states = ['ongoing', 'planned'] as const;
    const results = await Promise.all(
      writers.map((w, i) =>
        t
          .api(w.secret)
          .patch(`/api/v1/activities/${a.id}`)
          .send({ state: states[i % 2] }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const answered = results.map((r, i) => ({ writer: `writer ${i}`, state: r.body.state as string, version: r.body.version as number }));
    expect(answered.every((w, i) => w.state === states[i % 2])).toBe(true);

    const history: { author: string; state: string }[] = await t.dataSource.query(
      `SELECT author, state FROM status_update WHERE subject_id = $1 ORDER BY created_at, seq`,
      [a.id],
    );
    const [created, ...entries] = history;
    expect(created.state).toBe('planned');
    // Every entry is one writer's, and each writer's at most once.
    const byWriter = new Map(answered.map((w) => [w.writer, w]));
    expect(entries.every((e) => byWriter.has(e.author))).toBe(true);
    expect(new Set(entries.map((e) => e.author)).size).toBe(entries.length);
    expect(entries.length).toBeGreaterThan(0);
    // In the order of the writers' versions, each entry the state that writer set, and a change from the one before.
    const changes = entries.map((e) => ({ ...byWriter.get(e.author)!, entryState: e.state }));
    changes.forEach((c, i) => {
      expect(c.entryState).toBe(c.state);
      expect(c.state).not.toBe(i === 0 ? created.state : changes[i - 1].state);
      if (i > 0) expect(c.version).toBeGreaterThan(changes[i - 1].version);
    });
    // A writer without an entry changed nothing: the state it answered is the one the history had at its version.
    const stateAt = (version: number) => changes.filter((c) => c.version <= version).at(-1)?.state ?? created.state;
    const unrecorded = answered.filter((w) => !entries.some((e) => e.author === w.writer));
    expect(unrecorded.filter((w) => w.state !== stateAt(w.version))).toEqual([]);
    expect(unrecorded.length + changes.length).toBe(50);

    const [item] = await t.dataSource.query(`SELECT state, version FROM activity WHERE id = $1`, [a.id]);
    expect(item).toEqual({ state: changes.at(-1)!.state, version: Math.max(...answered.map((w) => w.version)) });
    process.stdout.write(`concurrency: 50 PATCHes of a state, ${changes.length} changes, all in the history in version order\n`);
  });
});
