import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { HistoryBuilder } from './support/history.js';
import { expectProblem } from './support/problem.js';
import { currentQuarter, fundedCluster, type Funded, lastQuarter, raw } from './support/submissions.js';

const QUARTER = lastQuarter();
const [YEAR, Q] = QUARTER.split('-');
const QUARTER_DAYS: Record<string, [string, string]> = {
  Q1: ['01-01', '03-31'],
  Q2: ['04-01', '06-30'],
  Q3: ['07-01', '09-30'],
  Q4: ['10-01', '12-31'],
};
const FIRST_DAY = `${YEAR}-${QUARTER_DAYS[Q][0]}`;
const LAST_DAY = `${YEAR}-${QUARTER_DAYS[Q][1]}`;
const IN_PERIOD = `${YEAR}-${QUARTER_DAYS[Q][0].slice(0, 2)}-15T10:00:00Z`;

describe('submitted reports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  });
  afterAll(() => t.close());

  /** A funded cluster with a goal and an activity that have a history in the last quarter. */
  async function planned(): Promise<Funded & { goalId: string; activityId: string; history: HistoryBuilder }> {
    const funded = await fundedCluster(t, { reportingPeriod: 'quarterly' });
    const history = new HistoryBuilder(t.dataSource, funded.cluster.id);
    await history.backdate('cluster', funded.cluster.id, '2000-01-01T00:00:00Z');
    const goalId = await history.goal({ title: 'Member firms', horizon: 'short_term', unit: 'firms', baseline: 10, target: 40 }, [
      { at: '2020-01-10T09:00:00Z', status: 'green' },
      { at: IN_PERIOD, status: 'yellow', comment: 'Two firms left' },
    ]);
    const activityId = await history.item('activity', { title: 'Member survey', due_date: LAST_DAY }, [
      { at: '2020-01-10T09:00:00Z', status: 'green', state: 'planned' },
      { at: IN_PERIOD, status: 'red', state: 'ongoing', comment: 'Blocked by GDPR review' },
    ]);
    return { ...funded, goalId, activityId, history };
  }

  function submit(f: Funded, key?: string, body: Record<string, unknown> = {}) {
    return t
      .api(key)
      .post(`/api/v1/clusters/${f.cluster.id}/report-submissions`)
      .send({ funderId: f.funder.id, period: QUARTER, ...body });
  }

  const pull = (path: string, key?: string, headers: Record<string, string> = {}) => {
    const req = t.api(key).get(path).buffer(true).parse(raw);
    for (const [name, value] of Object.entries(headers)) void req.set(name, value);
    return req;
  };

  it('goes submitted → acknowledged, keeps the exact bytes the funder would pull, and records a revision of each step', async () => {
    const f = await planned();
    const otherFunder = await fundedCluster(t, { reportingPeriod: 'quarterly', cluster: f.cluster }); // its amounts are not the first funder's business
    const editor = await t.key('editor', { clusterIds: [f.cluster.id], name: 'Findit process leader' });
    const funderKey = await t.key('funder', { funderId: f.funder.id, name: 'Vinnova officer' });

    const created = await submit(f, editor.secret, { comment: 'Q report' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      clusterId: f.cluster.id,
      funderId: f.funder.id,
      period: QUARTER,
      from: expect.any(String),
      to: expect.any(String),
      fromDate: expect.stringMatching(/^\d{4}-\d{2}-01$/),
      toDate: expect.stringMatching(/^\d{4}-\d{2}-3[01]$/),
      state: 'submitted',
      version: 1,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      submittedAt: expect.any(String),
      knownAt: expect.any(String),
      submittedBy: 'Findit process leader',
      comment: 'Q report',
      previousSubmissionId: null,
      decidedAt: null,
      decidedBy: null,
      decisionComment: null,
    });
    const id = created.body.id as string;

    // Known at the submission: its knownAt is its submittedAt.
    expect(created.body.knownAt).toBe(created.body.submittedAt);
    // The stored bytes: what the funder's own key pulls for the cluster and period as known at the submission, with the hash as ETag
    // and digest.
    const live = await pull(
      `/api/v1/clusters/${f.cluster.id}/report?period=${QUARTER}&knownAt=${encodeURIComponent(created.body.knownAt)}`,
      funderKey.secret,
    );
    const frozen = await pull(`/api/v1/report-submissions/${id}/report`, funderKey.secret);
    expect(frozen.status).toBe(200);
    const bytes = frozen.body as Buffer;
    expect(bytes.equals(live.body as Buffer)).toBe(true);
    const sha = createHash('sha256').update(bytes).digest();
    expect(created.body.sha256).toBe(sha.toString('hex'));
    expect(frozen.headers.etag).toBe(`"${sha.toString('hex')}"`);
    expect(frozen.headers['content-digest']).toBe(`sha-256=:${sha.toString('base64')}:`);
    expect(frozen.headers['content-type']).toMatch(/^application\/json/);
    const report = JSON.parse(bytes.toString('utf8'));
    expect(report.knownAt).toBe(created.body.knownAt);
    expect(report.clusters[0].fundings.map((x: { funderId: string }) => x.funderId)).toEqual([f.funder.id]);
    expect(bytes.toString('utf8')).not.toContain(otherFunder.funding.id);
    expect(report.clusters[0].activities[0]).toMatchObject({ title: 'Member survey', statusAtEnd: 'red' });
    expect((await pull(`/api/v1/report-submissions/${id}/report`, funderKey.secret, { 'If-None-Match': frozen.headers.etag })).status).toBe(
      304,
    );

    const acknowledged = await t
      .api(funderKey.secret)
      .post(`/api/v1/report-submissions/${id}/acknowledge`)
      .set('If-Match', '"1"')
      .send({ comment: 'Received, thank you.' });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.headers.etag).toBe('"2"');
    expect(acknowledged.body).toMatchObject({
      state: 'acknowledged',
      version: 2,
      decidedBy: 'Vinnova officer',
      decisionComment: 'Received, thank you.',
      decidedAt: expect.any(String),
    });
    expect((await t.api(editor.secret).get(`/api/v1/report-submissions/${id}`)).body).toMatchObject({ state: 'acknowledged' });

    const revisions = await t.api().get(`/api/v1/report-submissions/${id}/revisions`);
    expect(revisions.status).toBe(200);
    expect(revisions.body.items.map((r: { kind: string; version: number }) => [r.kind, r.version])).toEqual([
      ['status', 2],
      ['created', 1],
    ]);
    expect(revisions.body.items[0].changes).toEqual(expect.arrayContaining([{ field: 'state', from: 'submitted', to: 'acknowledged' }]));
    const [state] = await t.dataSource.query(
      `SELECT array_agg(state->>'state' ORDER BY position) AS states, array_agg(author ORDER BY position) AS authors
       FROM revision WHERE subject_type = 'report_submission' AND subject_id = $1`,
      [id],
    );
    expect(state).toEqual({ states: ['submitted', 'acknowledged'], authors: ['Findit process leader', 'Vinnova officer'] });

    // Decided: no second decision, either way.
    expectProblem(await t.api(funderKey.secret).post(`/api/v1/report-submissions/${id}/acknowledge`).send({}), 409);
    expectProblem(await t.api().post(`/api/v1/report-submissions/${id}/return`).send({ comment: 'Too late' }), 409);
    // And the period is taken: an acknowledged report is not submitted again.
    expectProblem(await submit(f, editor.secret), 409, 'period');
  });

  it('after a return, a new submission supersedes the returned one; only one is live at a time', async () => {
    const f = await planned();
    const funderKey = await t.key('funder', { funderId: f.funder.id });
    const first = await submit(f);
    expect(first.status).toBe(201);
    // The same period given as days is the same period.
    expectProblem(await submit(f, undefined, { period: undefined, from: FIRST_DAY, to: LAST_DAY }), 409, 'to');
    expectProblem(await submit(f), 409, 'period');

    const missing = expectProblem(
      await t.api(funderKey.secret).post(`/api/v1/report-submissions/${first.body.id}/return`).send({}),
      400,
      'comment',
    );
    expect(missing.errors).toEqual([{ field: 'comment', message: expect.stringMatching(/^comment is required/) }]);
    expectProblem(
      await t.api(funderKey.secret).post(`/api/v1/report-submissions/${first.body.id}/return`).send({ comment: '  ' }),
      400,
      'comment',
    );
    const returned = await t
      .api(funderKey.secret)
      .post(`/api/v1/report-submissions/${first.body.id}/return`)
      .send({ comment: 'Please add the survey figures.' });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ state: 'returned', decisionComment: 'Please add the survey figures.', version: 2 });
    expectProblem(await t.api(funderKey.secret).post(`/api/v1/report-submissions/${first.body.id}/acknowledge`).send({}), 409);

    const second = await submit(f, undefined, { comment: 'With the survey figures' });
    expect(second.status).toBe(201);
    expect(second.body.previousSubmissionId).toBe(first.body.id);

    const inbox = await t.api(funderKey.secret).get(`/api/v1/funders/${f.funder.id}/report-submissions?state=submitted`);
    expect(inbox.status).toBe(200);
    expect(inbox.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(inbox.body.items.map((s: { id: string }) => s.id)).toEqual([second.body.id]);
    const all = await t.api().get(`/api/v1/clusters/${f.cluster.id}/report-submissions?funderId=${f.funder.id}`);
    expect(all.body.items.map((s: { id: string }) => s.id)).toEqual([second.body.id, first.body.id]);
    const returnedOnly = await t.api().get(`/api/v1/clusters/${f.cluster.id}/report-submissions?state=returned&period=${QUARTER}`);
    expect(returnedOnly.body.items.map((s: { id: string }) => s.id)).toEqual([first.body.id]);
  });

  it('refuses a period that has not ended and a funder that does not fund the cluster in it (422 naming the field)', async () => {
    const f = await planned();
    expectProblem(await submit(f, undefined, { period: currentQuarter() }), 422, 'period');
    expectProblem(
      await submit(f, undefined, { period: undefined, from: FIRST_DAY, to: new Date(Date.now() + 3_600_000).toISOString() }),
      422,
      'to',
    );

    const other = await t.api().post('/api/v1/funders').send({ name: 'Not funding', kind: 'private' });
    expectProblem(await submit(f, undefined, { funderId: other.body.id }), 422, 'funderId');
    expectProblem(await submit(f, undefined, { funderId: '00000000-0000-4000-8000-000000000000' }), 422, 'funderId');

    // A funding of other years does not fund this quarter.
    const late = await fundedCluster(t, { reportingPeriod: 'quarterly', startsOn: '2034-01-01', endsOn: '2035-12-31' });
    expectProblem(await submit(late), 422, 'funderId');
    // A funding recorded only after the period ended did not fund it as the fundings stood then.
    const cluster = await createCluster(t);
    const funder = (await t.api().post('/api/v1/funders').send({ name: 'Recent funder', kind: 'private' })).body;
    await t
      .api()
      .post(`/api/v1/funders/${funder.id}/fundings`)
      .send({ clusterId: cluster.id, programme: 'New', amount: 1, startsOn: '2020-01-01', endsOn: '2035-12-31' })
      .expect(201);
    expectProblem(await submit({ cluster, funder, funding: {} }), 422, 'funderId');

    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM report_submission WHERE cluster_id = $1`, [f.cluster.id])).toEqual([
      { n: 0 },
    ]);
  });

  it("refuses a period that is not of the funder's rhythm (422 naming period); a period agreed as days is taken", async () => {
    // The half-year and the year before the last quarter's end, which have ended too.
    const half = Number(Q.slice(1)) <= 2 ? `${YEAR}-H1` : `${YEAR}-H2`;
    const halfYearly = await fundedCluster(t, { reportingPeriod: 'half_yearly' });
    const post = (f: Funded, body: Record<string, unknown>) =>
      t
        .api()
        .post(`/api/v1/clusters/${f.cluster.id}/report-submissions`)
        .send({ funderId: f.funder.id, ...body });
    const refused = expectProblem(await post(halfYearly, { period: QUARTER }), 422, 'period');
    expect(refused.detail).toBe(
      `${halfYearly.funder.name} takes one report per half-year: period must be a half-year such as 2026-H1, not ${QUARTER}.`,
    );
    const yearly = await fundedCluster(t, { reportingPeriod: 'yearly' });
    expectProblem(await post(yearly, { period: half }), 422, 'period');
    expectProblem(await post(yearly, { period: QUARTER }), 422, 'period');
    const quarterly = await fundedCluster(t, { reportingPeriod: 'quarterly' });
    expectProblem(await post(quarterly, { period: String(Number(YEAR) - 1) }), 422, 'period');
    const stored = `SELECT count(*)::int AS n FROM report_submission WHERE cluster_id = ANY($1)`;
    const clusters = [halfYearly, yearly, quarterly].map((f) => f.cluster.id as string);
    expect(await t.dataSource.query(stored, [clusters])).toEqual([{ n: 0 }]);

    // The funder's own rhythm is taken; so are days the cluster and funder agreed on (a funding that ends mid-period).
    expect((await post(halfYearly, { period: String(Number(YEAR) - 1) + '-H2' })).status).toBe(201);
    expect((await post(yearly, { period: String(Number(YEAR) - 1) })).status).toBe(201);
    expect((await post(quarterly, { from: FIRST_DAY, to: LAST_DAY })).status).toBe(201);
  });

  it('refuses malformed input with 400 naming the field', async () => {
    const f = await planned();
    expectProblem(await submit(f, undefined, { funderId: 'not-a-uuid' }), 400, 'funderId');
    expectProblem(await submit(f, undefined, { from: FIRST_DAY, to: LAST_DAY }), 400, 'period');
    expectProblem(await submit(f, undefined, { period: '2026-Q5' }), 400, 'period');
    expectProblem(await submit(f, undefined, { period: undefined, from: LAST_DAY, to: FIRST_DAY }), 400, 'from');
    expectProblem(await submit(f, undefined, { extra: 1 }), 400, 'extra');
    expectProblem(await submit(f, undefined, { comment: 'x'.repeat(5001) }), 400, 'comment');
    expectProblem(await t.api().get(`/api/v1/funders/${f.funder.id}/report-submissions?state=pending`), 400, 'state');
    expectProblem(await t.api().get(`/api/v1/clusters/${f.cluster.id}/report-submissions?limit=0`), 400, 'limit');
    expectProblem(await t.api().get('/api/v1/report-submissions/nope'), 400, 'submissionId');
    const ok = await submit(f);
    expectProblem(await t.api().get(`/api/v1/report-submissions/${ok.body.id}/report?format=pdf`), 400, 'format');
    expectProblem(await t.api().post(`/api/v1/report-submissions/${ok.body.id}/acknowledge`).send({ comment: 5 }), 400, 'comment');
    expectProblem(await t.api().post(`/api/v1/report-submissions/${ok.body.id}/acknowledge`).set('If-Match', 'bad').send({}), 400);
  });

  it('accepts the body Swagger UI pre-fills in "Try it out", once the funder\'s id and the period are put in', async () => {
    type Body = { examples?: Record<string, { value: Record<string, unknown> }>; example?: Record<string, unknown>; schema: Schema };
    type Schema = { $ref?: string; properties?: Record<string, { example?: unknown }> };
    const doc = (await t.api(null).get('/docs-json')).body;
    const body: Body = doc.paths['/api/v1/clusters/{clusterId}/report-submissions'].post.requestBody.content['application/json'];
    // As Swagger UI does: the first of the examples, else the example, else one built from every property's example.
    const schema: Schema = body.schema.$ref ? doc.components.schemas[body.schema.$ref.split('/').pop()!] : body.schema;
    const prefilled =
      Object.values(body.examples ?? {})[0]?.value ??
      body.example ??
      Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, p]) => [name, p.example]));
    // Every example offered, each with this test's funder and last quarter put in.
    for (const example of [prefilled, ...Object.values(body.examples ?? {}).map((e) => e.value)]) {
      expect(example).toHaveProperty('funderId');
      const f = await planned();
      const dates = 'from' in example ? { from: FIRST_DAY, to: LAST_DAY } : {};
      const period = 'period' in example ? { period: QUARTER } : {};
      const tried = await t
        .api()
        .post(`/api/v1/clusters/${f.cluster.id}/report-submissions`)
        .send({ ...example, funderId: f.funder.id, ...period, ...dates });
      expect([example, tried.status, tried.body.errors]).toEqual([example, 201, undefined]);
    }
  });

  it('answers 404 to keys that may not read a submission and 403 to those that may read but not act', async () => {
    const f = await planned();
    const other = await fundedCluster(t, { reportingPeriod: 'quarterly', cluster: f.cluster });
    const editor = await t.key('editor', { clusterIds: [f.cluster.id] });
    const otherEditor = await t.key('editor', { clusterIds: [(await createCluster(t)).id] });
    const funderKey = await t.key('funder', { funderId: f.funder.id });
    const otherFunderKey = await t.key('funder', { funderId: other.funder.id });
    const viewer = await t.key('viewer');
    const id = (await submit(f, editor.secret)).body.id as string;
    const toOther = (await submit(other, editor.secret)).body.id as string;

    // Another funder of the same cluster: the submission to the first does not exist for it.
    for (const path of ['', '/report', '/late-entries', '/revisions']) {
      expectProblem(await t.api(otherFunderKey.secret).get(`/api/v1/report-submissions/${id}${path}`), 404);
      expectProblem(await t.api(otherEditor.secret).get(`/api/v1/report-submissions/${id}${path}`), 404);
    }
    expectProblem(await t.api(otherFunderKey.secret).post(`/api/v1/report-submissions/${id}/acknowledge`).send({}), 404);
    expectProblem(await t.api(otherEditor.secret).post(`/api/v1/report-submissions/${id}/return`).send({ comment: 'x' }), 404);
    expectProblem(await t.api(otherEditor.secret).get(`/api/v1/clusters/${f.cluster.id}/report-submissions`), 404);
    expectProblem(await submit(f, otherEditor.secret), 404);
    const clusterList = await t.api(otherFunderKey.secret).get(`/api/v1/clusters/${f.cluster.id}/report-submissions`);
    expect(clusterList.body.items.map((s: { id: string }) => s.id)).toEqual([toOther]);
    expectProblem(await t.api(otherFunderKey.secret).get(`/api/v1/funders/${f.funder.id}/report-submissions`), 404);

    // Those who may read but not decide: 403.
    expectProblem(await t.api(editor.secret).post(`/api/v1/report-submissions/${id}/acknowledge`).send({}), 403);
    expectProblem(await t.api(viewer.secret).post(`/api/v1/report-submissions/${id}/return`).send({ comment: 'x' }), 403);
    expectProblem(await submit(f, funderKey.secret), 403);
    expectProblem(await submit(f, viewer.secret), 403);
    expect((await t.api(viewer.secret).get(`/api/v1/report-submissions/${id}`)).status).toBe(200);
    expect((await t.api(funderKey.secret).get(`/api/v1/report-submissions/${id}`)).status).toBe(200);
    expect((await t.api(editor.secret).get(`/api/v1/funders/${f.funder.id}/report-submissions`)).body.total).toBe(1);
  });

  it('replays a submission retried with the same Idempotency-Key instead of submitting twice', async () => {
    const f = await planned();
    const first = await submit(f).set('Idempotency-Key', 'q-report-1');
    expect(first.status).toBe(201);
    const retry = await submit(f).set('Idempotency-Key', 'q-report-1');
    expect(retry.status).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    // Another key for the same period is a new request: the period is taken.
    expectProblem(await submit(f).set('Idempotency-Key', 'q-report-2'), 409, 'period');
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM report_submission WHERE cluster_id = $1`, [f.cluster.id])).toEqual([
      { n: 1 },
    ]);
    expect(
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM submitted_report r JOIN report_submission s ON s.id = r.submission_id WHERE s.cluster_id = $1`,
        [f.cluster.id],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('honours If-Match on a decision: a stale version is a 412 and changes nothing', async () => {
    const f = await planned();
    const id = (await submit(f)).body.id as string;
    expectProblem(await t.api().post(`/api/v1/report-submissions/${id}/acknowledge`).set('If-Match', '"7"').send({}), 412);
    expect((await t.api().get(`/api/v1/report-submissions/${id}`)).body).toMatchObject({ state: 'submitted', version: 1 });
  });

  it('of an acknowledgement and a return at once, exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const f = await planned();
      const funderKey = await t.key('funder', { funderId: f.funder.id });
      const id = (await submit(f)).body.id as string;
      const [ack, ret] = await Promise.all([
        t.api(funderKey.secret).post(`/api/v1/report-submissions/${id}/acknowledge`).send({}),
        t.api().post(`/api/v1/report-submissions/${id}/return`).send({ comment: 'Incomplete' }),
      ]);
      expect([ack.status, ret.status].sort()).toEqual([200, 409]);
      const winner = ack.status === 200 ? 'acknowledged' : 'returned';
      expect((await t.api().get(`/api/v1/report-submissions/${id}`)).body).toMatchObject({ state: winner, version: 2 });
      const revisions = await t.dataSource.query(`SELECT kind FROM revision WHERE subject_id = $1`, [id]);
      expect(revisions).toHaveLength(2);
    }
  });

  it('of submissions made at once, exactly one is created', async () => {
    const f = await planned();
    const editor = await t.key('editor', { clusterIds: [f.cluster.id] });
    const results = await Promise.all(Array.from({ length: 4 }, () => submit(f, editor.secret)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expectProblem(r, 409, 'period');
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM report_submission WHERE cluster_id = $1`, [f.cluster.id])).toEqual([
      { n: 1 },
    ]);
  });

  it('sends the frozen bytes as they are, never content-coded, so that Content-Digest is the digest of what arrives', async () => {
    const f = await planned();
    for (let i = 0; i < 6; i++) {
      await f.history.item('activity', { title: `Workshop series on shared digital services, part ${i + 1}`, due_date: LAST_DAY }, [
        { at: '2020-01-10T09:00:00Z', status: 'green', state: 'planned' },
        { at: IN_PERIOD, status: 'yellow', state: 'ongoing', comment: 'Fewer participants than hoped for this autumn' },
      ]);
    }
    const created = await submit(f);
    for (const encoding of ['gzip', 'br', 'gzip, br']) {
      for (const format of ['', '?format=csv']) {
        const res = await pull(`/api/v1/report-submissions/${created.body.id}/report${format}`, undefined, { 'Accept-Encoding': encoding });
        expect(res.status).toBe(200);
        expect(res.headers['content-encoding']).toBeUndefined();
        const body = res.body as Buffer;
        expect(body.length).toBeGreaterThan(1024); // large enough that it would be compressed otherwise
        expect(res.headers['content-digest']).toBe(`sha-256=:${createHash('sha256').update(body).digest('base64')}:`);
        if (!format) expect(createHash('sha256').update(body).digest('hex')).toBe(created.body.sha256);
      }
    }
  });

  it('writes CSV and XLSX from the frozen JSON, not from the live plan', async () => {
    const f = await planned();
    const id = (await submit(f)).body.id as string;
    const path = `/api/v1/report-submissions/${id}/report`;
    const csv = await pull(`${path}?format=csv&lang=sv&delimiter=semicolon`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text).toContain('Member survey');
    expect(text).toContain('röd');
    expect(text).toContain('Blocked by GDPR review'); // the latest comment, frozen with the report
    expect(csv.headers['content-digest']).toBe(
      `sha-256=:${createHash('sha256')
        .update(csv.body as Buffer)
        .digest('base64')}:`,
    );
    expect(csv.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    const liveCsvPath = `/api/v1/clusters/${f.cluster.id}/report?period=${QUARTER}&format=csv&lang=sv&delimiter=semicolon`;
    expect(((await pull(liveCsvPath)).body as Buffer).equals(csv.body as Buffer)).toBe(true); // the same rows, until the plan's past is corrected
    const xlsx = await pull(`${path}?format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');

    // A correction written into the period afterwards changes the live report for it, never the submitted one.
    await f.history.measurement(f.goalId, 1, FIRST_DAY, IN_PERIOD);
    await t.dataSource.query(
      `INSERT INTO status_update (subject_type, subject_id, cluster_id, status, state, comment, author, created_at)
       VALUES ('activity', $1, $2, 'green', 'done', 'Done after all', 'Late author', $3)`,
      [f.activityId, f.cluster.id, `${LAST_DAY}T08:00:00Z`],
    );
    // History written by hand into an ended period: its kept report is dropped, as after any repair of history in SQL.
    await t.dataSource.query(`DELETE FROM kept_report`);
    const liveAfter = ((await pull(liveCsvPath)).body as Buffer).toString('utf8');
    expect(liveAfter).toContain('Done after all');
    const again = await pull(`${path}?format=csv&lang=sv&delimiter=semicolon`);
    expect((again.body as Buffer).equals(csv.body as Buffer)).toBe(true);
    expect(again.headers.etag).toBe(csv.headers.etag);
    expect((await pull(`${path}?format=csv&lang=sv&delimiter=semicolon`, undefined, { 'If-None-Match': csv.headers.etag })).status).toBe(
      304,
    );
    expect(((await pull(`${path}?format=xlsx`)).body as Buffer).equals(xlsx.body as Buffer)).toBe(true);
  });

  /** The paths (`clusters.0.goals.1.indicator.latestValue`) at which two JSON values differ, in document order. */
  function differences(a: unknown, b: unknown, path = ''): string[] {
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
      return keys.flatMap((k) =>
        differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k),
      );
    }
    return a === b ? [] : [path];
  }

  it('completes a returned report: the resubmission differs from the returned one exactly by what was recorded in between', async () => {
    const f = await planned();
    const editor = await t.key('editor', { clusterIds: [f.cluster.id], name: 'Findit process leader' });
    const funderKey = await t.key('funder', { funderId: f.funder.id, name: 'Vinnova officer' });
    // Measured in the period and recorded then: in every report of it.
    await f.history.measurement(f.goalId, 8, FIRST_DAY, IN_PERIOD);
    // Measured in the period, recorded after it but before the first submission: known at the submission, not at the period's end.
    await f.history.measurement(f.goalId, 9, FIRST_DAY, new Date(Date.now() - 60_000).toISOString());

    // The period's text, first version.
    const narrativePath = `/api/v1/clusters/${f.cluster.id}/narratives/${QUARTER}`;
    const narrative = await t
      .api(editor.secret)
      .put(narrativePath)
      .send({ summary: 'Ett kvartal av mobilisering.', results: 'Två nya medlemsföretag.' });
    expect(narrative.status).toBe(200);

    const first = await submit(f, editor.secret, { comment: 'Our report' });
    expect(first.status).toBe(201);
    const firstReport = JSON.parse(((await pull(`/api/v1/report-submissions/${first.body.id}/report`)).body as Buffer).toString('utf8'));
    expect(firstReport.clusters[0].goals[0].indicator).toMatchObject({ latestValue: 9, latestMeasuredOn: FIRST_DAY });
    expect(firstReport.clusters[0].narrative).toEqual({
      id: narrative.body.id,
      period: QUARTER,
      version: 1,
      summary: 'Ett kvartal av mobilisering.',
      results: 'Två nya medlemsföretag.',
      deviations: null,
      nextSteps: null,
    });
    expect((await t.api().get(`/api/v1/report-submissions/${first.body.id}/late-entries`)).body).toMatchObject({ items: [], total: 0 });

    const returned = await t
      .api(funderKey.secret)
      .post(`/api/v1/report-submissions/${first.body.id}/return`)
      .send({ comment: 'Please add the member survey results.' });
    expect(returned.status).toBe(200);

    // The cluster completes the period: the survey, measured on its last day.
    const survey = await t
      .api(editor.secret)
      .post(`/api/v1/goals/${f.goalId}/measurements`)
      .send({ value: 31, measuredOn: LAST_DAY, comment: 'Member survey' });
    expect(survey.status).toBe(201);
    // ... and the text of the period.
    const completed = await t.api(editor.secret).put(narrativePath).set('If-Match', '"1"').send({
      summary: 'Ett kvartal av mobilisering.',
      results: 'Två nya medlemsföretag. Medlemsenkäten: 31 svar.',
    });
    expect(completed.body.version).toBe(2);
    // Now late for the returned report.
    const lateForFirst = await t.api().get(`/api/v1/report-submissions/${first.body.id}/late-entries`);
    expect(lateForFirst.body.items.map((m: { id: string }) => m.id)).toEqual([survey.body.id]);

    const second = await submit(f, editor.secret, { comment: 'With the member survey' });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ previousSubmissionId: first.body.id, knownAt: second.body.submittedAt });
    expect(second.body.sha256).not.toBe(first.body.sha256);
    const secondBytes = (await pull(`/api/v1/report-submissions/${second.body.id}/report`)).body as Buffer;
    expect(createHash('sha256').update(secondBytes).digest('hex')).toBe(second.body.sha256);
    const secondReport = JSON.parse(secondBytes.toString('utf8'));
    // Exactly the completions differ (and the moment each is known at).
    expect(differences(firstReport, secondReport)).toEqual([
      'knownAt',
      'clusters.0.narrative.version',
      'clusters.0.narrative.results',
      'clusters.0.goals.0.indicator.latestValue',
      'clusters.0.goals.0.indicator.latestMeasuredOn',
      'clusters.0.goals.0.indicator.progressPercent',
    ]);
    expect(secondReport.clusters[0].narrative).toMatchObject({ version: 2, results: 'Två nya medlemsföretag. Medlemsenkäten: 31 svar.' });
    expect(secondReport.knownAt).toBe(second.body.knownAt);
    expect(secondReport.clusters[0].goals[0].indicator).toMatchObject({ latestValue: 31, latestMeasuredOn: LAST_DAY, progressPercent: 70 });

    // Nothing recorded after the resubmission: nothing late, until something is.
    const lateForSecond = () => t.api(funderKey.secret).get(`/api/v1/report-submissions/${second.body.id}/late-entries`);
    expect((await lateForSecond()).body).toMatchObject({ items: [], total: 0 });
    await t.api(editor.secret).post(`/api/v1/goals/${f.goalId}/measurements`).send({ value: 32, measuredOn: '2019-12-31' }).expect(201);
    expect((await lateForSecond()).body).toMatchObject({ items: [], total: 0 }); // measured outside the period
    const correction = await t
      .api(editor.secret)
      .post(`/api/v1/goals/${f.goalId}/measurements`)
      .send({ value: 33, measuredOn: LAST_DAY, comment: 'Recount' });
    expect((await lateForSecond()).body.items.map((m: { id: string }) => m.id)).toEqual([correction.body.id]);

    const acknowledged = await t.api(funderKey.secret).post(`/api/v1/report-submissions/${second.body.id}/acknowledge`).send({});
    expect(acknowledged.body).toMatchObject({ state: 'acknowledged' });
    // The frozen reports never change.
    expect(((await pull(`/api/v1/report-submissions/${second.body.id}/report`)).body as Buffer).equals(secondBytes)).toBe(true);
  });

  it('lists the measurements recorded after the submission whose day falls in its period', async () => {
    const f = await planned();
    const before = new Date(Date.now() - 60_000).toISOString();
    await f.history.measurement(f.goalId, 10, FIRST_DAY, before); // recorded before: in the report, not late
    const id = (await submit(f)).body.id as string;
    await t
      .api()
      .post(`/api/v1/goals/${f.goalId}/measurements`)
      .send({ value: 12, measuredOn: LAST_DAY, comment: 'Corrected count' })
      .then((r) => expect([r.status, r.body]).toEqual([201, expect.anything()]));
    await t.api().post(`/api/v1/goals/${f.goalId}/measurements`).send({ value: 13, measuredOn: '2019-12-31' }).expect(201);
    const late = await t.api().get(`/api/v1/report-submissions/${id}/late-entries`);
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(late.body.items).toEqual([
      {
        id: expect.any(String),
        goalId: f.goalId,
        goalTitle: 'Member firms',
        value: 12,
        measuredOn: LAST_DAY,
        comment: 'Corrected count',
        recordedAt: expect.any(String),
        author: expect.any(String),
      },
    ]);
    expect((await t.api().get(`/api/v1/report-submissions/${id}/late-entries?offset=5`)).body).toMatchObject({ items: [], total: 1 });
  });

  it('answers 404 to late-entries for a funder whose funding of the cluster was archived; its submission and frozen report stay readable', async () => {
    const f = await planned();
    const funderKey = (await t.key('funder', { funderId: f.funder.id })).secret;
    const id = (await submit(f)).body.id as string;
    await t
      .api()
      .post(`/api/v1/goals/${f.goalId}/measurements`)
      .send({ value: 12, measuredOn: LAST_DAY, comment: 'Secret count' })
      .expect(201);
    expect((await t.api(funderKey).get(`/api/v1/report-submissions/${id}/late-entries`)).body.total).toBe(1);

    expect((await t.api().delete(`/api/v1/fundings/${f.funding.id}`)).status).toBe(204);
    await t
      .api()
      .post(`/api/v1/goals/${f.goalId}/measurements`)
      .send({ value: 14, measuredOn: LAST_DAY, comment: 'Newer count' })
      .expect(201);
    // Access is decided as of now: the cluster's new measurements are no longer the funder's to read.
    const late = await t.api(funderKey).get(`/api/v1/report-submissions/${id}/late-entries`);
    expectProblem(late, 404);
    expect(JSON.stringify(late.body)).not.toContain('count');
    // What was sent to it stays its own.
    expect((await t.api(funderKey).get(`/api/v1/report-submissions/${id}`)).status).toBe(200);
    expect((await t.api(funderKey).get(`/api/v1/report-submissions/${id}/report`)).status).toBe(200);
    // Keys that still read the cluster see both late entries.
    expect((await t.api().get(`/api/v1/report-submissions/${id}/late-entries`)).body.total).toBe(2);
  });

  it('keeps the frozen report append-only in the database, its hash checked against its bytes', async () => {
    const f = await planned();
    const id = (await submit(f)).body.id as string;
    await expect(t.dataSource.query(`UPDATE submitted_report SET body = 'x' WHERE submission_id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.dataSource.query(`DELETE FROM submitted_report WHERE submission_id = $1`, [id])).rejects.toThrow(/append-only/);
    const [{ sha256 }] = await t.dataSource.query(`SELECT sha256 FROM submitted_report WHERE submission_id = $1`, [id]);
    await expect(
      t.dataSource.query(
        `INSERT INTO submitted_report (submission_id, body, sha256, latest_comments) SELECT gen_random_uuid(), 'x', $1, '{}'`,
        [sha256],
      ),
    ).rejects.toThrow(/ck_submitted_report__sha256|violates/);
  });
});
