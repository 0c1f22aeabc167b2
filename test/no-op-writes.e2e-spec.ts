import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createFruit, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';

/** A PATCH that changes nothing writes nothing: the version, the ETag, updatedAt and the history stay as they were. */
describe('no-op PATCH', () => {
  let t: TestApp;
  const resources: Record<string, { path: string; same: Record<string, unknown> }> = {};

  beforeAll(async () => {
    t = await startTestApp();
    const cluster = await createCluster(t, { vision: 'A vision', publicBadge: true });
    const goal = await createGoal(t, cluster.id, {
      dueDate: '2027-06-30',
      indicator: { unit: 'firms', baseline: 12, target: 40.5 },
    });
    const activity = await createActivity(t, cluster.id, { dueDate: '2027-01-31', owner: 'Process leader', state: 'ongoing' });
    const fruit = await createFruit(t, cluster.id);
    const funder = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' })).body;
    const funding = (
      await t
        .api()
        .post(`/api/v1/funders/${funder.id}/fundings`)
        .send({ clusterId: cluster.id, programme: 'Vinnväxt', amount: '2000000.00', startsOn: '2026-01-01', endsOn: '2028-12-31' })
    ).body;
    resources.cluster = {
      path: `/api/v1/clusters/${cluster.id}`,
      same: { name: cluster.name, region: cluster.region, phase: cluster.phase, vision: 'A vision', purpose: null, publicBadge: true },
    };
    resources.goal = {
      path: `/api/v1/goals/${goal.id}`,
      same: {
        title: goal.title,
        horizon: 'short_term',
        dueDate: '2027-06-30',
        description: null,
        indicator: { unit: 'firms', baseline: 12.0, target: 40.5 },
      },
    };
    resources.activity = {
      path: `/api/v1/activities/${activity.id}`,
      same: { title: activity.title, owner: 'Process leader', dueDate: '2027-01-31', state: 'ongoing', goalId: null },
    };
    resources.fruit = { path: `/api/v1/low-hanging-fruits/${fruit.id}`, same: { what: fruit.what, when: fruit.when } };
    resources.funder = { path: `/api/v1/funders/${funder.id}`, same: { name: 'Vinnova', kind: 'national_agency' } };
    // 2000000 and "2000000.0" are the same amount as the stored 2000000.00.
    resources.funding = { path: `/api/v1/fundings/${funding.id}`, same: { programme: 'Vinnväxt', amount: 2000000, currency: 'SEK' } };
  });
  afterAll(() => t.close());

  async function historyCount(): Promise<number> {
    const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM status_update`);
    return row.n as number;
  }

  describe.each(['cluster', 'goal', 'activity', 'fruit', 'funder', 'funding'])('%s', (name) => {
    it('{} and the same values again: 200 with the same version, ETag and updatedAt, no history entry', async () => {
      const { path, same } = resources[name];
      const before = await t.api().get(path);
      expect(before.status).toBe(200);
      const entries = await historyCount();
      for (const body of [{}, same, same]) {
        const res = await t.api().patch(path).set('If-Match', before.headers.etag).send(body);
        expect(res.status).toBe(200);
        expect(res.body.version).toBe(before.body.version);
        expect(res.headers.etag).toBe(before.headers.etag);
        expect(res.body.updatedAt).toBe(before.body.updatedAt);
      }
      const after = await t.api().get(path);
      expect(after.body).toEqual(before.body);
      expect(await historyCount()).toBe(entries);
    });

    it('a JSON null body: 400 naming the body, nothing written', async () => {
      const { path } = resources[name];
      const before = await t.api().get(path);
      const res = await t.api().patch(path).set('Content-Type', 'application/json').send('null');
      expectProblem(res, 400, 'body');
      expect((await t.api().get(path)).body.version).toBe(before.body.version);
    });

    it('a real change still raises the version by one', async () => {
      const { path } = resources[name];
      const before = await t.api().get(path);
      const change: Record<string, Record<string, unknown>> = {
        cluster: { purpose: 'Connect firms' },
        goal: { description: 'Changed' },
        activity: { owner: 'Someone else' },
        fruit: { how: 'Differently' },
        funder: { reportingPeriod: 'quarterly' },
        funding: { amount: '2000000.01' },
      };
      const res = await t.api().patch(path).send(change[name]);
      expect(res.status).toBe(200);
      expect(res.body.version).toBe(before.body.version + 1);
    });
  });
});
