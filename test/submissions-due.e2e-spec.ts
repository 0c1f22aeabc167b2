import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { fundedCluster } from './support/submissions.js';

/**
 * What is due: every ended period of the funder's rhythm that overlaps a
 * funding. The years are far enough back (2021–2023) that every period in
 * them has ended, whenever the test runs.
 */
describe('submissions due', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  const periodsOf = (body: { items: { period: string }[] }) => body.items.map((i) => i.period);

  it('quarterly: from the quarter the funding starts in to the quarter it ends in, a funding starting or ending mid-quarter counting', async () => {
    const f = await fundedCluster(t, { reportingPeriod: 'quarterly', startsOn: '2022-05-15', endsOn: '2023-02-10' });
    const res = await t.api().get(`/api/v1/funders/${f.funder.id}/submissions-due`);
    expect(res.status).toBe(200);
    expect(periodsOf(res.body)).toEqual(['2023-Q1', '2022-Q4', '2022-Q3', '2022-Q2']);
    expect(res.body).toMatchObject({ total: 4, limit: 50, offset: 0 });
    expect(res.body.items[3]).toEqual({
      clusterId: f.cluster.id,
      clusterName: f.cluster.name,
      funderId: f.funder.id,
      fundingId: f.funding.id,
      period: '2022-Q2',
      from: '2022-04-01',
      to: '2022-06-30',
      // The funder's reportDueDays (30 by default) after the period's last day.
      dueOn: '2022-07-30',
      state: 'missing',
      submissionId: null,
    });
  });

  it('half-yearly and yearly rhythms, and a funding ending on the last day of a period owing nothing after it', async () => {
    const half = await fundedCluster(t, { reportingPeriod: 'half_yearly', startsOn: '2021-06-30', endsOn: '2022-12-31' });
    expect(periodsOf((await t.api().get(`/api/v1/funders/${half.funder.id}/submissions-due`)).body)).toEqual([
      '2022-H2',
      '2022-H1',
      '2021-H2',
      '2021-H1',
    ]);
    const yearly = await fundedCluster(t, { reportingPeriod: 'yearly', startsOn: '2021-12-31', endsOn: '2023-01-01' });
    expect(periodsOf((await t.api().get(`/api/v1/funders/${yearly.funder.id}/submissions-due`)).body)).toEqual(['2023', '2022', '2021']);
    // The default rhythm is yearly.
    const byDefault = await fundedCluster(t, { startsOn: '2022-03-01', endsOn: '2022-03-31' });
    expect(periodsOf((await t.api().get(`/api/v1/funders/${byDefault.funder.id}/submissions-due`)).body)).toEqual(['2022']);
  });

  it('owes no period that has not ended, and none before the funding starts', async () => {
    const year = new Date().getUTCFullYear();
    const f = await fundedCluster(t, { reportingPeriod: 'yearly', startsOn: `${year}-01-01`, endsOn: `${year + 2}-12-31` });
    expect((await t.api().get(`/api/v1/funders/${f.funder.id}/submissions-due`)).body).toMatchObject({ items: [], total: 0 });
    const q = await fundedCluster(t, { reportingPeriod: 'quarterly', startsOn: `${year + 1}-01-01`, endsOn: `${year + 2}-12-31` });
    expect((await t.api().get(`/api/v1/funders/${q.funder.id}/submissions-due`)).body.total).toBe(0);
  });

  it('shows the state of the newest submission of each period, and filters by state', async () => {
    const f = await fundedCluster(t, { reportingPeriod: 'quarterly', startsOn: '2023-01-01', endsOn: '2023-12-31' });
    const submit = (period: string) =>
      t.api().post(`/api/v1/clusters/${f.cluster.id}/report-submissions`).send({ funderId: f.funder.id, period });
    const q1 = await submit('2023-Q1');
    expect(q1.status).toBe(201);
    await t.api().post(`/api/v1/report-submissions/${q1.body.id}/acknowledge`).send({}).expect(200);
    const q2 = await submit('2023-Q2');
    await t.api().post(`/api/v1/report-submissions/${q2.body.id}/return`).send({ comment: 'Incomplete' }).expect(200);
    const q3 = await submit('2023-Q3');
    // Given as days, Q4 is the same period as "2023-Q4".
    const q4 = await t
      .api()
      .post(`/api/v1/clusters/${f.cluster.id}/report-submissions`)
      .send({ funderId: f.funder.id, from: '2023-10-01', to: '2023-12-31' });
    expect(q4.status).toBe(201);

    const due = await t.api().get(`/api/v1/clusters/${f.cluster.id}/submissions-due`);
    expect(
      due.body.items.map((i: { period: string; state: string; submissionId: string | null }) => [i.period, i.state, i.submissionId]),
    ).toEqual([
      ['2023-Q4', 'submitted', q4.body.id],
      ['2023-Q3', 'submitted', q3.body.id],
      ['2023-Q2', 'returned', q2.body.id],
      ['2023-Q1', 'acknowledged', q1.body.id],
    ]);
    // A new submission after the return is the newest for its period.
    const again = await submit('2023-Q2');
    expect(again.status).toBe(201);
    const returned = await t.api().get(`/api/v1/funders/${f.funder.id}/submissions-due?state=submitted`);
    expect(returned.body.items.map((i: { period: string }) => i.period)).toEqual(['2023-Q4', '2023-Q3', '2023-Q2']);
    expect((await t.api().get(`/api/v1/funders/${f.funder.id}/submissions-due?state=returned`)).body.total).toBe(0);
    const paged = await t.api().get(`/api/v1/clusters/${f.cluster.id}/submissions-due?limit=1&offset=1`);
    expect(paged.body).toMatchObject({ total: 4, limit: 1, offset: 1, items: [{ period: '2023-Q3' }] });
  });

  it('names the cluster as it is called now, in what is due and in the submission lists', async () => {
    const f = await fundedCluster(t, { reportingPeriod: 'yearly', startsOn: '2022-01-01', endsOn: '2023-12-31' });
    const submitted = await t
      .api()
      .post(`/api/v1/clusters/${f.cluster.id}/report-submissions`)
      .send({ funderId: f.funder.id, period: '2022' });
    expect(submitted.status).toBe(201);
    const renamed = `Renamed ${Math.random().toString(36).slice(2, 8)}`;
    await t.api().patch(`/api/v1/clusters/${f.cluster.id}`).send({ name: renamed }).expect(200);

    const due = await t.api().get(`/api/v1/funders/${f.funder.id}/submissions-due`);
    expect(due.body.items.map((i: { period: string; clusterName: string }) => [i.period, i.clusterName])).toEqual([
      ['2023', renamed],
      ['2022', renamed],
    ]);
    for (const path of [`/api/v1/funders/${f.funder.id}/report-submissions`, `/api/v1/clusters/${f.cluster.id}/report-submissions`]) {
      const list = await t.api().get(path);
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([expect.objectContaining({ id: submitted.body.id, clusterId: f.cluster.id, clusterName: renamed })]);
    }
  });

  it('gives a submission its period as calendar days in REPORT_TIME_ZONE (fromDate, toDate) beside the instants', async () => {
    const f = await fundedCluster(t, { reportingPeriod: 'half_yearly', startsOn: '2022-01-01', endsOn: '2022-12-31' });
    const submitted = await t
      .api()
      .post(`/api/v1/clusters/${f.cluster.id}/report-submissions`)
      .send({ funderId: f.funder.id, period: '2022-H1' });
    expect(submitted.status).toBe(201);
    const days = { from: '2021-12-31T23:00:00.000Z', to: '2022-06-30T21:59:59.999Z', fromDate: '2022-01-01', toDate: '2022-06-30' };
    expect(submitted.body).toMatchObject(days);
    expect((await t.api().get(`/api/v1/report-submissions/${submitted.body.id}`)).body).toMatchObject(days);
    expect((await t.api().get(`/api/v1/funders/${f.funder.id}/report-submissions`)).body.items).toEqual([expect.objectContaining(days)]);
    // What is due names the same days.
    const due = (await t.api().get(`/api/v1/funders/${f.funder.id}/submissions-due`)).body.items;
    expect(due.find((i: { period: string }) => i.period === '2022-H1')).toMatchObject({ from: '2022-01-01', to: '2022-06-30' });
  });

  it("lists a cluster's periods for each of its funders, each key seeing what it may read", async () => {
    const cluster = await createCluster(t);
    const a = await fundedCluster(t, { cluster, reportingPeriod: 'yearly', startsOn: '2022-01-01', endsOn: '2022-12-31' });
    const b = await fundedCluster(t, { cluster, reportingPeriod: 'half_yearly', startsOn: '2022-07-01', endsOn: '2022-12-31' });
    const all = await t.api().get(`/api/v1/clusters/${cluster.id}/submissions-due`);
    expect(
      all.body.items.map((i: { funderId: string; period: string }) => [i.funderId === a.funder.id ? 'a' : 'b', i.period]).sort(),
    ).toEqual([
      ['a', '2022'],
      ['b', '2022-H2'],
    ]);
    const funderB = await t.key('funder', { funderId: b.funder.id });
    expect((await t.api(funderB.secret).get(`/api/v1/clusters/${cluster.id}/submissions-due`)).body.items).toEqual([
      expect.objectContaining({ funderId: b.funder.id, period: '2022-H2' }),
    ]);
    expectProblem(await t.api(funderB.secret).get(`/api/v1/funders/${a.funder.id}/submissions-due`), 404);
    const stranger = await t.key('editor', { clusterIds: [(await createCluster(t)).id] });
    expectProblem(await t.api(stranger.secret).get(`/api/v1/clusters/${cluster.id}/submissions-due`), 404);
    const editor = await t.key('editor', { clusterIds: [cluster.id] });
    expect((await t.api(editor.secret).get(`/api/v1/funders/${a.funder.id}/submissions-due`)).body.total).toBe(1);
    expectProblem(await t.api().get(`/api/v1/funders/${a.funder.id}/submissions-due?state=late`), 400, 'state');
    // An archived funding owes nothing more.
    await t.api().delete(`/api/v1/fundings/${a.funding.id}`).expect(204);
    expect((await t.api().get(`/api/v1/clusters/${cluster.id}/submissions-due`)).body.items).toEqual([
      expect.objectContaining({ funderId: b.funder.id }),
    ]);
  });
});
