import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createGoal, createRisk } from './support/factories.js';
import { expectProblem } from './support/problem.js';

describe('risks', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  let goal: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'Framtidens Bioraffinaderi' });
    goal = await createGoal(t, cluster.id, { title: 'Mobilise the key firms' });
  });
  afterAll(() => t.close());

  it('creates a risk with its score, the default state open and a first history entry', async () => {
    const res = await t.api().post(`/api/v1/clusters/${cluster.id}/risks`).send({
      title: 'The key firms lose interest',
      cause: 'No consensus on what the cluster is for',
      response: 'Agree the vision with the inner core first',
      likelihood: 3,
      impact: 5,
      owner: 'Process leader',
      goalId: goal.id,
    });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toEqual({
      id: expect.any(String),
      clusterId: cluster.id,
      title: 'The key firms lose interest',
      cause: 'No consensus on what the cluster is for',
      response: 'Agree the vision with the inner core first',
      likelihood: 3,
      impact: 5,
      score: 15,
      owner: 'Process leader',
      goalId: goal.id,
      state: 'open',
      status: 'green',
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      archivedAt: null,
    });
    const history = await t.api().get(`/api/v1/risks/${res.body.id}/status-updates`);
    expect(history.body.items).toEqual([expect.objectContaining({ status: 'green', state: 'open', comment: null })]);
    const got = await t.api().get(`/api/v1/risks/${res.body.id}`);
    expect(got.body).toEqual(res.body);
    expect((await t.api().get(`/api/v1/risks/${res.body.id}`).set('If-None-Match', '"1"')).status).toBe(304);
  });

  it('refuses likelihood and impact outside 1–5, a missing title, a score sent, and states of other kinds (400 naming the field)', async () => {
    const before = (await t.dataSource.query('SELECT count(*)::int AS n FROM risk'))[0].n;
    const post = (body: Record<string, unknown>) => t.api().post(`/api/v1/clusters/${cluster.id}/risks`).send(body);
    expectProblem(await post({ title: 'R', likelihood: 0, impact: 3 }), 400, 'likelihood');
    expectProblem(await post({ title: 'R', likelihood: 3, impact: 6 }), 400, 'impact');
    expectProblem(await post({ title: 'R', likelihood: 2.5, impact: 3 }), 400, 'likelihood');
    expectProblem(await post({ title: 'R', likelihood: '3', impact: 3 }), 400, 'likelihood');
    expectProblem(await post({ title: 'R', impact: 3 }), 400, 'likelihood');
    expectProblem(await post({ likelihood: 3, impact: 3 }), 400, 'title');
    expectProblem(await post({ title: 'R', likelihood: 3, impact: 3, score: 25 }), 400, 'score');
    expectProblem(await post({ title: 'R', likelihood: 3, impact: 3, state: 'planned' }), 400, 'state');
    expectProblem(await post({ title: 'R', likelihood: 3, impact: 3, status: 'red' }), 422, 'statusComment');
    const other = await createCluster(t);
    expectProblem(await post({ title: 'R', likelihood: 3, impact: 3, goalId: (await createGoal(t, other.id)).id }), 422, 'goalId');
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM risk'))[0].n).toBe(before);

    const risk = await createRisk(t, cluster.id);
    expectProblem(await t.api().patch(`/api/v1/risks/${risk.id}`).send({ likelihood: null }), 400, 'likelihood');
    expectProblem(await t.api().patch(`/api/v1/risks/${risk.id}`).send({ score: 4 }), 400, 'score');
    expectProblem(await t.api().patch(`/api/v1/risks/${risk.id}`).send({ status: 'red' }), 400, 'status');
    expectProblem(await t.api().patch(`/api/v1/risks/${risk.id}`).send({ state: 'done' }), 400, 'state');
    expectProblem(await t.api().post(`/api/v1/risks/${risk.id}/status-updates`).send({ status: 'green', state: 'ongoing' }), 400, 'state');
    expect((await t.api().get(`/api/v1/risks/${risk.id}`)).body.version).toBe(1);
  });

  it('re-scores on a change of likelihood or impact; an identical PATCH writes nothing; If-Match is checked', async () => {
    const risk = await createRisk(t, cluster.id, { likelihood: 2, impact: 2 });
    const changed = await t.api().patch(`/api/v1/risks/${risk.id}`).set('If-Match', '"1"').send({ likelihood: 5 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ likelihood: 5, impact: 2, score: 10, version: 2 });
    expect(changed.headers.etag).toBe('"2"');
    const same = await t.api().patch(`/api/v1/risks/${risk.id}`).send({ likelihood: 5, impact: 2 });
    expect(same.body).toMatchObject({ score: 10, version: 2 });
    expectProblem(await t.api().patch(`/api/v1/risks/${risk.id}`).set('If-Match', '"1"').send({ impact: 4 }), 412);
    const [row] = await t.dataSource.query('SELECT score FROM risk WHERE id = $1', [risk.id]);
    expect(row.score).toBe(10);
    // The score is the database's: a direct write cannot make it disagree.
    await t.dataSource.query('UPDATE risk SET score = 1 WHERE id = $1', [risk.id]);
    expect((await t.api().get(`/api/v1/risks/${risk.id}`)).body.score).toBe(10);
  });

  it('keeps every change of light and state in the history, with its own states', async () => {
    const risk = await createRisk(t, cluster.id);
    const yellow = await t
      .api()
      .post(`/api/v1/risks/${risk.id}/status-updates`)
      .send({ status: 'yellow', comment: 'Two firms skipped the last meeting' });
    expect(yellow.status).toBe(201);
    expect(yellow.body).toMatchObject({ status: 'yellow', state: 'open', version: 2 });
    expectProblem(await t.api().post(`/api/v1/risks/${risk.id}/status-updates`).send({ status: 'red' }), 422, 'comment');
    const mitigated = await t
      .api()
      .post(`/api/v1/risks/${risk.id}/status-updates`)
      .send({ status: 'green', state: 'mitigated', comment: 'Vision agreed with the inner core' });
    expect(mitigated.body).toMatchObject({ status: 'green', state: 'mitigated' });
    const occurred = await t.api().patch(`/api/v1/risks/${risk.id}`).send({ state: 'occurred' });
    expect(occurred.body).toMatchObject({ state: 'occurred', status: 'green' });
    const history = await t.api().get(`/api/v1/risks/${risk.id}/status-updates`);
    expect(history.body.items.map((e: any) => [e.status, e.state])).toEqual([
      ['green', 'occurred'],
      ['green', 'mitigated'],
      ['yellow', 'open'],
      ['green', 'open'],
    ]);
    expect(history.body.items[2]).toMatchObject({ comment: 'Two firms skipped the last meeting', author: expect.any(String) });
  });

  it('lists by score (greatest first) and filters by state, status, minScore and goal', async () => {
    const c = await createCluster(t);
    const g = await createGoal(t, c.id);
    const low = await createRisk(t, c.id, { title: 'Low', likelihood: 1, impact: 2 });
    const high = await createRisk(t, c.id, { title: 'High', likelihood: 4, impact: 5, goalId: g.id });
    const mid = await createRisk(t, c.id, {
      title: 'Mid',
      likelihood: 3,
      impact: 3,
      state: 'mitigated',
      status: 'yellow',
      statusComment: 'Watch it',
    });
    const list = (query: string) => t.api().get(`/api/v1/clusters/${c.id}/risks${query}`);
    expect((await list('')).body.items.map((r: any) => r.title)).toEqual(['High', 'Mid', 'Low']);
    expect((await list('?sort=score')).body.items.map((r: any) => r.title)).toEqual(['Low', 'Mid', 'High']);
    expect((await list('?sort=title')).body.items.map((r: any) => r.title)).toEqual(['High', 'Low', 'Mid']);
    expect((await list('?minScore=9')).body.items.map((r: any) => r.id)).toEqual([high.id, mid.id]);
    expect((await list('?state=mitigated')).body.items.map((r: any) => r.id)).toEqual([mid.id]);
    expect((await list('?status=green')).body).toMatchObject({ total: 2 });
    expect((await list(`?goalId=${g.id}`)).body.items.map((r: any) => r.id)).toEqual([high.id]);
    expect((await list('?q=lo')).body.items.map((r: any) => r.id)).toEqual([low.id]);
    expectProblem(await list('?minScore=26'), 400, 'minScore');
    expectProblem(await list('?minScore='), 400, 'minScore');
    expectProblem(await list('?state=planned'), 400, 'state');
    expectProblem(await list('?sort=dueDate'), 400, 'sort');
    expectProblem(await list('?dueBefore=2026-01-01'), 400, 'dueBefore');
  });

  it('archives (204, again 204): hidden from lists, readable, read-only; editors of other clusters get 404, viewers 403', async () => {
    const c = await createCluster(t);
    const risk = await createRisk(t, c.id);
    const viewer = await t.key('viewer');
    const outsider = await t.key('editor', { clusterIds: [cluster.id] });
    expect((await t.api(viewer.secret).get(`/api/v1/risks/${risk.id}`)).status).toBe(200);
    expectProblem(await t.api(viewer.secret).patch(`/api/v1/risks/${risk.id}`).send({ impact: 1 }), 403);
    expectProblem(await t.api(outsider.secret).get(`/api/v1/risks/${risk.id}`), 404);
    expect((await t.api().delete(`/api/v1/risks/${risk.id}`)).status).toBe(204);
    expect((await t.api().delete(`/api/v1/risks/${risk.id}`)).status).toBe(204);
    expect((await t.api().get(`/api/v1/clusters/${c.id}/risks`)).body.total).toBe(0);
    expect((await t.api().get(`/api/v1/clusters/${c.id}/risks?includeArchived=true`)).body.total).toBe(1);
    expect((await t.api().get(`/api/v1/risks/${risk.id}`)).body.archivedAt).not.toBeNull();
    expectProblem(await t.api().patch(`/api/v1/risks/${risk.id}`).send({ impact: 1 }), 409);
    expectProblem(await t.api().post(`/api/v1/risks/${risk.id}/status-updates`).send({ status: 'green' }), 409);
  });

  it('leaves the activities with their own states (planned … cancelled) and their history as before', async () => {
    const a = await createActivity(t, cluster.id);
    expectProblem(await t.api().post(`/api/v1/activities/${a.id}/status-updates`).send({ status: 'green', state: 'open' }), 400, 'state');
    const done = await t.api().post(`/api/v1/activities/${a.id}/status-updates`).send({ status: 'green', state: 'done' });
    expect(done.body).toMatchObject({ state: 'done', completedAt: expect.any(String) });
  });
});
