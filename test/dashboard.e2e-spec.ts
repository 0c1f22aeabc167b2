import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createFruit, createGoal, daysFromToday } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { ownStatements } from './support/statements.js';

describe('dashboard and badge', () => {
  let t: TestApp;
  let findit: Record<string, any>;
  let empty: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    findit = await createCluster(t, { name: 'Findit', region: 'Gävleborg', phase: 'mobilisation', publicBadge: true });
    empty = await createCluster(t, { name: 'Empty cluster', region: 'Sörmland', phase: 'initiation' });
    await createGoal(t, findit.id, { status: 'yellow', statusComment: 'Slow' });
    await createGoal(t, findit.id);
    const archived = await createGoal(t, findit.id, { status: 'red', statusComment: 'Gone' });
    await t.api().delete(`/api/v1/goals/${archived.id}`);
    await createActivity(t, findit.id, { dueDate: daysFromToday(-5), status: 'red', statusComment: 'Late' });
    await createActivity(t, findit.id, { dueDate: daysFromToday(-5), state: 'done' });
    await createFruit(t, findit.id, { when: daysFromToday(-1) });
  });
  afterAll(() => t.close());

  it('shows the current lights, overdue counts, worst light and last update of every cluster', async () => {
    const res = await t.api().get('/api/v1/dashboard');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    const [first, second] = res.body.items;
    expect(first).toMatchObject({
      cluster: { id: empty.id, name: 'Empty cluster', region: 'Sörmland', phase: 'initiation' },
      goals: { green: 0, yellow: 0, red: 0 },
      worstStatus: null,
      lastUpdateAt: null,
    });
    expect(second).toMatchObject({
      cluster: { id: findit.id },
      goals: { green: 1, yellow: 1, red: 0 },
      activities: { green: 1, yellow: 0, red: 1 },
      lowHangingFruits: { green: 1, yellow: 0, red: 0 },
      overdue: { activities: 1, lowHangingFruits: 1 },
      worstStatus: 'red',
      lastUpdateAt: expect.any(String),
    });
  });

  it('filters by region and phase, and answers 304 while nothing changed', async () => {
    expect((await t.api().get('/api/v1/dashboard?region=gävleborg')).body.items.map((i: any) => i.cluster.id)).toEqual([findit.id]);
    expect((await t.api().get('/api/v1/dashboard?phase=initiation')).body.items.map((i: any) => i.cluster.id)).toEqual([empty.id]);
    expectProblem(await t.api().get('/api/v1/dashboard?phase=growth'), 400, 'phase');
    const first = await t.api().get('/api/v1/dashboard');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect((await t.api().get('/api/v1/dashboard').set('If-None-Match', etag)).status).toBe(304);
    await createGoal(t, empty.id);
    const changed = await t.api().get('/api/v1/dashboard').set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('makes one statement however many clusters there are', async () => {
    const count = async () => {
      const { result: res, statements } = await ownStatements(t, async () => t.api().get('/api/v1/dashboard'));
      expect(res.status).toBe(200);
      return { statements, clusters: res.body.total as number };
    };
    const few = await count();
    for (let i = 0; i < 10; i++) await createGoal(t, (await createCluster(t)).id);
    const many = await count();
    expect(many.clusters).toBe(few.clusters + 10);
    expect(few.statements).toHaveLength(1);
    expect(many.statements).toHaveLength(1);
  });

  it('shows funders only the clusters they fund, and editors their own', async () => {
    const funder = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' })).body;
    await t
      .api()
      .post(`/api/v1/funders/${funder.id}/fundings`)
      .send({ clusterId: findit.id, programme: 'V', amount: 1, startsOn: '2020-01-01', endsOn: '2020-12-31' });
    const funderKey = (await t.key('funder', { funderId: funder.id })).secret;
    expect((await t.api(funderKey).get('/api/v1/dashboard')).body.items.map((i: any) => i.cluster.id)).toEqual([findit.id]);
    const editor = (await t.key('editor', { clusterIds: [empty.id] })).secret;
    expect((await t.api(editor).get('/api/v1/dashboard')).body.items.map((i: any) => i.cluster.id)).toEqual([empty.id]);
  });

  describe('badge', () => {
    it('is served without a key when the cluster makes it public', async () => {
      const res = await t.api(null).get(`/api/v1/clusters/${findit.id}/badge.svg`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(res.headers['cache-control']).toBe('public, max-age=60');
      const svg = res.text ?? res.body.toString();
      expect(svg).toContain('<title>Findit: 3 green, 1 yellow, 1 red</title>');
      expect((await t.api(null).get(`/api/v1/clusters/${findit.id}/badge.svg`).set('If-None-Match', res.headers.etag)).status).toBe(304);
    });

    it('needs a key that may read the cluster when it is not public', async () => {
      expectProblem(await t.api(null).get(`/api/v1/clusters/${empty.id}/badge.svg`), 401);
      expectProblem(await t.api(null).get('/api/v1/clusters/7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/badge.svg'), 401);
      expect((await t.api().get(`/api/v1/clusters/${empty.id}/badge.svg`)).status).toBe(200);
      const editor = (await t.key('editor', { clusterIds: [findit.id] })).secret;
      expectProblem(await t.api(editor).get(`/api/v1/clusters/${empty.id}/badge.svg`), 404);
      expectProblem(await t.api('sty_unknown_key_000000000000000000000000000000').get(`/api/v1/clusters/${findit.id}/badge.svg`), 401);
    });

    it('escapes the cluster name', async () => {
      const c = await createCluster(t, { name: '<script>alert(1)</script>', publicBadge: true });
      const res = await t.api(null).get(`/api/v1/clusters/${c.id}/badge.svg`);
      const svg = res.text ?? res.body.toString();
      expect(svg).not.toContain('<script>');
      expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });
});
