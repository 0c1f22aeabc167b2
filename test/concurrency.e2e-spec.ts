import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createGoal } from './support/factories.js';

/** Concurrent writers never overwrite each other silently, and the history never disagrees with the items. */
describe('concurrency', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
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
    const states = ['ongoing', 'planned'] as const;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t
          .api()
          .patch(`/api/v1/activities/${a.id}`)
          .send({ state: states[i % 2] }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const [item] = await t.dataSource.query(`SELECT state FROM activity WHERE id = $1`, [a.id]);
    const [newest] = await t.dataSource.query(
      `SELECT state FROM status_update WHERE subject_id = $1 ORDER BY created_at DESC, seq DESC LIMIT 1`,
      [a.id],
    );
    expect(newest.state).toBe(item.state);
  });
});
