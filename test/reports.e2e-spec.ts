import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createFruit, daysFromToday } from './support/factories.js';
import { HistoryBuilder } from './support/history.js';
import { expectProblem } from './support/problem.js';
import { ownStatements } from './support/statements.js';

/**
 * The second quarter of 2026 in Stockholm: 2026-03-31T22:00Z to 2026-06-30T21:59:59.999Z.
 */
describe('as-of reports', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  let funderId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'Hälsinge Ågård', region: 'Gävleborg', phase: 'mobilisation' });
    const funder = await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency', reportingPeriod: 'quarterly' });
    funderId = funder.body.id;
    const funding = await t
      .api()
      .post(`/api/v1/funders/${funderId}/fundings`)
      .send({ clusterId: cluster.id, programme: 'Vinnväxt', amount: 2000000, startsOn: '2025-01-01', endsOn: '2027-12-31' });
    expect(funding.status).toBe(201);
    ids.funding = funding.body.id;

    const h = new HistoryBuilder(t.dataSource, cluster.id);
    // Made through the API today; in the reports of 2026 as they were at their start.
    await h.backdate('cluster', cluster.id, '2025-01-01T00:00:00Z');
    await h.backdate('funder', funderId, '2025-01-01T00:00:00Z');
    await h.backdate('funding', ids.funding, '2025-01-01T00:00:00Z');
    ids.g1 = await h.goal({ title: 'Employment +10 %', horizon: 'long_term', perspective: 'public_sector' }, [
      { at: '2026-01-10T09:00:00Z', status: 'green' },
      { at: '2026-05-15T09:00:00Z', status: 'yellow', comment: 'Slow recruitment', author: 'Anna' },
      { at: '2026-07-10T09:00:00Z', status: 'red', comment: 'After the period' },
    ]);
    ids.g2 = await h.goal({ title: 'Mobilise member firms', contributesToGoalId: ids.g1, unit: 'firms', baseline: 10, target: 50 }, [
      { at: '2026-04-20T09:00:00Z', status: 'green' },
    ]);
    await h.measurement(ids.g2, 20, '2026-03-31', '2026-04-21T09:00:00Z');
    await h.measurement(ids.g2, 25, '2026-06-15', '2026-06-16T09:00:00Z');
    await h.measurement(ids.g2, 30, '2026-06-30', '2026-07-02T09:00:00Z'); // recorded after the period: not in it
    await h.measurement(ids.g2, 99, '2026-07-05', '2026-07-05T09:00:00Z');
    ids.g3 = await h.goal({ title: 'Created after the period' }, [{ at: '2026-08-01T09:00:00Z', status: 'green' }]);
    ids.g4 = await h.goal({ title: 'Edges of the period' }, [
      { at: '2026-01-01T09:00:00Z', status: 'green' },
      { at: '2026-03-31T21:59:59Z', status: 'yellow', comment: 'Last second of March in Stockholm' },
      { at: '2026-06-30T21:59:59.500Z', status: 'red', comment: 'Last second of June in Stockholm' },
      { at: '2026-06-30T22:00:00Z', status: 'green', comment: 'First second of July in Stockholm' },
    ]);
    ids.a1 = await h.item('activity', { title: 'Member survey', dueDate: '2026-06-20' }, [
      { at: '2026-02-01T09:00:00Z', status: 'green', state: 'planned' },
      { at: '2026-06-25T09:00:00Z', status: 'green', state: 'done', comment: 'Done' },
    ]);
    ids.a2 = await h.item('activity', { title: 'Study visit', dueDate: '2026-06-10' }, [
      { at: '2026-03-01T09:00:00Z', status: 'green', state: 'planned' },
      { at: '2026-05-01T09:00:00Z', status: 'red', state: 'ongoing', comment: 'Blocked by travel budget' },
    ]);
    ids.a3 = await h.item('activity', { title: 'Archived before the period', dueDate: '2026-02-01', archivedAt: '2026-03-15T09:00:00Z' }, [
      { at: '2026-01-05T09:00:00Z', status: 'green', state: 'planned' },
    ]);
    ids.f1 = await h.item('low_hanging_fruit', { what: 'Joint fair stand', when: '2026-05-01' }, [
      { at: '2026-03-01T09:00:00Z', status: 'green', state: 'planned' },
      { at: '2026-04-30T09:00:00Z', status: 'green', state: 'done', comment: 'Taken' },
    ]);
  });
  afterAll(() => t.close());

  const q2 = (path: string, extra = '') => t.api().get(`${path}?period=2026-Q2${extra}`);

  /**
   * The bytes of the report, JSON and CSV, exactly as they were before the report
   * writer was split into parts (test/golden/), with the random ids and the time of
   * generation named. `UPDATE_GOLDEN=1` rewrites the files.
   */
  it('writes the same bytes for the same history', async () => {
    const named = (text: string, generatedAt: string | undefined) => {
      let out = generatedAt ? text.replaceAll(generatedAt, '<generatedAt>') : text;
      for (const [name, id] of Object.entries({ ...ids, cluster: cluster.id, funder: funderId })) out = out.replaceAll(id, `<${name}>`);
      return out;
    };
    const cases = {
      'cluster-report-2026-Q2.json': q2(`/api/v1/clusters/${cluster.id}/report`),
      'cluster-report-2026-Q2.csv': q2(`/api/v1/clusters/${cluster.id}/report`, '&format=csv'),
      'funder-report-2026-Q2.json': q2(`/api/v1/funders/${funderId}/report`),
      'funder-report-2026-Q2-semicolon.csv': q2(`/api/v1/funders/${funderId}/report`, '&format=csv&delimiter=semicolon'),
      'cluster-report-2026-Q3.json': t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q3`),
      'cluster-report-2026-Q3.csv': t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q3&format=csv`),
      'funder-report-2030.json': t.api().get(`/api/v1/funders/${funderId}/report?period=2030`),
      'funder-report-2030.csv': t.api().get(`/api/v1/funders/${funderId}/report?period=2030&format=csv`),
    };
    for (const [file, request] of Object.entries(cases)) {
      const res = await request.buffer(true).parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
      });
      expect(res.status).toBe(200);
      const text = res.body as string;
      const generatedAt = file.endsWith('.json') ? (JSON.parse(text) as { generatedAt: string }).generatedAt : undefined;
      const path = join(process.cwd(), 'test', 'golden', file);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, named(text, generatedAt));
      expect(named(text, generatedAt)).toBe(readFileSync(path, 'utf8'));
    }
  });

  it('rebuilds statuses at the start and end, and the changes in between, from the history', async () => {
    const res = await q2(`/api/v1/clusters/${cluster.id}/report`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2026-03-31T22:00:00.000Z', to: '2026-06-30T21:59:59.999Z', timeZone: 'Europe/Stockholm' });
    expect(res.body.funder).toBeUndefined();
    const [section] = res.body.clusters;
    expect(section.cluster).toEqual({ id: cluster.id, name: 'Hälsinge Ågård', region: 'Gävleborg', phase: 'mobilisation' });
    expect(section.fundings).toEqual([
      expect.objectContaining({
        funderId,
        programme: 'Vinnväxt',
        amount: '2000000.00',
        currency: 'SEK',
        startsOn: '2025-01-01',
        endsOn: '2027-12-31',
      }),
    ]);

    const goals = Object.fromEntries(section.goals.map((g: { id: string }) => [g.id, g]));
    expect(Object.keys(goals).sort()).toEqual([ids.g1, ids.g2, ids.g4].sort());
    expect(goals[ids.g1]).toMatchObject({
      horizon: 'long_term',
      perspective: 'public_sector',
      statusAtStart: 'green',
      statusAtEnd: 'yellow',
      changes: [{ status: 'yellow', comment: 'Slow recruitment', author: 'Anna', createdAt: '2026-05-15T09:00:00.000Z' }],
      indicator: null,
    });
    expect(goals[ids.g2]).toMatchObject({
      contributesToGoalId: ids.g1,
      statusAtStart: null,
      statusAtEnd: 'green',
      indicator: { unit: 'firms', baseline: 10, target: 50, latestValue: 25, latestMeasuredOn: '2026-06-15', progressPercent: 37.5 },
    });
    expect(goals[ids.g4]).toMatchObject({ statusAtStart: 'yellow', statusAtEnd: 'red' });
    expect(goals[ids.g4].changes.map((c: { comment: string }) => c.comment)).toEqual(['Last second of June in Stockholm']);

    const activities = Object.fromEntries(section.activities.map((a: { id: string }) => [a.id, a]));
    expect(Object.keys(activities).sort()).toEqual([ids.a1, ids.a2].sort());
    expect(activities[ids.a1]).toMatchObject({
      stateAtEnd: 'done',
      statusAtStart: 'green',
      statusAtEnd: 'green',
      completedInPeriod: true,
      overdueAtEnd: false,
    });
    expect(activities[ids.a2]).toMatchObject({
      dueDate: '2026-06-10',
      stateAtEnd: 'ongoing',
      statusAtEnd: 'red',
      completedInPeriod: false,
      overdueAtEnd: true,
      changes: [{ status: 'red', state: 'ongoing', comment: 'Blocked by travel budget' }],
    });
    expect(section.lowHangingFruits).toEqual([
      expect.objectContaining({
        id: ids.f1,
        what: 'Joint fair stand',
        when: '2026-05-01',
        stateAtEnd: 'done',
        completedInPeriod: true,
        overdueAtEnd: false,
      }),
    ]);

    expect(section.summary).toEqual({
      goals: { start: { green: 1, yellow: 1, red: 0 }, end: { green: 1, yellow: 1, red: 1 } },
      activities: { start: { green: 2, yellow: 0, red: 0 }, end: { green: 1, yellow: 0, red: 1 }, completed: 1, overdue: 1 },
      lowHangingFruits: { start: { green: 1, yellow: 0, red: 0 }, end: { green: 1, yellow: 0, red: 0 }, completed: 1, overdue: 0 },
      risks: { start: { green: 0, yellow: 0, red: 0 }, end: { green: 0, yellow: 0, red: 0 }, highRisks: 0 },
    });
  });

  it('gives the same report however often it is pulled, whatever happens afterwards', async () => {
    const path = `/api/v1/clusters/${cluster.id}/report`;
    const before = await q2(path);
    const beforeCsv = await q2(path, '&format=csv');
    expect(before.status).toBe(200);
    expect(beforeCsv.status).toBe(200);

    // Later writes that would each change the report if it were rebuilt from current values.
    const g2Red = await t.api().post(`/api/v1/goals/${ids.g2}/status-updates`).send({ status: 'red', comment: 'Today' });
    expect(g2Red.status).toBe(201);
    expect(g2Red.body.status).toBe('red');
    const a2Done = await t.api().post(`/api/v1/activities/${ids.a2}/status-updates`).send({ status: 'green', state: 'done' });
    expect(a2Done.status).toBe(201);
    expect(a2Done.body).toMatchObject({ status: 'green', state: 'done', overdue: false });
    const a1Reopened = await t.api().patch(`/api/v1/activities/${ids.a1}`).send({ state: 'ongoing' });
    expect(a1Reopened.status).toBe(200);
    expect(a1Reopened.body).toMatchObject({ state: 'ongoing', completedAt: null });
    const g4Yellow = await t.api().post(`/api/v1/goals/${ids.g4}/status-updates`).send({ status: 'yellow', comment: 'Later' });
    expect(g4Yellow.status).toBe(201);
    // Measured inside the period, recorded today: on the last day, like the 30 recorded on 2026-07-02, and newer than it only by its recording time.
    const measured = await t.api().post(`/api/v1/goals/${ids.g2}/measurements`).send({ value: 45, measuredOn: '2026-06-30' });
    expect(measured.status).toBe(201);
    expect(measured.body).toMatchObject({ value: 45, measuredOn: '2026-06-30' });
    expect((await t.api().get(`/api/v1/goals/${ids.g2}`)).body.status).toBe('red');
    expect((await t.api().delete(`/api/v1/low-hanging-fruits/${ids.f1}`)).status).toBe(204);
    expect((await t.api().get(`/api/v1/low-hanging-fruits/${ids.f1}`)).body.archivedAt).toEqual(expect.any(String));
    expect((await t.api().delete(`/api/v1/goals/${ids.g1}`)).status).toBe(204);
    expect((await t.api().get(`/api/v1/goals/${ids.g1}`)).body.archivedAt).toEqual(expect.any(String));
    // Each of those writes made a history entry (archiving does not), so the history really moved on.
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM status_update WHERE subject_id = ANY($1) AND created_at > now() - interval '1 minute'`,
      [[ids.g2, ids.a2, ids.a1, ids.g4]],
    );
    expect(n).toBe(4);

    const after = await q2(path);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    expect(after.text).toBe(before.text);
    expect(after.body.complete).toBe(true);
    expect(after.headers.etag).toBe(before.headers.etag);
    const afterCsv = await q2(path, '&format=csv');
    expect(afterCsv.text).toBe(beforeCsv.text);
  });

  it('reads a period as whole days in the time zone, or as exact instants', async () => {
    const byPeriod = await q2(`/api/v1/clusters/${cluster.id}/report`);
    const byDays = await t.api().get(`/api/v1/clusters/${cluster.id}/report?from=2026-04-01&to=2026-06-30`);
    expect(byPeriod.body.period).toBe('2026-Q2');
    expect(byDays.body.period).toBeNull();
    expect({ ...byDays.body, period: 0 }).toEqual({ ...byPeriod.body, period: 0 });
    const exact = await t.api().get(`/api/v1/clusters/${cluster.id}/report?from=2026-04-01T00:00:00Z&to=2026-06-30T22:00:00Z`);
    const g4 = exact.body.clusters[0].goals.find((g: { id: string }) => g.id === ids.g4);
    expect(g4.statusAtEnd).toBe('green'); // the first second of July in Stockholm is inside this range
  });

  it("says the period's calendar days in the time zone for periods ending in 2027 or later, and leaves ended periods' bytes as they were", async () => {
    const path = `/api/v1/clusters/${cluster.id}/report`;
    const q1 = await t.api().get(`${path}?period=2027-Q1`);
    expect(q1.status).toBe(200);
    // Stockholm's first day of 2027 starts at 23:00 UTC the day before: the instant and the day differ.
    expect(q1.body).toMatchObject({ from: '2026-12-31T23:00:00.000Z', fromDate: '2027-01-01', toDate: '2027-03-31', period: '2027-Q1' });
    expect(Object.keys(q1.body).slice(0, 5)).toEqual(['from', 'to', 'fromDate', 'toDate', 'period']);
    const days = await t.api().get(`${path}?from=2026-12-15&to=2027-01-01`);
    expect(days.body).toMatchObject({ fromDate: '2026-12-15', toDate: '2027-01-01' });
    const exact = await t.api().get(`${path}?from=2026-12-01T00:00:00Z&to=2026-12-31T22:59:59.999Z`);
    expect(exact.body).not.toHaveProperty('fromDate'); // ends on 2026-12-31 in Stockholm
    const ended = await q2(path);
    expect(ended.body).not.toHaveProperty('fromDate');
    expect(ended.body).not.toHaveProperty('toDate');
  });

  it('refuses malformed periods with 400', async () => {
    const path = `/api/v1/clusters/${cluster.id}/report`;
    expectProblem(await t.api().get(`${path}?from=2026-07-01&to=2026-06-30`), 400, 'from');
    expectProblem(await t.api().get(`${path}?period=2026-Q2&from=2026-04-01`), 400, 'period');
    expectProblem(await t.api().get(`${path}?period=2026-Q5`), 400, 'period');
    expectProblem(await t.api().get(`${path}?from=2026-04-01`), 400, 'to');
    expectProblem(await t.api().get(path), 400);
    expectProblem(await t.api().get(`${path}?from=yesterday&to=2026-06-30`), 400, 'from');
    expectProblem(await t.api().get(`${path}?period=2026-Q2&format=pdf`), 400, 'format');
  });

  it('serves CSV with a byte-order mark, quoting, a file name and a semicolon option', async () => {
    const res = await q2(`/api/v1/clusters/${cluster.id}/report`, '&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="styrman-report-halsinge-agard-2026-Q2.csv"');
    const text: string = res.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Period,Cluster,Region,Kind,Id,Title,Horizon,Status at start,Status at end,Status changes,Created in period,State at end,Due date,Overdue at end,Likelihood (1-5),Impact (1-5),Risk score,Indicator unit,Baseline,Target,Latest value,Progress %,Latest comment',
    );
    expect(lines).toHaveLength(1 + 3 + 2 + 1);
    // Created in the period: its creation is no status change.
    expect(lines).toContain(
      `2026-Q2,Hälsinge Ågård,Gävleborg,goal,${ids.g2},Mobilise member firms,result,,green,0,yes,,,,,,,firms,10,50,25,37.5,`,
    );
    expect(lines).toContain(
      `2026-Q2,Hälsinge Ågård,Gävleborg,goal,${ids.g1},Employment +10 %,effect,green,yellow,1,no,,,,,,,,,,,,Slow recruitment`,
    );
    expect(lines).toContain(
      `2026-Q2,Hälsinge Ågård,Gävleborg,activity,${ids.a2},Study visit,,green,red,1,no,ongoing,2026-06-10,yes,,,,,,,,,Blocked by travel budget`,
    );

    const accept = await t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q2`).set('Accept', 'text/csv');
    expect(accept.headers['content-type']).toBe('text/csv; charset=utf-8');
    const queryWins = await t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q2&format=json`).set('Accept', 'text/csv');
    expect(queryWins.headers['content-type']).toMatch(/application\/json/);

    const semicolon = await q2(`/api/v1/clusters/${cluster.id}/report`, '&format=csv&delimiter=semicolon');
    expect(semicolon.text.split('\r\n')[0]).toContain('Cluster;Region;Kind;Id;Title');
  });

  it('quotes cells that hold the delimiter, quotes or line breaks', async () => {
    const c = await createCluster(t, { name: 'Quote, "test"' });
    await t.api().post(`/api/v1/clusters/${c.id}/goals`).send({ title: 'Line\nbreak; and "quotes"', horizon: 'short_term' });
    const res = await t.api().get(`/api/v1/clusters/${c.id}/report?period=2026&format=csv`);
    expect(res.text).toContain('"Quote, ""test""",Gävleborg,goal,');
    expect(res.text).toContain('"Line\nbreak; and ""quotes"""');
  });

  it('a funder report holds every cluster with a funding overlapping the period, and only its fundings', async () => {
    const other = await createCluster(t, { name: 'Not funded by Vinnova' });
    const rf = await t.api().post('/api/v1/funders').send({ name: 'RF Gävleborg', kind: 'regional_council' });
    await t
      .api()
      .post(`/api/v1/funders/${rf.body.id}/fundings`)
      .send({ clusterId: other.id, programme: 'Regional', amount: '150000.50', startsOn: '2026-01-01', endsOn: '2026-12-31' });
    await t
      .api()
      .post(`/api/v1/funders/${rf.body.id}/fundings`)
      .send({ clusterId: cluster.id, programme: 'Regional', amount: '1', startsOn: '2026-01-01', endsOn: '2026-12-31' });
    const res = await q2(`/api/v1/funders/${funderId}/report`);
    expect(res.body.funder).toEqual({ id: funderId, name: 'Vinnova', kind: 'national_agency' });
    expect(res.body.clusters.map((s: any) => s.cluster.id)).toEqual([cluster.id]);
    expect(res.body.clusters[0].fundings.map((f: any) => f.funderId)).toEqual([funderId]);
    const outside = await t.api().get(`/api/v1/funders/${funderId}/report?period=2030`);
    expect(outside.body.clusters).toEqual([]);
  });

  it('makes a fixed number of SQL statements per batch (32 for 2 clusters, 50 for 20 on two connections: batches sized by bytes, at most REPORT_BATCH_CLUSTERS clusters), the same for 1× and 4× the history', async () => {
    const funder = await t.api().post('/api/v1/funders').send({ name: 'EU regional fund', kind: 'eu_fund' });
    const goals: string[] = [];
    const fund = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const c = await createCluster(t);
        const funding = await t
          .api()
          .post(`/api/v1/funders/${funder.body.id}/fundings`)
          .send({ clusterId: c.id, programme: 'ERUF', amount: 1000, startsOn: '2026-01-01', endsOn: '2026-12-31' });
        expect(funding.status).toBe(201);
        const goal = await t.api().post(`/api/v1/clusters/${c.id}/goals`).send({ title: 'G', horizon: 'short_term' });
        expect(goal.status).toBe(201);
        goals.push(goal.body.id as string);
        expect((await t.api().post(`/api/v1/clusters/${c.id}/activities`).send({ title: 'A', dueDate: '2026-03-01' })).status).toBe(201);
        expect((await t.api().post(`/api/v1/clusters/${c.id}/risks`).send({ title: 'R', likelihood: 2, impact: 2 })).status).toBe(201);
        expect((await t.api().post(`/api/v1/clusters/${c.id}/actors`).send({ name: 'O', kind: 'other', core: 'outer' })).status).toBe(201);
      }
    };
    const measure = async () => {
      const { result: res, statements } = await ownStatements(t, async () =>
        t.api().get(`/api/v1/funders/${funder.body.id}/report?period=2026`),
      );
      expect(res.status).toBe(200);
      return { statements, clusters: res.body.clusters.length as number };
    };
    await fund(2);
    const small = await measure();
    await fund(18);
    const large = await measure();
    expect(small.clusters).toBe(2);
    expect(large.clusters).toBe(20);
    // The funder with its visibility, its clusters, and in one transaction (begin, isolation, work_mem, commit) nine
    // sections per batch: the first batch one cluster, each next one as many as fit in REPORT_BATCH_KB at the bytes
    // per cluster read so far, at most REPORT_BATCH_CLUSTERS (10), and, once, the programme indicators added up: never one per cluster or item.
    // A running period's report (2026 is running here): before them its kept copy is looked for (none: the plans were
    // written since), after them it is kept (2 more).
    // Built to be kept, it is read on REPORT_READ_CONNECTIONS (2) connections in one snapshot: the second one's
    // transaction (begin, isolation, the snapshot, work_mem, commit) is 5 more, and its first batch is one cluster too
    // (batch k is sized from the batches before k − 1): 1, 1, 10 and 8 clusters for 20. Through PgBouncer, one connection.
    const lanes = process.env.STYRMAN_TEST_PGBOUNCER_URL ? 1 : 2;
    const kept = (batches: number) => 6 + 9 * batches + 1 + 2 + 5 * (lanes - 1);
    expect(small.statements).toHaveLength(kept(2));
    expect(large.statements).toHaveLength(kept(lanes === 1 ? 3 : 4));
    expect(small.statements[2]).toMatch(/FROM open_report/);
    expect(small.statements.at(-1)).toMatch(/INSERT INTO open_report/);
    process.stdout.write(`funder report: ${small.statements.length} SQL statements for 2 clusters, ${large.statements.length} for 20\n`);
    // Every goal's history (status updates and replans) at 1× and then 4×.
    const grow = async (times: number) => {
      for (const id of goals) {
        for (let i = 0; i < times; i++) {
          expect(
            (
              await t
                .api()
                .post(`/api/v1/goals/${id}/status-updates`)
                .send({ status: 'yellow', comment: `Week ${i}` })
            ).status,
          ).toBe(201);
          expect(
            (
              await t
                .api()
                .patch(`/api/v1/goals/${id}`)
                .send({ title: `G ${i}` })
            ).status,
          ).toBe(200);
        }
      }
    };
    await grow(1);
    const once = await measure();
    await grow(3);
    const fourTimes = await measure();
    expect(fourTimes.statements).toHaveLength(once.statements.length);
    expect(once.statements).toHaveLength(kept(lanes === 1 ? 3 : 4));
    // Pulled again with nothing written since: the funder, its clusters and the kept copy.
    expect((await measure()).statements).toHaveLength(3);
  });

  it("lists a fruit's what and when as its kind declares them, and their replans in its kind's order", async () => {
    const c = await createCluster(t, { name: 'Replanned fruits cluster' });
    const fruit = await createFruit(t, c.id, { what: 'Joint stand', when: daysFromToday(20), how: 'Share the cost' });
    // One change of both (sent when first), and a change of neither: a replan lists what, then when.
    expect(
      (
        await t
          .api()
          .patch(`/api/v1/low-hanging-fruits/${fruit.id}`)
          .send({ when: daysFromToday(-2), what: 'Joint stand, fair' })
      ).status,
    ).toBe(200);
    expect((await t.api().patch(`/api/v1/low-hanging-fruits/${fruit.id}`).send({ how: 'Split three ways' })).status).toBe(200);
    const res = await t.api().get(`/api/v1/clusters/${c.id}/report?from=${daysFromToday(-1)}&to=${daysFromToday(0)}`);
    expect(res.status).toBe(200);
    const [reported] = res.body.clusters[0].lowHangingFruits;
    expect(Object.keys(reported)).toEqual([
      'id',
      'what',
      'when',
      'stateAtEnd',
      'statusAtStart',
      'statusAtEnd',
      'changes',
      'replanned',
      'completedInPeriod',
      'overdueAtEnd',
    ]);
    expect(reported).toMatchObject({ id: fruit.id, what: 'Joint stand, fair', when: daysFromToday(-2), overdueAtEnd: true });
    expect(reported.replanned).toEqual([
      { field: 'what', from: 'Joint stand', to: 'Joint stand, fair', recordedAt: expect.any(String), author: expect.any(String) },
      { field: 'when', from: daysFromToday(20), to: daysFromToday(-2), recordedAt: expect.any(String), author: expect.any(String) },
    ]);
  });
});
