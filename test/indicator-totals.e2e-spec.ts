import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';

const RCO01 = '00000000-0000-4000-8000-0000000c0001';
const RCR02 = '00000000-0000-4000-8000-0000000c1002';
/** Measured before the period: never counted in it. */
const OUTSIDE = '559900-0006';

describe('indicator totals', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  it('adds up a funder’s clusters: organisations once, overlap, sizes, latest sums; only what the key may read', async () => {
    const funder = async (name: string) =>
      (await t.api().post('/api/v1/funders').send({ name, kind: 'national_agency' }).expect(201)).body.id as string;
    const vinnova = await funder('Vinnova');
    const other = await funder('Tillväxtverket');
    const fund = (funderId: string, clusterId: string) =>
      t
        .api()
        .post(`/api/v1/funders/${funderId}/fundings`)
        .send({ clusterId, programme: 'P', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' })
        .expect(201);
    const a = await createCluster(t, { name: 'Alfa', region: 'Gävleborg' });
    const b = await createCluster(t, { name: 'Beta', region: 'Värmland' });
    const c = await createCluster(t, { name: 'Gamma', region: 'Gävleborg' });
    await fund(vinnova, a.id);
    await fund(vinnova, b.id);
    await fund(other, c.id);
    const own = await t
      .api()
      .post('/api/v1/indicator-definitions')
      .send({ code: 'PILOTS', name: 'Pilots', unit: 'pilots', aggregation: 'sum', funderId: other })
      .expect(201);

    const org = (organisationNumber: string, enterpriseSize: string) => ({ organisationNumber, enterpriseSize });
    const measure = (goalId: string, body: Record<string, unknown>) =>
      t.api().post(`/api/v1/goals/${goalId}/measurements`).send(body).expect(201);
    for (const [cluster, orgs] of [
      [a, [org('556012-5790', 'large'), org('556016-0680', 'large'), org('202100-5216', 'small')]],
      [b, [org('556012-5790', 'medium'), org('202100-3054', 'micro')]],
      [c, [org('556012-5790', 'large')]],
    ] as const) {
      const goal = await createGoal(t, cluster.id, { indicator: { definitionId: RCO01, baseline: 0, target: 10 } });
      await measure(goal.id, { measuredOn: '2026-02-01', organisations: orgs });
      // Before the period: not counted.
      await measure(goal.id, { measuredOn: '2025-12-31', organisations: [org(OUTSIDE, 'micro')] });
    }
    const sumA = await createGoal(t, a.id, { indicator: { definitionId: RCR02, baseline: 0, target: 1000 } });
    await measure(sumA.id, { measuredOn: '2026-05-01', value: 100.5 });
    await measure(sumA.id, { measuredOn: '2026-04-01', value: 999 });
    const sumB = await createGoal(t, b.id, { indicator: { definitionId: RCR02, baseline: 0, target: 1000 } });
    await measure(sumB.id, { measuredOn: '2025-11-01', value: 20.25 });
    const pilots = await createGoal(t, c.id, { indicator: { definitionId: own.body.id, baseline: 0, target: 3 } });
    await measure(pilots.id, { measuredOn: '2026-03-01', value: 2 });

    const res = await t.api().get(`/api/v1/funders/${vinnova}/indicator-totals?period=2026`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.etag).toBe(`"${createHash('sha256').update(res.text).digest('hex')}"`);
    expect(res.body).toEqual({
      period: '2026',
      from: '2025-12-31T23:00:00.000Z',
      to: '2026-12-31T22:59:59.999Z',
      complete: false,
      items: [
        {
          definition: { id: RCO01, code: 'RCO01', name: expect.any(String), unit: 'enterprises', aggregation: 'organisations' },
          total: 4,
          byEnterpriseSize: { micro: 1, small: 1, medium: 1, large: 1 },
          overlap: 1,
          clusters: [
            { clusterId: a.id, clusterName: 'Alfa', value: 3 },
            { clusterId: b.id, clusterName: 'Beta', value: 2 },
          ],
        },
        {
          definition: { id: RCR02, code: 'RCR02', name: expect.any(String), unit: 'EUR', aggregation: 'sum' },
          total: 120.75,
          byEnterpriseSize: null,
          overlap: 0,
          clusters: [
            { clusterId: a.id, clusterName: 'Alfa', value: 100.5 },
            { clusterId: b.id, clusterName: 'Beta', value: 20.25 },
          ],
        },
      ],
    });
    await t.api().get(`/api/v1/funders/${vinnova}/indicator-totals?period=2026`).set('If-None-Match', res.headers.etag).expect(304);

    // A funder key: its own funder only; an editor: the clusters it may read.
    const vinnovaKey = await t.key('funder', { funderId: vinnova });
    expect((await t.api(vinnovaKey.secret).get(`/api/v1/funders/${vinnova}/indicator-totals?period=2026`).expect(200)).text).toBe(res.text);
    expectProblem(await t.api(vinnovaKey.secret).get(`/api/v1/funders/${other}/indicator-totals?period=2026`), 404);
    expectProblem(await t.api(vinnovaKey.secret).get('/api/v1/indicator-totals?period=2026'), 403);
    const editorB = await t.key('editor', { clusterIds: [b.id] });
    const seenByB = await t.api(editorB.secret).get(`/api/v1/funders/${vinnova}/indicator-totals?period=2026`).expect(200);
    expect(seenByB.body.items.map((i: { total: number; overlap: number }) => [i.total, i.overlap])).toEqual([
      [2, 0],
      [20.25, 0],
    ]);

    // The other funder's totals hold its own definition; a region's every definition.
    const tva = await t.api().get(`/api/v1/funders/${other}/indicator-totals?period=2026`).expect(200);
    expect(tva.body.items.map((i: { definition: { code: string }; total: number }) => [i.definition.code, i.total])).toEqual([
      ['PILOTS', 2],
      ['RCO01', 1],
    ]);
    const viewer = await t.key('viewer');
    const gavleborg = await t.api(viewer.secret).get('/api/v1/indicator-totals?period=2026&region=G%C3%A4vleborg').expect(200);
    expect(
      gavleborg.body.items.map((i: { definition: { code: string }; total: number; overlap: number }) => [
        i.definition.code,
        i.total,
        i.overlap,
      ]),
    ).toEqual([
      ['PILOTS', 2, 0],
      ['RCO01', 3, 1],
      ['RCR02', 100.5, 0],
    ]);
    const everywhere = await t.api(viewer.secret).get('/api/v1/indicator-totals?from=2026-01-01&to=2026-06-30').expect(200);
    expect(everywhere.body.period).toBeNull();
    // Nothing was recorded by the end of the first half-year: as of then there is nothing to add up.
    expect(everywhere.body).toMatchObject({ complete: true, items: [] });
    const all = await t.api(viewer.secret).get('/api/v1/indicator-totals?period=2026').expect(200);
    expect(all.body.items.find((i: { definition: { code: string } }) => i.definition.code === 'RCO01')).toMatchObject({
      total: 4,
      overlap: 2,
    });

    // Reports carry the same items after their clusters: the funder report its totals, a cluster report the cluster's own.
    const report = await t.api().get(`/api/v1/funders/${vinnova}/report?period=2026`).expect(200);
    expect(report.body.indicatorTotals).toEqual(res.body.items);
    expect(Object.keys(report.body).at(-1)).toBe('indicatorTotals');
    const clusterReport = await t.api().get(`/api/v1/clusters/${b.id}/report?period=2026`).expect(200);
    expect(
      clusterReport.body.indicatorTotals.map((i: { definition: { code: string }; clusters: unknown[] }) => [i.definition.code, i.clusters]),
    ).toEqual([
      ['RCO01', [{ clusterId: b.id, clusterName: 'Beta', value: 2 }]],
      ['RCR02', [{ clusterId: b.id, clusterName: 'Beta', value: 20.25 }]],
    ]);
    const csv = await t.api().get(`/api/v1/funders/${vinnova}/report?period=2026&format=csv`).expect(200);
    expect(csv.text).not.toContain('RCO01');
    const bare = await createCluster(t, { name: 'Delta' });
    const bareReport = await t.api().get(`/api/v1/clusters/${bare.id}/report?period=2026`).expect(200);
    expect(Object.keys(bareReport.body)).not.toContain('indicatorTotals');

    expectProblem(await t.api().get(`/api/v1/funders/${vinnova}/indicator-totals`), 400, 'from');
    expectProblem(await t.api().get(`/api/v1/funders/${vinnova}/indicator-totals?period=2026-Q5`), 400, 'period');
    expectProblem(await t.api().get('/api/v1/indicator-totals?period=2026&format=csv'), 400);
  });
});
