import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { startTestApp, type TestApp } from './support/app.js';
import { dropTestDatabase } from './support/database.js';
import { dumpAndRestore } from './support/dump.js';
import { daysFromToday } from './support/factories.js';
import { applyWrite, type WritablePlan, writes } from './support/plan-writes.js';
import { raw } from './support/submissions.js';

/**
 * A submitted report is the bytes that were submitted, for ever: whatever is
 * written afterwards (random writes of every kind, as in the past-reports
 * property), the stored bytes, their hash and what GET …/report serves stay
 * those of the submission, in JSON and in the CSV written from it; and they
 * survive a dump and restore of the database. SUBMISSION_RUNS sets the
 * number of runs (30 by default).
 */
const RUNS = Number(process.env.SUBMISSION_RUNS ?? 30);
const RUNS_PER_PLAN = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Submitted extends WritablePlan {
  /** The period, as exact instants. */
  from: string;
  to: string;
  submissionId: string;
  sha256: string;
  json: Buffer;
  csv: Buffer;
}

describe('a submitted report', () => {
  let t: TestApp;
  let plans = 0;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  async function ok(res: Promise<{ status: number; body: any }>, status = 201): Promise<Record<string, any>> {
    const r = await res;
    if (r.status !== status) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    return r.body as Record<string, any>;
  }

  const pull = async (app: TestApp, path: string) => {
    const res = await app.api().get(path).buffer(true).parse(raw);
    return { status: res.status, body: res.body as Buffer, etag: res.headers.etag, digest: res.headers['content-digest'] };
  };

  /** A small plan with a history inside a period that has just ended, submitted to its funder. */
  async function submitted(): Promise<Submitted> {
    const n = ++plans;
    const api = t.api();
    const from = new Date().toISOString();
    await sleep(2);
    const cluster = await ok(api.post('/api/v1/clusters').send({ name: `Submitted ${n}`, region: 'Dalarna', phase: 'formation' }));
    const funder = await ok(
      api.post('/api/v1/funders').send({ name: `Region ${n}`, kind: 'regional_council', reportingPeriod: 'quarterly' }),
    );
    const funding = await ok(
      api.post(`/api/v1/funders/${funder.id}/fundings`).send({
        clusterId: cluster.id,
        programme: 'Regional growth',
        amount: '750000.25',
        startsOn: daysFromToday(-100),
        endsOn: daysFromToday(300),
      }),
    );
    const goal = await ok(
      api.post(`/api/v1/clusters/${cluster.id}/goals`).send({
        title: 'Exports +20 %',
        horizon: 'long_term',
        indicator: { unit: 'MSEK', baseline: 100, target: 120 },
      }),
    );
    const subGoal = await ok(
      api.post(`/api/v1/clusters/${cluster.id}/goals`).send({
        title: 'Export-ready firms',
        horizon: 'short_term',
        contributesToGoalId: goal.id,
        status: 'yellow',
        statusComment: 'Two firms behind',
      }),
    );
    await ok(api.post(`/api/v1/goals/${goal.id}/measurements`).send({ value: 104.5, measuredOn: daysFromToday(-1) }));
    const activity = await ok(
      api.post(`/api/v1/clusters/${cluster.id}/activities`).send({ title: 'Trade fair', goalId: subGoal.id, dueDate: daysFromToday(-3) }),
    );
    const fruit = await ok(
      api.post(`/api/v1/clusters/${cluster.id}/low-hanging-fruits`).send({ what: 'Shared stand', when: daysFromToday(5) }),
    );
    await ok(
      api.post(`/api/v1/activities/${activity.id}/status-updates`).send({ status: 'red', state: 'ongoing', comment: '=1+1 "late"' }),
    );
    await sleep(2);
    const to = new Date().toISOString();
    await sleep(3);
    const submission = await ok(api.post(`/api/v1/clusters/${cluster.id}/report-submissions`).send({ funderId: funder.id, from, to }));
    const json = await pull(t, `/api/v1/report-submissions/${submission.id}/report`);
    const csv = await pull(t, `/api/v1/report-submissions/${submission.id}/report?format=csv&delimiter=semicolon`);
    expect(sha256(json.body)).toBe(submission.sha256);
    return {
      clusterId: cluster.id,
      funderId: funder.id,
      fundingId: funding.id,
      ids: { goal: goal.id, subGoal: subGoal.id, activity: activity.id, fruit: fruit.id },
      from,
      to,
      submissionId: submission.id as string,
      sha256: submission.sha256 as string,
      json: json.body,
      csv: csv.body,
    };
  }

  /** The bytes stored and served are those of the submission, in JSON and CSV. */
  async function expectUnchanged(app: TestApp, s: Submitted): Promise<void> {
    const [stored] = await app.dataSource.query(`SELECT body, sha256 FROM submitted_report WHERE submission_id = $1`, [s.submissionId]);
    expect(sha256(stored.body as Buffer)).toBe(s.sha256);
    expect(stored.sha256).toBe(s.sha256);
    const json = await pull(app, `/api/v1/report-submissions/${s.submissionId}/report`);
    expect(json.status).toBe(200);
    expect(json.body.equals(s.json)).toBe(true);
    expect(json.etag).toBe(`"${s.sha256}"`);
    expect(json.digest).toBe(`sha-256=:${Buffer.from(s.sha256, 'hex').toString('base64')}:`);
    const csv = await pull(app, `/api/v1/report-submissions/${s.submissionId}/report?format=csv&delimiter=semicolon`);
    expect(csv.body.equals(s.csv)).toBe(true);
    expect((await app.api().get(`/api/v1/report-submissions/${s.submissionId}`)).body.sha256).toBe(s.sha256);
  }

  it(`keeps its bytes and hash whatever is written later (${RUNS} runs)`, async () => {
    let current: Submitted | undefined;
    let runsOnPlan = 0;
    await fc.assert(
      fc.asyncProperty(writes, fc.constantFrom('none', 'acknowledge', 'return'), fc.boolean(), async (writes, decision, rewritePast) => {
        if (runsOnPlan++ % RUNS_PER_PLAN === 0) current = await submitted();
        const s = current!;
        for (const w of writes) await applyWrite(t, s, w);
        // History written into the period afterwards (an import, a correction by hand): the live report of the
        // period changes, the submitted one does not.
        if (rewritePast) {
          await t.dataSource.query(
            `INSERT INTO status_update (subject_type, subject_id, cluster_id, status, state, comment, author, created_at)
               VALUES ('activity', $1, $2, 'green', 'done', 'Written into the past', 'Importer', $3::timestamptz - interval '1 millisecond')`,
            [s.ids.activity, s.clusterId, s.to],
          );
        }
        // A decision changes the submission's state, never its report.
        if (decision !== 'none') {
          await t.api().post(`/api/v1/report-submissions/${s.submissionId}/${decision}`).send({ comment: 'Decided' });
        }
        await expectUnchanged(t, s);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('keeps its bytes and hash through a dump and restore of the database', async () => {
    const s = await submitted();
    await applyWrite(t, s, { kind: 'patchCluster', body: { name: 'Renamed after submission' } });
    const { url } = await dumpAndRestore(t.databaseUrl);
    const restored = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' }, {}, url);
    try {
      await expectUnchanged(restored, s);
      expect((await restored.api().get(`/api/v1/report-submissions/${s.submissionId}/revisions`)).body.total).toBeGreaterThanOrEqual(1);
    } finally {
      await restored.close();
      await dropTestDatabase(url).catch(() => undefined);
    }
  }, 120_000);
});
