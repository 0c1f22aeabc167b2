import { startTestApp, type TestApp } from './support/app.js';
import { createActor, createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';

describe('actors', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'The Paper Province' });
  });
  afterAll(() => t.close());

  const history = (actorId: string) =>
    t.dataSource.query<{ kind: string; core: string; engagement: string; archived: boolean }[]>(
      'SELECT kind, core, engagement, archived FROM actor_engagement WHERE actor_id = $1 ORDER BY seq',
      [actorId],
    );

  it('adds an organisation with engagement identified by default, and keeps it in its history', async () => {
    const res = await t
      .api()
      .post(`/api/v1/clusters/${cluster.id}/actors`)
      .send({ name: 'Karlstads universitet', kind: 'academia', core: 'inner', role: 'Research partner' });
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toEqual({
      id: expect.any(String),
      clusterId: cluster.id,
      name: 'Karlstads universitet',
      kind: 'academia',
      core: 'inner',
      engagement: 'identified',
      role: 'Research partner',
      organisationNumber: null,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      archivedAt: null,
    });
    expect((await t.api().get(`/api/v1/actors/${res.body.id}`)).body).toEqual(res.body);
    expect(res.body).not.toHaveProperty('status');
    expect(await history(res.body.id)).toEqual([{ kind: 'academia', core: 'inner', engagement: 'identified', archived: false }]);
  });

  it('refuses a missing or unknown kind, core or engagement, and fields it does not have (400 naming the field), writing nothing', async () => {
    const post = (body: Record<string, unknown>) => t.api().post(`/api/v1/clusters/${cluster.id}/actors`).send(body);
    const before = (await t.dataSource.query('SELECT count(*)::int AS n FROM actor'))[0].n;
    expectProblem(await post({ kind: 'company', core: 'inner' }), 400, 'name');
    expectProblem(await post({ name: 'A', core: 'inner' }), 400, 'kind');
    expectProblem(await post({ name: 'A', kind: 'person', core: 'inner' }), 400, 'kind');
    expectProblem(await post({ name: 'A', kind: 'company', core: 'middle' }), 400, 'core');
    expectProblem(await post({ name: 'A', kind: 'company', core: 'inner', engagement: 'married' }), 400, 'engagement');
    expectProblem(await post({ name: 'A', kind: 'company', core: 'inner', engagement: null }), 400, 'engagement');
    expectProblem(await post({ name: 'A', kind: 'company', core: 'inner', status: 'green' }), 400, 'status');
    expectProblem(await post({ name: 'A', kind: 'company', core: 'inner', email: 'anna@example.com' }), 400, 'email');
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM actor'))[0].n).toBe(before);
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM actor_engagement'))[0].n).toBe(before);
  });

  it('moves up the engagement ladder: each change of kind, core or engagement is kept; other changes and no-ops are not', async () => {
    const actor = await createActor(t, cluster.id, { name: 'Stora Enso', kind: 'company', core: 'outer' });
    const contacted = await t.api().patch(`/api/v1/actors/${actor.id}`).set('If-Match', '"1"').send({ engagement: 'contacted' });
    expect(contacted.body).toMatchObject({ engagement: 'contacted', version: 2 });
    expect((await t.api().patch(`/api/v1/actors/${actor.id}`).send({ engagement: 'contacted' })).body.version).toBe(2);
    expect((await t.api().patch(`/api/v1/actors/${actor.id}`).send({})).body.version).toBe(2);
    expect((await t.api().patch(`/api/v1/actors/${actor.id}`).send({ role: 'Hosts the test bed' })).body.version).toBe(3);
    expectProblem(await t.api().patch(`/api/v1/actors/${actor.id}`).set('If-Match', '"1"').send({ core: 'inner' }), 412);
    const inner = await t.api().patch(`/api/v1/actors/${actor.id}`).send({ core: 'inner', engagement: 'committed' });
    expect(inner.body).toMatchObject({ core: 'inner', engagement: 'committed', role: 'Hosts the test bed', version: 4 });
    expect((await t.api().patch(`/api/v1/actors/${actor.id}`).send({ role: null })).body.role).toBeNull();
    expectProblem(await t.api().patch(`/api/v1/actors/${actor.id}`).send({ kind: null }), 400, 'kind');
    expect(await history(actor.id)).toEqual([
      { kind: 'company', core: 'outer', engagement: 'identified', archived: false },
      { kind: 'company', core: 'outer', engagement: 'contacted', archived: false },
      { kind: 'company', core: 'inner', engagement: 'committed', archived: false },
    ]);
    await expect(t.dataSource.query('UPDATE actor_engagement SET engagement = $1', ['identified'])).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query('DELETE FROM actor_engagement')).rejects.toThrow(/append-only/);
  });

  it('lists by name and filters by kind, core, engagement and words in the name', async () => {
    const c = await createCluster(t);
    await createActor(t, c.id, { name: 'Region Värmland', kind: 'public_sector', core: 'outer', engagement: 'engaged' });
    await createActor(t, c.id, { name: 'Billerud', kind: 'company', core: 'inner', engagement: 'committed' });
    await createActor(t, c.id, { name: 'Almi', kind: 'public_sector', core: 'outer' });
    const list = (query: string) => t.api().get(`/api/v1/clusters/${c.id}/actors${query}`);
    expect((await list('')).body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect((await list('')).body.items.map((a: any) => a.name)).toEqual(['Almi', 'Billerud', 'Region Värmland']);
    expect((await list('?sort=-engagement')).body.items.map((a: any) => a.name)).toEqual(['Billerud', 'Region Värmland', 'Almi']);
    expect((await list('?kind=public_sector')).body.total).toBe(2);
    expect((await list('?core=inner')).body.items.map((a: any) => a.name)).toEqual(['Billerud']);
    expect((await list('?engagement=identified')).body.items.map((a: any) => a.name)).toEqual(['Almi']);
    expect((await list('?q=värm')).body.items.map((a: any) => a.name)).toEqual(['Region Värmland']);
    expect((await list('?offset=10')).body).toMatchObject({ items: [], total: 3 });
    expectProblem(await list('?kind=person'), 400, 'kind');
    expectProblem(await list('?sort=score'), 400, 'sort');
  });

  it('archives (204, again 204): hidden from lists, readable, read-only, and recorded; funders read, editors of other clusters do not', async () => {
    const c = await createCluster(t);
    const actor = await createActor(t, c.id);
    const editor = await t.key('editor', { clusterIds: [c.id] });
    const outsider = await t.key('editor', { clusterIds: [cluster.id] });
    const viewer = await t.key('viewer');
    expect((await t.api(editor.secret).patch(`/api/v1/actors/${actor.id}`).send({ engagement: 'engaged' })).status).toBe(200);
    expectProblem(await t.api(outsider.secret).get(`/api/v1/actors/${actor.id}`), 404);
    expectProblem(
      await t.api(outsider.secret).post(`/api/v1/clusters/${c.id}/actors`).send({ name: 'A', kind: 'other', core: 'outer' }),
      404,
    );
    expectProblem(await t.api(viewer.secret).patch(`/api/v1/actors/${actor.id}`).send({ role: 'x' }), 403);
    expectProblem(await t.api(viewer.secret).delete(`/api/v1/actors/${actor.id}`), 403);
    expect((await t.api(editor.secret).delete(`/api/v1/actors/${actor.id}`)).status).toBe(204);
    expect((await t.api(editor.secret).delete(`/api/v1/actors/${actor.id}`)).status).toBe(204);
    expect((await t.api().get(`/api/v1/clusters/${c.id}/actors`)).body.total).toBe(0);
    expect((await t.api().get(`/api/v1/clusters/${c.id}/actors?includeArchived=true`)).body.total).toBe(1);
    expect((await t.api().get(`/api/v1/actors/${actor.id}`)).body).toMatchObject({ archivedAt: expect.any(String), version: 3 });
    expectProblem(await t.api().patch(`/api/v1/actors/${actor.id}`).send({ engagement: 'committed' }), 409);
    expect((await history(actor.id)).map((e) => [e.engagement, e.archived])).toEqual([
      ['identified', false],
      ['engaged', false],
      ['engaged', true],
    ]);
    await t.api().delete(`/api/v1/clusters/${c.id}`);
    expectProblem(await t.api().post(`/api/v1/clusters/${c.id}/actors`).send({ name: 'A', kind: 'other', core: 'outer' }), 409);
  });
});
