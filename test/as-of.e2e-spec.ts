import { startTestApp, type TestApp } from './support/app.js';
import { daysFromToday } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { ownStatements } from './support/statements.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `?asOf=`: every resource by id and every plan list exactly as it was then,
 * compared with the responses captured at that time, ETag included.
 */
describe('reads as of an instant', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  let paths: string[];
  const captured = new Map<string, { body: unknown; etag: string | undefined }>();
  let then: string;

  beforeAll(async () => {
    t = await startTestApp();
    const api = () => t.api();
    const post = async (path: string, body: Record<string, unknown>) => {
      const res = await api().post(path).send(body);
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };
    ids.cluster = await post('/api/v1/clusters', { name: 'Smart Textiles', region: 'Västra Götaland', phase: 'organisation' });
    ids.funder = await post('/api/v1/funders', { name: 'Vinnova', kind: 'national_agency' });
    ids.funding = await post(`/api/v1/funders/${ids.funder}/fundings`, {
      clusterId: ids.cluster,
      programme: 'Vinnväxt',
      amount: 2000000,
      startsOn: '2024-01-01',
      endsOn: '2027-12-31',
    });
    ids.goal = await post(`/api/v1/clusters/${ids.cluster}/goals`, {
      title: 'Circular textiles',
      horizon: 'long_term',
      dueDate: daysFromToday(300),
      indicator: { unit: 'tonnes recycled', baseline: 100, target: 500 },
    });
    ids.subGoal = await post(`/api/v1/clusters/${ids.cluster}/goals`, {
      title: 'Ten pilot firms',
      horizon: 'short_term',
      contributesToGoalId: ids.goal,
    });
    await post(`/api/v1/goals/${ids.goal}/measurements`, { value: 180, measuredOn: daysFromToday(-3) });
    ids.activity = await post(`/api/v1/clusters/${ids.cluster}/activities`, {
      title: 'Sorting pilot',
      goalId: ids.subGoal,
      dueDate: daysFromToday(-1),
    });
    ids.fruit = await post(`/api/v1/clusters/${ids.cluster}/low-hanging-fruits`, { what: 'Shared sorting line', when: daysFromToday(5) });
    expect((await api().post(`/api/v1/activities/${ids.activity}/status-updates`).send({ status: 'yellow', comment: 'Late' })).status).toBe(
      201,
    );

    ids.risk = await post(`/api/v1/clusters/${ids.cluster}/risks`, { title: 'Sorting plant closes', likelihood: 2, impact: 4 });
    ids.actor = await post(`/api/v1/clusters/${ids.cluster}/actors`, { name: 'Borås University', kind: 'academia', core: 'inner' });

    paths = [
      `/api/v1/risks/${ids.risk}`,
      `/api/v1/actors/${ids.actor}`,
      `/api/v1/clusters/${ids.cluster}/risks`,
      `/api/v1/clusters/${ids.cluster}/actors`,
      `/api/v1/clusters/${ids.cluster}`,
      `/api/v1/goals/${ids.goal}`,
      `/api/v1/goals/${ids.subGoal}`,
      `/api/v1/activities/${ids.activity}`,
      `/api/v1/low-hanging-fruits/${ids.fruit}`,
      `/api/v1/funders/${ids.funder}`,
      `/api/v1/fundings/${ids.funding}`,
      `/api/v1/clusters`,
      `/api/v1/clusters/${ids.cluster}/goals`,
      `/api/v1/clusters/${ids.cluster}/activities`,
      `/api/v1/clusters/${ids.cluster}/low-hanging-fruits`,
      `/api/v1/goals/${ids.goal}/measurements`,
      `/api/v1/funders`,
      `/api/v1/funders/${ids.funder}/fundings`,
    ];
    for (const path of paths) {
      const res = await api().get(path);
      expect(res.status).toBe(200);
      captured.set(path, { body: res.body, etag: res.headers.etag });
    }
    await sleep(2);
    then = new Date().toISOString();
    await sleep(2);

    // Later: every kind of write.
    const later = [
      api().patch(`/api/v1/risks/${ids.risk}`).send({ likelihood: 4 }),
      api().patch(`/api/v1/actors/${ids.actor}`).send({ engagement: 'committed' }),
      api().patch(`/api/v1/clusters/${ids.cluster}`).send({ name: 'Smart Textiles Borås', phase: 'formation' }),
      api()
        .patch(`/api/v1/goals/${ids.goal}`)
        .send({ dueDate: daysFromToday(400), indicator: { unit: 'tonnes recycled', baseline: 100, target: 800 } }),
      api().post(`/api/v1/goals/${ids.goal}/status-updates`).send({ status: 'red', comment: 'Plant closed' }),
      api()
        .post(`/api/v1/goals/${ids.goal}/measurements`)
        .send({ value: 250, measuredOn: daysFromToday(-1) }),
      api().patch(`/api/v1/goals/${ids.subGoal}`).send({ contributesToGoalId: null, title: 'Twelve pilot firms' }),
      api()
        .patch(`/api/v1/activities/${ids.activity}`)
        .send({ state: 'done', dueDate: daysFromToday(30) }),
      api().post(`/api/v1/low-hanging-fruits/${ids.fruit}/status-updates`).send({ status: 'green', state: 'ongoing' }),
      api().delete(`/api/v1/low-hanging-fruits/${ids.fruit}`),
      api().patch(`/api/v1/funders/${ids.funder}`).send({ name: 'Vinnova (Sweden’s innovation agency)' }),
      api().patch(`/api/v1/fundings/${ids.funding}`).send({ amount: '2500000.00' }),
      api().delete(`/api/v1/fundings/${ids.funding}`),
      api().post(`/api/v1/clusters/${ids.cluster}/goals`).send({ title: 'Created later', horizon: 'short_term' }),
    ];
    for (const write of later) expect((await write).status).toBeLessThan(300);
  });
  afterAll(() => t.close());

  it('answers every resource and list exactly as captured then, with the ETag it had', async () => {
    for (const path of paths) {
      const now = await t.api().get(path);
      expect(now.body).not.toEqual(captured.get(path)!.body); // every capture was changed by a later write
      const res = await t.api().get(`${path}?asOf=${encodeURIComponent(then)}`);
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 200, body: captured.get(path)!.body });
      expect(res.headers.etag).toBe(captured.get(path)!.etag);
    }
  });

  it('is 404 for a resource that did not exist yet, and leaves it out of lists', async () => {
    const before = '2020-01-01';
    expectProblem(await t.api().get(`/api/v1/goals/${ids.goal}?asOf=${before}`), 404);
    expectProblem(await t.api().get(`/api/v1/clusters/${ids.cluster}?asOf=${before}`), 404);
    const clusters = await t.api().get(`/api/v1/clusters?asOf=${before}`);
    expect(clusters.body).toMatchObject({ items: [], total: 0 });
  });

  it('refuses an asOf in the future or malformed, naming it', async () => {
    expectProblem(await t.api().get(`/api/v1/goals/${ids.goal}?asOf=${daysFromToday(2)}`), 400, 'asOf');
    expectProblem(await t.api().get(`/api/v1/clusters/${ids.cluster}/goals?asOf=yesterday`), 400, 'asOf');
    expectProblem(await t.api().get(`/api/v1/clusters?asOf=`), 400, 'asOf');
  });

  it('decides access as of now', async () => {
    const other = await t.key('editor', {
      clusterIds: [(await t.api().post('/api/v1/clusters').send({ name: 'Other', region: 'X', phase: 'initiation' })).body.id],
    });
    expectProblem(await t.api(other.secret).get(`/api/v1/goals/${ids.goal}?asOf=${encodeURIComponent(then)}`), 404);
    // The funder funded the cluster then; its funding has been archived since: as of then, it reads nothing of it.
    const funder = await t.key('funder', { funderId: ids.funder });
    expectProblem(await t.api(funder.secret).get(`/api/v1/goals/${ids.goal}?asOf=${encodeURIComponent(then)}`), 404);
    expectProblem(await t.api(funder.secret).get(`/api/v1/clusters/${ids.cluster}/plan?asOf=${encodeURIComponent(then)}`), 404);
  });

  it('makes as many statements for a list as of then at 1× and 4× the history', async () => {
    const asOfNow = () => encodeURIComponent(new Date().toISOString());
    const count = async () => {
      const { result, statements } = await ownStatements(t, () => t.api().get(`/api/v1/clusters/${ids.cluster}/goals?asOf=${asOfNow()}`));
      // Two identical failures would count alike: only a list that answered counts.
      expect(result.status).toBe(200);
      expect(result.body.items.length).toBeGreaterThan(0);
      return statements.length;
    };
    const write = async (i: number) =>
      expect(
        (
          await t
            .api()
            .post(`/api/v1/goals/${ids.subGoal}/status-updates`)
            .send({ status: i % 2 ? 'green' : 'yellow', comment: `Week ${i}` })
        ).status,
      ).toBe(201);
    for (let i = 0; i < 10; i++) await write(i);
    const once = await count();
    for (let i = 0; i < 30; i++) await write(i);
    expect(await count()).toBe(once);
  });

  it('makes as many statements for the clusters as of then for 2 clusters as for 20', async () => {
    const count = async () => {
      const { result, statements } = await ownStatements(t, () =>
        t.api().get(`/api/v1/clusters?limit=200&asOf=${encodeURIComponent(new Date().toISOString())}`),
      );
      expect(result.status).toBe(200);
      return { statements: statements.length, clusters: (result.body as { total: number }).total };
    };
    const few = await count();
    for (let i = 0; i < 18; i++) {
      expect(
        (
          await t
            .api()
            .post('/api/v1/clusters')
            .send({ name: `Cluster ${i}`, region: 'Skåne', phase: 'initiation' })
        ).status,
      ).toBe(201);
    }
    const many = await count();
    expect(many.clusters).toBe(few.clusters + 18);
    expect(many.statements).toBe(few.statements);
  });
});
