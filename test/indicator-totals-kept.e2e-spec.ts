import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { ownStatements } from './support/statements.js';

const RCO01 = '00000000-0000-4000-8000-0000000c0001';
const RCR02 = '00000000-0000-4000-8000-0000000c1002';

/** The statement that adds the totals up (and only it reads measurements). */
const ADDS_UP = /JOIN measurement m ON/;

/**
 * An ended period's totals are kept like complete reports: the first pull adds them up and keeps the bytes, later
 * pulls serve them without adding up; the key holds the clusters the caller may read now.
 */
describe('indicator totals of an ended period, kept', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  const keptRows = async (): Promise<number> => Number((await t.dataSource.query(`SELECT count(*) AS n FROM kept_report`))[0].n);

  it('serves the kept bytes from the second pull on, and never a kept copy holding a cluster the caller lost', async () => {
    const vinnova = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' }).expect(201)).body
      .id as string;
    const a = await createCluster(t, { name: 'Alfa', region: 'Gävleborg' });
    const b = await createCluster(t, { name: 'Beta', region: 'Värmland' });
    const fundings: Record<string, string> = {};
    for (const cluster of [a, b]) {
      const funding = await t
        .api()
        .post(`/api/v1/funders/${vinnova}/fundings`)
        .send({ clusterId: cluster.id, programme: 'P', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' })
        .expect(201);
      fundings[cluster.id as string] = funding.body.id as string;
    }
    const measure = (goalId: string, body: Record<string, unknown>) =>
      t.api().post(`/api/v1/goals/${goalId}/measurements`).send(body).expect(201);
    for (const [cluster, value, orgs] of [
      [a, 100, ['556012-5790', '556016-0680']],
      [b, 20.5, ['556012-5790']],
    ] as const) {
      const sum = await createGoal(t, cluster.id, { indicator: { definitionId: RCR02, baseline: 0, target: 1000 } });
      await measure(sum.id, { measuredOn: '2026-02-01', value });
      const firms = await createGoal(t, cluster.id, { indicator: { definitionId: RCO01, baseline: 0, target: 10 } });
      await measure(firms.id, {
        measuredOn: '2026-02-01',
        organisations: orgs.map((organisationNumber) => ({ organisationNumber, enterpriseSize: 'small' })),
      });
    }
    // A period that ended a moment ago, after everything above was recorded.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const end = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const path = `/api/v1/funders/${vinnova}/indicator-totals?from=2026-01-01&to=${encodeURIComponent(end)}`;
    const funderKey = await t.key('funder', { funderId: vinnova });
    const clustersOf = (body: { items: { clusters: { clusterId: string }[] }[] }) =>
      [...new Set(body.items.flatMap((i) => i.clusters.map((c) => c.clusterId)))].sort();

    // A running period is added up on every pull and never kept.
    const running = await ownStatements(t, () => t.api(funderKey.secret).get(`/api/v1/funders/${vinnova}/indicator-totals?period=2026`));
    expect(running.result.status).toBe(200);
    expect(running.statements.filter((sql) => ADDS_UP.test(sql))).toHaveLength(1);
    expect(running.statements.filter((sql) => /kept_report/.test(sql))).toEqual([]);
    expect(await keptRows()).toBe(0);

    // The first pull of the ended period adds up and keeps; the second serves the kept bytes without adding up.
    const first = await ownStatements(t, () => t.api(funderKey.secret).get(path));
    expect(first.result.status).toBe(200);
    expect(first.result.body).toMatchObject({ complete: true });
    expect(clustersOf(first.result.body)).toEqual([a.id, b.id].sort());
    expect(first.result.body.items.find((i: { definition: { id: string } }) => i.definition.id === RCO01)).toMatchObject({
      total: 2,
      overlap: 1,
    });
    expect(first.statements.filter((sql) => ADDS_UP.test(sql))).toHaveLength(1);
    expect(first.statements.filter((sql) => /INSERT INTO kept_report/.test(sql))).toHaveLength(1);
    expect(await keptRows()).toBe(1);
    const etag = `"${createHash('sha256').update(first.result.text).digest('hex')}"`;
    expect(first.result.headers.etag).toBe(etag);

    const second = await ownStatements(t, () => t.api(funderKey.secret).get(path));
    expect(second.result.status).toBe(200);
    expect(second.result.text).toBe(first.result.text);
    expect(second.result.headers.etag).toBe(etag);
    expect(second.result.headers['content-type']).toMatch(/^application\/json/);
    expect(second.statements.filter((sql) => ADDS_UP.test(sql))).toEqual([]);
    expect(second.statements.at(-1)).toMatch(/FROM kept_report/);
    await t.api(funderKey.secret).get(path).set('If-None-Match', etag).expect(304);

    // An admin key reads the same clusters: the same kept copy.
    const admin = await ownStatements(t, () => t.api().get(path));
    expect(admin.result.text).toBe(first.result.text);
    expect(admin.statements.filter((sql) => ADDS_UP.test(sql))).toEqual([]);

    // The funder's funding of Beta ends now: its key no longer reads Beta, and gets totals without it, added up anew.
    await t
      .api()
      .delete(`/api/v1/fundings/${fundings[b.id as string]}`)
      .expect(204);
    const lost = await ownStatements(t, () => t.api(funderKey.secret).get(path));
    expect(lost.result.status).toBe(200);
    expect(lost.result.text).not.toBe(first.result.text);
    expect(clustersOf(lost.result.body)).toEqual([a.id]);
    expect(lost.result.body.items.find((i: { definition: { id: string } }) => i.definition.id === RCO01)).toMatchObject({
      total: 2,
      overlap: 0,
    });
    expect(lost.statements.filter((sql) => ADDS_UP.test(sql))).toHaveLength(1);
    await t.api(funderKey.secret).get(path).set('If-None-Match', etag).expect(200);
    expect((await t.api(funderKey.secret).get(path).expect(200)).text).toBe(lost.result.text);
    expect(await keptRows()).toBe(2);
    // The admin key still reads Beta, funded as of the end of the period: the first kept copy.
    expect((await t.api().get(path).expect(200)).text).toBe(first.result.text);
  });

  it('keeps a region’s totals too, one copy per region', async () => {
    const c = await createCluster(t, { name: 'Gamma', region: 'Norrbotten' });
    const goal = await createGoal(t, c.id, { indicator: { definitionId: RCR02, baseline: 0, target: 1000 } });
    await t.api().post(`/api/v1/goals/${goal.id}/measurements`).send({ measuredOn: '2026-03-01', value: 7 }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const end = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const viewer = await t.key('viewer');
    const path = `/api/v1/indicator-totals?from=2026-01-01&to=${encodeURIComponent(end)}&region=Norrbotten`;
    const before = await keptRows();
    const first = await ownStatements(t, () => t.api(viewer.secret).get(path));
    expect(first.result.body.items).toMatchObject([{ total: 7, clusters: [{ clusterId: c.id, value: 7 }] }]);
    expect(first.statements.filter((sql) => ADDS_UP.test(sql))).toHaveLength(1);
    const second = await ownStatements(t, () => t.api(viewer.secret).get(path));
    expect(second.result.text).toBe(first.result.text);
    expect(second.statements.filter((sql) => ADDS_UP.test(sql))).toEqual([]);
    const everywhere = await t.api(viewer.secret).get(path.replace('&region=Norrbotten', '')).expect(200);
    expect(everywhere.text).not.toBe(first.result.text);
    expect(await keptRows()).toBe(before + 2);
  });
});
