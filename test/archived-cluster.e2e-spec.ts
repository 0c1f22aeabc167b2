import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createFruit, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';

/** Everything in an archived cluster is read-only: every write on its items and fundings is a 409 that changes nothing. */
describe('an archived cluster', () => {
  let t: TestApp;
  let editor: string;
  let cluster: Record<string, any>;
  let goal: Record<string, any>;
  let activity: Record<string, any>;
  let fruit: Record<string, any>;
  let funder: Record<string, any>;
  let funding: Record<string, any>;

  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t);
    goal = await createGoal(t, cluster.id, { indicator: { unit: 'firms', baseline: 0, target: 10 } });
    activity = await createActivity(t, cluster.id);
    fruit = await createFruit(t, cluster.id);
    funder = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' })).body;
    funding = (
      await t
        .api()
        .post(`/api/v1/funders/${funder.id}/fundings`)
        .send({ clusterId: cluster.id, programme: 'Vinnväxt', amount: 1000, startsOn: '2026-01-01', endsOn: '2026-12-31' })
    ).body;
    editor = (await t.key('editor', { clusterIds: [cluster.id] })).secret;
    expect((await t.api().delete(`/api/v1/clusters/${cluster.id}`)).status).toBe(204);
  });
  afterAll(() => t.close());

  async function unchanged(): Promise<void> {
    for (const [path, before] of [
      [`/api/v1/goals/${goal.id}`, goal],
      [`/api/v1/activities/${activity.id}`, activity],
      [`/api/v1/low-hanging-fruits/${fruit.id}`, fruit],
      [`/api/v1/fundings/${funding.id}`, funding],
    ] as const) {
      const now = await t.api().get(path);
      expect(now.status).toBe(200);
      expect(now.body.version).toBe(before.version);
      expect(now.body.archivedAt).toBeNull();
    }
    const history = await t.dataSource.query(`SELECT count(*)::int AS n FROM status_update WHERE cluster_id = $1`, [cluster.id]);
    expect(history[0].n).toBe(3);
    const measurements = await t.dataSource.query(`SELECT count(*)::int AS n FROM measurement WHERE goal_id = $1`, [goal.id]);
    expect(measurements[0].n).toBe(0);
  }

  type Write = [string, 'patch' | 'post' | 'delete', () => string, Record<string, unknown> | undefined];

  it.each<Write>([
    ['PATCH a goal', 'patch', () => `/api/v1/goals/${goal.id}`, { title: 'Renamed' }],
    ['PATCH an activity', 'patch', () => `/api/v1/activities/${activity.id}`, { title: 'Renamed' }],
    ['PATCH a fruit', 'patch', () => `/api/v1/low-hanging-fruits/${fruit.id}`, { what: 'Renamed' }],
    ['archive a goal', 'delete', () => `/api/v1/goals/${goal.id}`, undefined],
    ['archive an activity', 'delete', () => `/api/v1/activities/${activity.id}`, undefined],
    ['archive a fruit', 'delete', () => `/api/v1/low-hanging-fruits/${fruit.id}`, undefined],
    ['update a goal status', 'post', () => `/api/v1/goals/${goal.id}/status-updates`, { status: 'yellow', comment: 'Slow' }],
    ['update an activity status', 'post', () => `/api/v1/activities/${activity.id}/status-updates`, { status: 'green', state: 'done' }],
    ['update a fruit status', 'post', () => `/api/v1/low-hanging-fruits/${fruit.id}/status-updates`, { status: 'green', state: 'done' }],
    ['record a measurement', 'post', () => `/api/v1/goals/${goal.id}/measurements`, { value: 3, measuredOn: '2026-01-15' }],
    ['PATCH the cluster', 'patch', () => `/api/v1/clusters/${cluster.id}`, { vision: 'New' }],
    ['add a goal', 'post', () => `/api/v1/clusters/${cluster.id}/goals`, { title: 'New', horizon: 'short_term' }],
  ])('an editor may not %s: 409, nothing written', async (_, method, path, body) => {
    const req = t.api(editor)[method](path());
    expectProblem(await (body ? req.send(body) : req), 409);
    await unchanged();
  });

  it.each<Write>([
    ['PATCH its funding', 'patch', () => `/api/v1/fundings/${funding.id}`, { amount: 2000 }],
    ['archive its funding', 'delete', () => `/api/v1/fundings/${funding.id}`, undefined],
    ['add a funding', 'post', () => `/api/v1/funders/${funder.id}/fundings`, undefined],
    ['PATCH a goal', 'patch', () => `/api/v1/goals/${goal.id}`, { title: 'Renamed' }],
  ])('an admin may not %s either: 409, nothing written', async (_, method, path, body) => {
    const req = t.api()[method](path());
    const late = { clusterId: cluster.id, programme: 'Late', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' };
    expectProblem(await (method === 'post' ? req.send(late) : body ? req.send(body) : req), 409);
    await unchanged();
    const fundings = await t.dataSource.query(`SELECT count(*)::int AS n FROM funding WHERE cluster_id = $1`, [cluster.id]);
    expect(fundings[0].n).toBe(1);
  });

  it('stays readable, with its plan, history and fundings', async () => {
    expect((await t.api(editor).get(`/api/v1/clusters/${cluster.id}`)).body.archivedAt).not.toBeNull();
    expect((await t.api(editor).get(`/api/v1/activities/${activity.id}/status-updates`)).status).toBe(200);
    expect((await t.api(editor).get(`/api/v1/goals/${goal.id}/measurements`)).status).toBe(200);
    expect((await t.api().get(`/api/v1/fundings/${funding.id}`)).status).toBe(200);
  });
});
