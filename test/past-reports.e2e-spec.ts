import fc from 'fast-check';
import type request from 'supertest';
import { startTestApp, type TestApp } from './support/app.js';
import { daysFromToday } from './support/factories.js';
import { applyWrite, type WritablePlan, write } from './support/plan-writes.js';

/**
 * The promise made to funders: a report whose period has ended is the same,
 * byte for byte, whatever is written afterwards — for the period as known at
 * its end (the default) and as known at any later moment (`knownAt`). A small
 * plan is built, a measurement in its period recorded after it, and its
 * cluster and funder reports (JSON and CSV) pulled for the period that has
 * just ended, as known at its end and as known once the late measurement was
 * recorded; each run applies a random sequence of every kind of write (among
 * them measurements in the period, recorded later still) and pulls them again
 * (a new plan every RUNS_PER_PLAN runs, one app and database for all); the
 * period as known now shows what was recorded last. TEMPORAL_RUNS sets the
 * number of runs (200 by default, as in CI).
 */
const RUNS = Number(process.env.TEMPORAL_RUNS ?? 200);
/** Runs that share a plan (and its reports pulled once). */
const RUNS_PER_PLAN = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps the body as the bytes sent, whatever the content type. */
function raw(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

interface Plan extends WritablePlan {
  query: string;
  /** A moment after the period, once a measurement in it was recorded late: the period as known then. */
  knownAt: string;
}

/** The value of the measurement in the period recorded after it, before `knownAt`. */
const LATE_VALUE = 33;

interface Pulled {
  status: number;
  body: Buffer;
  etag: string | undefined;
}

describe('a report whose period has ended', () => {
  let t: TestApp;
  let runs = 0;
  beforeAll(async () => {
    // Every pull a fresh build (nothing kept), so that each run tests the as-of reads, not the kept bytes
    // (report-delivery.e2e-spec compares kept bytes with a fresh build).
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', REPORT_KEEP: 'false' });
  });
  afterAll(() => t.close());

  async function ok(req: request.Test, status = 201): Promise<Record<string, any>> {
    const res = await req;
    if (res.status !== status) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>;
  }

  /** A small plan with a history, and a period that ends once it is built. */
  async function buildPlan(): Promise<Plan> {
    const n = ++runs;
    const api = t.api();
    const from = new Date().toISOString();
    await sleep(2);
    const cluster = await ok(api.post('/api/v1/clusters').send({ name: `Past report ${n}`, region: 'Gävleborg', phase: 'formation' }));
    const funder = await ok(api.post('/api/v1/funders').send({ name: `Funder ${n}`, kind: 'regional_council' }));
    const funding = await ok(
      api.post(`/api/v1/funders/${funder.id}/fundings`).send({
        clusterId: cluster.id,
        programme: 'Regional growth',
        amount: '1500000.50',
        startsOn: daysFromToday(-200),
        endsOn: daysFromToday(200),
      }),
    );
    const goal = await ok(
      api.post(`/api/v1/clusters/${cluster.id}/goals`).send({
        title: 'Employment +10 %',
        horizon: 'long_term',
        dueDate: daysFromToday(100),
        indicator: { unit: 'firms', baseline: 10, target: 50 },
      }),
    );
    const subGoal = await ok(
      api
        .post(`/api/v1/clusters/${cluster.id}/goals`)
        .send({ title: 'Member firms', horizon: 'short_term', contributesToGoalId: goal.id, status: 'yellow', statusComment: 'Slow' }),
    );
    await ok(api.post(`/api/v1/goals/${goal.id}/measurements`).send({ value: 20, measuredOn: daysFromToday(-1) }));
    const activity = await ok(
      api
        .post(`/api/v1/clusters/${cluster.id}/activities`)
        .send({ title: 'Member survey', goalId: subGoal.id, startDate: daysFromToday(-30), dueDate: daysFromToday(-2) }),
    );
    const fruit = await ok(
      api.post(`/api/v1/clusters/${cluster.id}/low-hanging-fruits`).send({ what: 'Joint fair stand', when: daysFromToday(3) }),
    );
    await ok(api.post(`/api/v1/activities/${activity.id}/status-updates`).send({ status: 'red', state: 'ongoing', comment: 'Blocked' }));
    await ok(api.post(`/api/v1/low-hanging-fruits/${fruit.id}/status-updates`).send({ status: 'green', state: 'done' }));
    await ok(api.patch(`/api/v1/goals/${goal.id}`).send({ dueDate: daysFromToday(120) }), 200);
    await sleep(2);
    const to = new Date().toISOString();
    await sleep(3);
    // Measured in the period, recorded after it: known from now on, not at its end.
    await ok(api.post(`/api/v1/goals/${goal.id}/measurements`).send({ value: LATE_VALUE, measuredOn: daysFromToday(0) }));
    await sleep(2);
    const knownAt = new Date().toISOString();
    await sleep(3);
    return {
      clusterId: cluster.id,
      funderId: funder.id,
      fundingId: funding.id,
      ids: { goal: goal.id, subGoal: subGoal.id, activity: activity.id, fruit: fruit.id },
      query: `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      knownAt,
    };
  }

  /** The reports of the period as known at its end (the first four) and as known at `knownAt` (the last four). */
  const reportPaths = (plan: Plan) =>
    ['', `&knownAt=${encodeURIComponent(plan.knownAt)}`].flatMap((known) => [
      `/api/v1/clusters/${plan.clusterId}/report?${plan.query}${known}`,
      `/api/v1/clusters/${plan.clusterId}/report?${plan.query}${known}&format=csv`,
      `/api/v1/funders/${plan.funderId}/report?${plan.query}${known}`,
      `/api/v1/funders/${plan.funderId}/report?${plan.query}${known}&format=csv&delimiter=semicolon`,
    ]);

  /** The goal's latest value in the cluster report of the plan's period, as known at `knownAt` (default: its end). */
  async function latestValue(plan: Plan, knownAt?: string): Promise<number> {
    const known = knownAt ? `&knownAt=${encodeURIComponent(knownAt)}` : '';
    const res = await t.api().get(`/api/v1/clusters/${plan.clusterId}/report?${plan.query}${known}`);
    expect(res.status).toBe(200);
    expect(res.body.knownAt).toBe(knownAt);
    const goal = (res.body.clusters[0].goals as { id: string; indicator: { latestValue: number } }[]).find((g) => g.id === plan.ids.goal)!;
    return goal.indicator.latestValue;
  }

  async function pull(path: string, ifNoneMatch?: string): Promise<Pulled> {
    const req = t.api().get(path).buffer(true).parse(raw);
    if (ifNoneMatch) void req.set('If-None-Match', ifNoneMatch);
    const res = await req;
    return { status: res.status, body: res.body as Buffer, etag: res.headers.etag };
  }

  it(`is byte-identical after any later writes, for cluster and funder reports, JSON and CSV (${RUNS} runs)`, async () => {
    let plan: Plan | undefined;
    let before: Pulled[] = [];
    let runsOnPlan = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 8 }), async (writes) => {
        // A fresh plan every few runs keeps the runs cheap; the writes of the runs in between all come after its period too.
        if (runsOnPlan++ % RUNS_PER_PLAN === 0) {
          plan = await buildPlan();
          before = [];
          for (const path of reportPaths(plan)) before.push(await pull(path));
          for (const p of before) {
            expect(p.status).toBe(200);
            expect(p.etag).toMatch(/^"[0-9a-f]{64}"$/);
          }
          // The late measurement is in the period as known later, not as known at its end.
          expect(await latestValue(plan)).toBe(20);
          expect(await latestValue(plan, plan.knownAt)).toBe(LATE_VALUE);
          expect(before[4].body.equals(before[0].body)).toBe(false);
        }
        const current = plan!;
        let measured: number | undefined;
        for (const w of writes) {
          const status = await applyWrite(t, current, w);
          if (w.kind === 'measure' && w.measuredOn === 0 && status === 201) measured = w.value;
        }
        // Known now, the period shows what was recorded last (measured on its last day); known earlier, it never changes.
        await sleep(2);
        if (measured !== undefined) expect(await latestValue(current, new Date().toISOString())).toBe(measured);
        for (const [i, path] of reportPaths(current).entries()) {
          const after = await pull(path);
          expect(after.status).toBe(200);
          expect(after.body.toString('utf8')).toBe(before[i].body.toString('utf8'));
          expect(after.body.equals(before[i].body)).toBe(true);
          expect(after.etag).toBe(before[i].etag);
        }
        const i = runsOnPlan % before.length;
        expect((await pull(reportPaths(current)[i], before[i].etag)).status).toBe(304);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('takes every field from the end of its period and lists what was replanned in it', async () => {
    const api = t.api();
    const cluster = await ok(api.post('/api/v1/clusters').send({ name: 'Smart Textiles', region: 'Västra Götaland', phase: 'formation' }));
    const funder = await ok(api.post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' }));
    const funding = await ok(
      api.post(`/api/v1/funders/${funder.id}/fundings`).send({
        clusterId: cluster.id,
        programme: 'Vinnväxt',
        amount: 2000000,
        startsOn: daysFromToday(-700),
        endsOn: daysFromToday(700),
      }),
    );
    const goal = await ok(
      api.post(`/api/v1/clusters/${cluster.id}/goals`).send({
        title: 'Recycled fibre',
        horizon: 'long_term',
        indicator: { unit: 'tonnes', baseline: 10, target: 50 },
      }),
    );
    const activity = await ok(
      api.post(`/api/v1/clusters/${cluster.id}/activities`).send({ title: 'Sorting pilot', dueDate: daysFromToday(30) }),
    );
    await sleep(2);
    const from = new Date().toISOString();
    await sleep(2);
    await ok(api.patch(`/api/v1/activities/${activity.id}`).send({ dueDate: daysFromToday(-1), title: 'Sorting pilot, phase 1' }), 200);
    await ok(api.patch(`/api/v1/goals/${goal.id}`).send({ indicator: { unit: 'tonnes', baseline: 10, target: 80 } }), 200);
    await sleep(2);
    const to = new Date().toISOString();
    await sleep(2);
    const path = `/api/v1/funders/${funder.id}/report?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const before = await api.get(path);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ period: null, complete: true });
    expect(before.body.generatedAt).toBeUndefined();
    const [section] = before.body.clusters;
    expect(section.activities[0]).toMatchObject({ title: 'Sorting pilot, phase 1', dueDate: daysFromToday(-1), overdueAtEnd: true });
    expect(section.activities[0].replanned).toEqual([
      { field: 'title', from: 'Sorting pilot', to: 'Sorting pilot, phase 1', recordedAt: expect.any(String), author: expect.any(String) },
      { field: 'dueDate', from: daysFromToday(30), to: daysFromToday(-1), recordedAt: expect.any(String), author: expect.any(String) },
    ]);
    expect(section.goals[0].replanned).toEqual([
      { field: 'indicator.target', from: 50, to: 80, recordedAt: expect.any(String), author: expect.any(String) },
    ]);
    expect(section.goals[0].indicator).toMatchObject({ baseline: 10, target: 80 });

    // Later: the plan moves on, the cluster is renamed, the funding archived.
    await ok(api.patch(`/api/v1/activities/${activity.id}`).send({ dueDate: daysFromToday(60) }), 200);
    await ok(api.patch(`/api/v1/clusters/${cluster.id}`).send({ name: 'Smart Textiles Borås' }), 200);
    expect((await api.delete(`/api/v1/fundings/${funding.id}`)).status).toBe(204);

    const again = await api.get(path);
    expect(again.text).toBe(before.text);
    expect(again.body.clusters[0].cluster.name).toBe('Smart Textiles');
    expect(again.body.clusters[0].fundings.map((f: { id: string }) => f.id)).toEqual([funding.id]);
    // The same funder's report up to now: the funding is archived, the cluster renamed, the activity no longer overdue.
    const current = await api.get(
      `/api/v1/funders/${funder.id}/report?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(current.body.clusters).toEqual([]);
    const clusterNow = await api.get(
      `/api/v1/clusters/${cluster.id}/report?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(clusterNow.body.clusters[0].cluster.name).toBe('Smart Textiles Borås');
    expect(clusterNow.body.clusters[0].activities[0]).toMatchObject({ dueDate: daysFromToday(60), overdueAtEnd: false });

    // The funder's own key still reads its archived funding, as its past report does.
    const key = await t.key('funder', { funderId: funder.id });
    expect((await t.api(key.secret).get(`/api/v1/fundings/${funding.id}`)).status).toBe(200);
  });
});
