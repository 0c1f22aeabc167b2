import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';

describe('funders and fundings', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  let vinnova: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'Findit' });
    vinnova = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency', reportingPeriod: 'half_yearly' }))
      .body;
  });
  afterAll(() => t.close());

  it('registers funders with a default reporting period and changes them with If-Match', async () => {
    const res = await t.api().post('/api/v1/funders').send({ name: 'Landstinget Västernorrland', kind: 'county_council' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Landstinget Västernorrland', kind: 'county_council', reportingPeriod: 'yearly', version: 1 });
    const changed = await t.api().patch(`/api/v1/funders/${res.body.id}`).set('If-Match', '"1"').send({ reportingPeriod: 'quarterly' });
    expect(changed.body).toMatchObject({ reportingPeriod: 'quarterly', version: 2 });
    expectProblem(await t.api().patch(`/api/v1/funders/${res.body.id}`).set('If-Match', '"1"').send({ name: 'x' }), 412);
    expectProblem(await t.api().post('/api/v1/funders').send({ name: 'X', kind: 'bank' }), 400, 'kind');
    expectProblem(
      await t.api().post('/api/v1/funders').send({ name: 'X', kind: 'private', reportingPeriod: 'monthly' }),
      400,
      'reportingPeriod',
    );
    const list = await t.api().get('/api/v1/funders?kind=county_council');
    expect(list.body.items.map((f: { name: string }) => f.name)).toEqual(['Landstinget Västernorrland']);
  });

  it('keeps amounts exact: numbers and decimal strings in, a decimal string out, never a float', async () => {
    const post = (amount: unknown) =>
      t
        .api()
        .post(`/api/v1/funders/${vinnova.id}/fundings`)
        .send({ clusterId: cluster.id, programme: 'Vinnväxt', amount, startsOn: '2026-01-01', endsOn: '2028-12-31' });
    expect((await post(2000000)).body).toMatchObject({ amount: '2000000.00', currency: 'SEK' });
    expect((await post('1234.5')).body.amount).toBe('1234.50');
    expect((await post(0.1)).body.amount).toBe('0.10');
    expect((await post('9999999999999.99')).body.amount).toBe('9999999999999.99');
    for (const bad of [1.005, '12.345', -5, '-1', '1e6', 'ten', null, true, Number.MAX_VALUE])
      expectProblem(await post(bad), 400, 'amount');
  });

  it('checks dates, currency and the cluster', async () => {
    const base = { clusterId: cluster.id, programme: 'P', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' };
    const post = (fields: object) =>
      t
        .api()
        .post(`/api/v1/funders/${vinnova.id}/fundings`)
        .send({ ...base, ...fields });
    expectProblem(await post({ startsOn: '2027-01-01' }), 422, 'endsOn');
    expectProblem(await post({ currency: 'kronor' }), 400, 'currency');
    expectProblem(await post({ clusterId: '7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' }), 422, 'clusterId');
    expect((await post({ currency: 'EUR' })).body.currency).toBe('EUR');
    const f = (await post({})).body;
    expectProblem(await t.api().patch(`/api/v1/fundings/${f.id}`).send({ endsOn: '2025-01-01' }), 422, 'endsOn');
    expect((await t.api().patch(`/api/v1/fundings/${f.id}`).send({ amount: '500.25' })).body).toMatchObject({
      amount: '500.25',
      version: 2,
    });
    expect((await t.api().delete(`/api/v1/fundings/${f.id}`)).status).toBe(204);
    expect((await t.api().delete(`/api/v1/fundings/${f.id}`)).status).toBe(204);
    expect((await t.api().get(`/api/v1/fundings/${f.id}`)).body.archivedAt).toEqual(expect.any(String));
    const listed = await t.api().get(`/api/v1/funders/${vinnova.id}/fundings?limit=200`);
    expect(listed.body.items.map((x: { id: string }) => x.id)).not.toContain(f.id);
  });

  it('shows on a cluster who funds it', async () => {
    const c = await createCluster(t);
    await t
      .api()
      .post(`/api/v1/funders/${vinnova.id}/fundings`)
      .send({ clusterId: c.id, programme: 'Vinnväxt', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' });
    const got = await t.api().get(`/api/v1/clusters/${c.id}`);
    expect(got.body.fundedBy).toEqual([{ funderId: vinnova.id, name: 'Vinnova', kind: 'national_agency' }]);
    const list = await t.api().get(`/api/v1/clusters?q=${encodeURIComponent(c.name)}`);
    expect(list.body.items[0].fundedBy).toHaveLength(1);
  });

  it('lets a funder key read its own record and fundings only; only admins write', async () => {
    const rf = (await t.api().post('/api/v1/funders').send({ name: 'RF Sörmland', kind: 'regional_council' })).body;
    const rfCluster = await createCluster(t);
    const rfFunding = (
      await t
        .api()
        .post(`/api/v1/funders/${rf.id}/fundings`)
        .send({ clusterId: rfCluster.id, programme: 'Regional', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' })
    ).body;
    const key = (await t.key('funder', { funderId: rf.id })).secret;
    expect((await t.api(key).get(`/api/v1/funders/${rf.id}`)).status).toBe(200);
    expect((await t.api(key).get('/api/v1/funders')).body.items.map((f: { id: string }) => f.id)).toEqual([rf.id]);
    expect((await t.api(key).get(`/api/v1/funders/${rf.id}/fundings`)).body.total).toBe(1);
    expect((await t.api(key).get(`/api/v1/fundings/${rfFunding.id}`)).status).toBe(200);
    expectProblem(await t.api(key).get(`/api/v1/funders/${vinnova.id}`), 404);
    expectProblem(await t.api(key).get(`/api/v1/funders/${vinnova.id}/fundings`), 404);
    expectProblem(await t.api(key).patch(`/api/v1/funders/${rf.id}`).send({ name: 'x' }), 403);
    expectProblem(await t.api(key).post('/api/v1/funders').send({ name: 'x', kind: 'private' }), 403);
    expectProblem(
      await t
        .api(key)
        .post(`/api/v1/funders/${rf.id}/fundings`)
        .send({ clusterId: rfCluster.id, programme: 'P', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' }),
      403,
    );
    expectProblem(await t.api(key).patch(`/api/v1/fundings/${rfFunding.id}`).send({ amount: 2 }), 403);
    expectProblem(await t.api(key).delete(`/api/v1/fundings/${rfFunding.id}`), 403);

    const editor = (await t.key('editor', { clusterIds: [rfCluster.id] })).secret;
    expect((await t.api(editor).get('/api/v1/funders')).body.items.map((f: { id: string }) => f.id)).toEqual([rf.id]);
    expectProblem(await t.api(editor).get(`/api/v1/funders/${vinnova.id}`), 404);
    const viewer = (await t.key('viewer')).secret;
    expect((await t.api(viewer).get('/api/v1/funders')).body.total).toBeGreaterThanOrEqual(2);
    expectProblem(await t.api(viewer).patch(`/api/v1/funders/${rf.id}`).send({ name: 'x' }), 403);
  });
});
