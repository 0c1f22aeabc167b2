import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createFruit, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';

describe('status updates and the history', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  let editor: { secret: string; id: string };
  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'HNV' });
    editor = await t.key('editor', { clusterIds: [cluster.id], name: 'Anna, process leader' });
  });
  afterAll(() => t.close());

  const kinds = [
    ['goals', (c: string) => createGoal(t, c)],
    ['activities', (c: string) => createActivity(t, c)],
    ['low-hanging-fruits', (c: string) => createFruit(t, c)],
  ] as const;

  describe.each(kinds)('%s', (path, create) => {
    it('answers 201 with the updated item, a new version and ETag; the author is the calling key', async () => {
      const item = await create(cluster.id);
      const res = await t
        .api(editor.secret)
        .post(`/api/v1/${path}/${item.id}/status-updates`)
        .send({ status: 'yellow', comment: 'Key firms hesitate' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ id: item.id, status: 'yellow', version: 2 });
      expect(res.headers.etag).toBe('"2"');
      const history = await t.api().get(`/api/v1/${path}/${item.id}/status-updates`);
      expect(history.body.items[0]).toMatchObject({
        status: 'yellow',
        comment: 'Key firms hesitate',
        author: 'Anna, process leader',
        authorKeyId: editor.id,
        createdAt: expect.any(String),
      });
    });

    it('needs a comment for yellow and red (422), not for green; never takes an author from the body', async () => {
      const item = await create(cluster.id);
      expectProblem(await t.api().post(`/api/v1/${path}/${item.id}/status-updates`).send({ status: 'red' }), 422, 'comment');
      expectProblem(
        await t.api().post(`/api/v1/${path}/${item.id}/status-updates`).send({ status: 'yellow', comment: '   ' }),
        400, // blank text is malformed whatever the status
        'comment',
      );
      expectProblem(
        await t.api().post(`/api/v1/${path}/${item.id}/status-updates`).send({ status: 'green', author: 'Someone else' }),
        400,
        'author',
      );
      expect((await t.api().post(`/api/v1/${path}/${item.id}/status-updates`).send({ status: 'green' })).status).toBe(201);
      const history = await t.api().get(`/api/v1/${path}/${item.id}/status-updates`);
      expect(history.body.total).toBe(2);
    });

    it('honours If-Match: a stale version is a 412 and changes nothing', async () => {
      const item = await create(cluster.id);
      expectProblem(
        await t.api().post(`/api/v1/${path}/${item.id}/status-updates`).set('If-Match', '"7"').send({ status: 'red', comment: 'x' }),
        412,
      );
      const ok = await t
        .api()
        .post(`/api/v1/${path}/${item.id}/status-updates`)
        .set('If-Match', '"1"')
        .send({ status: 'red', comment: 'x' });
      expect(ok.status).toBe(201);
      expect((await t.api().get(`/api/v1/${path}/${item.id}/status-updates`)).body.total).toBe(2);
    });

    it('lists the history newest first, paginated', async () => {
      const item = await create(cluster.id);
      for (const [status, comment] of [
        ['yellow', 'one'],
        ['red', 'two'],
        ['green', 'three'],
      ]) {
        await t.api().post(`/api/v1/${path}/${item.id}/status-updates`).send({ status, comment });
      }
      const first = await t.api().get(`/api/v1/${path}/${item.id}/status-updates?limit=2`);
      expect(first.body).toMatchObject({ total: 4, limit: 2, offset: 0 });
      expect(first.body.items.map((u: { comment: string }) => u.comment)).toEqual(['three', 'two']);
      const second = await t.api().get(`/api/v1/${path}/${item.id}/status-updates?limit=2&offset=2`);
      expect(second.body.items.map((u: { comment: string | null }) => u.comment)).toEqual(['one', null]);
      expectProblem(await t.api().get(`/api/v1/${path}/${item.id}/status-updates?limit=500`), 400, 'limit');
    });
  });

  it('changes state and status together for activities, and refuses a state for goals', async () => {
    const a = await createActivity(t, cluster.id);
    const res = await t.api().post(`/api/v1/activities/${a.id}/status-updates`).send({ status: 'green', state: 'ongoing' });
    expect(res.body).toMatchObject({ state: 'ongoing', status: 'green' });
    const g = await createGoal(t, cluster.id);
    expectProblem(await t.api().post(`/api/v1/goals/${g.id}/status-updates`).send({ status: 'green', state: 'done' }), 400, 'state');
    expectProblem(await t.api().post(`/api/v1/activities/${a.id}/status-updates`).send({ status: 'green', state: 'paused' }), 400, 'state');
  });

  it('keeps the history append-only: no endpoint edits an entry, and the database refuses to', async () => {
    const g = await createGoal(t, cluster.id);
    const [entry] = (await t.api().get(`/api/v1/goals/${g.id}/status-updates`)).body.items;
    // The history's path has GET and POST only (405 with Allow); an entry has no path at all (404).
    expect(expectProblem(await t.api().delete(`/api/v1/goals/${g.id}/status-updates`), 405)).toMatchObject({ status: 405 });
    expectProblem(await t.api().patch(`/api/v1/goals/${g.id}/status-updates`).send({ comment: 'x' }), 405);
    expectProblem(await t.api().delete(`/api/v1/goals/${g.id}/status-updates/${entry.id}`), 404);
    await expect(t.dataSource.query(`UPDATE status_update SET comment = 'rewritten' WHERE id = $1`, [entry.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.dataSource.query(`DELETE FROM status_update WHERE id = $1`, [entry.id])).rejects.toThrow(/append-only/);
  });

  describe('concurrency', () => {
    it('lets exactly one of 20 parallel status updates with the same If-Match through; the history grows by one', async () => {
      const a = await createActivity(t, cluster.id);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t
            .api()
            .post(`/api/v1/activities/${a.id}/status-updates`)
            .set('If-Match', '"1"')
            .send({ status: 'red', comment: `writer ${i}` }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(19);
      const history = await t.api().get(`/api/v1/activities/${a.id}/status-updates`);
      expect(history.body.total).toBe(2);
      const winner = results.find((r) => r.status === 201)!;
      expect(history.body.items[0].comment).toBe(`writer ${statuses.indexOf(201)}`);
      expect(winner.body.version).toBe(2);
    });

    it('applies all of 20 parallel updates without If-Match, and the current status is the newest entry', async () => {
      const g = await createGoal(t, cluster.id);
      const statuses = ['green', 'yellow', 'red'] as const;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          t
            .api()
            .post(`/api/v1/goals/${g.id}/status-updates`)
            .send({ status: statuses[i % 3], comment: `update ${i}` }),
        ),
      );
      expect(results.every((r) => r.status === 201)).toBe(true);
      const history = await t.api().get(`/api/v1/goals/${g.id}/status-updates?limit=50`);
      expect(history.body.total).toBe(21);
      const current = await t.api().get(`/api/v1/goals/${g.id}`);
      expect(current.body.version).toBe(21);
      expect(current.body.status).toBe(history.body.items[0].status);
      expect(new Set(results.map((r) => r.body.version)).size).toBe(20);
    });
  });

  describe('who may do what', () => {
    let other: Record<string, any>;
    let otherGoal: Record<string, any>;
    let viewer: string;
    let funder: string;
    beforeAll(async () => {
      other = await createCluster(t, { name: 'IGIS' });
      otherGoal = await createGoal(t, other.id);
      viewer = (await t.key('viewer')).secret;
      const [f] = await t.dataSource.query(`INSERT INTO funder (name, kind) VALUES ('RF Gävleborg', 'regional_council') RETURNING id`);
      await t.dataSource.query(
        `INSERT INTO funding (funder_id, cluster_id, programme, amount, starts_on, ends_on) VALUES ($1, $2, 'Regional growth', 500000, '2026-01-01', '2026-12-31')`,
        [f.id, cluster.id],
      );
      funder = (await t.key('funder', { funderId: f.id })).secret;
    });

    it('editors write in their clusters only; another cluster’s items are 404 and nothing is written', async () => {
      const mine = await createGoal(t, cluster.id, {}, editor.secret);
      expect(mine.status).toBe('green');
      const count = async () => (await t.dataSource.query('SELECT count(*)::int AS n FROM status_update'))[0].n;
      const before = await count();
      expectProblem(await t.api(editor.secret).get(`/api/v1/goals/${otherGoal.id}`), 404);
      expectProblem(await t.api(editor.secret).get(`/api/v1/goals/${otherGoal.id}/status-updates`), 404);
      expectProblem(await t.api(editor.secret).post(`/api/v1/goals/${otherGoal.id}/status-updates`).send({ status: 'green' }), 404);
      expectProblem(await t.api(editor.secret).patch(`/api/v1/goals/${otherGoal.id}`).send({ title: 'Mine now' }), 404);
      expectProblem(await t.api(editor.secret).delete(`/api/v1/goals/${otherGoal.id}`), 404);
      expectProblem(await t.api(editor.secret).post(`/api/v1/clusters/${other.id}/goals`).send({ title: 'x', horizon: 'short_term' }), 404);
      expectProblem(await t.api(editor.secret).get(`/api/v1/clusters/${other.id}/activities`), 404);
      expectProblem(
        await t.api(editor.secret).post(`/api/v1/goals/${otherGoal.id}/measurements`).send({ value: 1, measuredOn: '2026-01-01' }),
        404,
      );
      // A body naming another cluster's goal is a 422.
      expectProblem(
        await t.api(editor.secret).post(`/api/v1/clusters/${cluster.id}/activities`).send({ title: 'x', goalId: otherGoal.id }),
        422,
        'goalId',
      );
      expectProblem(
        await t
          .api(editor.secret)
          .post(`/api/v1/clusters/${cluster.id}/goals`)
          .send({ title: 'x', horizon: 'short_term', contributesToGoalId: otherGoal.id }),
        422,
        'contributesToGoalId',
      );
      expect(await count()).toBe(before);
      expect((await t.api().get(`/api/v1/goals/${otherGoal.id}`)).body.version).toBe(1);
    });

    it('viewers read every plan and write nothing (403)', async () => {
      const g = await createGoal(t, cluster.id);
      expect((await t.api(viewer).get(`/api/v1/goals/${otherGoal.id}`)).status).toBe(200);
      expect((await t.api(viewer).get(`/api/v1/clusters/${other.id}/goals`)).body.total).toBeGreaterThan(0);
      expectProblem(await t.api(viewer).post(`/api/v1/goals/${g.id}/status-updates`).send({ status: 'green' }), 403);
      expectProblem(await t.api(viewer).patch(`/api/v1/goals/${g.id}`).send({ title: 'x' }), 403);
      expectProblem(await t.api(viewer).delete(`/api/v1/goals/${g.id}`), 403);
      expectProblem(await t.api(viewer).post(`/api/v1/clusters/${cluster.id}/goals`).send({ title: 'x', horizon: 'short_term' }), 403);
      expectProblem(await t.api(viewer).post(`/api/v1/clusters/${cluster.id}/activities`).send({ title: 'x' }), 403);
      expect((await t.api().get(`/api/v1/goals/${g.id}`)).body.version).toBe(1);
    });

    it('funders read the plans they fund and nothing else, and write nothing', async () => {
      const g = await createGoal(t, cluster.id);
      expect((await t.api(funder).get(`/api/v1/goals/${g.id}`)).status).toBe(200);
      expect((await t.api(funder).get(`/api/v1/goals/${g.id}/status-updates`)).status).toBe(200);
      expectProblem(await t.api(funder).post(`/api/v1/goals/${g.id}/status-updates`).send({ status: 'green' }), 403);
      expectProblem(await t.api(funder).get(`/api/v1/goals/${otherGoal.id}`), 404);
      expectProblem(await t.api(funder).get(`/api/v1/clusters/${other.id}/goals`), 404);
      expectProblem(await t.api(funder).post(`/api/v1/goals/${otherGoal.id}/status-updates`).send({ status: 'green' }), 404);
    });
  });
});
