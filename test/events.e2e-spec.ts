import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { fundedCluster, lastQuarter } from './support/submissions.js';

interface FeedEvent {
  id: string;
  cursor: string;
  type: string;
  clusterId: string | null;
  subject: { type: string; id: string };
  version: number;
  author: string;
  data: Record<string, any>;
}

/** GET /events: types, data in the shape of the GET, visibility, filters, long polling. */
describe('the events feed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  /** Every event after `after` the key may see, following next until a page is empty. */
  async function drain(key: string, after?: string, query = ''): Promise<{ events: FeedEvent[]; next: string }> {
    const events: FeedEvent[] = [];
    let next = after;
    for (;;) {
      const res = await t
        .api(key)
        .get(`/api/v1/events?limit=200${next ? `&after=${next}` : ''}${query}`)
        .expect(200);
      events.push(...(res.body.items as FeedEvent[]));
      next = res.body.next as string;
      if (res.body.items.length === 0) return { events, next };
    }
  }

  it('tells creations, changes, status changes, archives and measurements, each with the resource as its GET shows it', async () => {
    const start = (await drain(t.adminKey)).next;
    const cluster = await createCluster(t);
    const goal = await createGoal(t, cluster.id, { indicator: { unit: 'firms', baseline: 10, target: 50 } });
    await t.api().patch(`/api/v1/goals/${goal.id}`).send({ title: 'Forty firms' }).expect(200);
    await t.api().post(`/api/v1/goals/${goal.id}/status-updates`).send({ status: 'yellow', comment: 'Slow' }).expect(201);
    const m = await t.api().post(`/api/v1/goals/${goal.id}/measurements`).send({ value: 30, measuredOn: '2026-03-31' }).expect(201);
    await t.api().delete(`/api/v1/goals/${goal.id}`).expect(204);
    await t.api().patch(`/api/v1/clusters/${cluster.id}`).send({ vision: 'Bigger' }).expect(200);

    const { events } = await drain(t.adminKey, start);
    expect(events.map((e) => e.type)).toEqual([
      'cluster.created',
      'goal.created',
      'goal.updated',
      'goal.status_changed',
      'measurement.recorded',
      'goal.archived',
      'cluster.updated',
    ]);
    const [created, updated, status, measured, archived] = events.slice(1);
    expect(created).toMatchObject({ clusterId: cluster.id, subject: { type: 'goal', id: goal.id }, version: 1 });
    expect(created.author).toBe('admin (ADMIN_API_KEY)');
    // The resource after the change, as GET answered it then.
    const { changes, ...createdData } = created.data;
    expect(createdData).toEqual({ ...goal });
    expect(changes).toEqual(expect.arrayContaining([{ field: 'title', from: null, to: goal.title }]));
    expect(updated.data).toMatchObject({
      title: 'Forty firms',
      version: 2,
      changes: [{ field: 'title', from: goal.title, to: 'Forty firms' }],
    });
    expect(status.data).toMatchObject({ status: 'yellow', changes: [{ field: 'status', from: 'green', to: 'yellow' }] });
    const { changes: measuredChanges, ...measurement } = measured.data;
    expect(measurement).toEqual(m.body);
    expect(measuredChanges).toEqual(expect.arrayContaining([{ field: 'value', from: null, to: 30 }]));
    expect(archived.data.archivedAt).toEqual(expect.any(String));
    // Ids are UUIDs, cursors go up.
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events[0].id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('filters by types and clusterId; an unknown type or a bad cursor is a 400 naming the field', async () => {
    const start = (await drain(t.adminKey)).next;
    const a = await createCluster(t);
    const b = await createCluster(t);
    const ga = await createGoal(t, a.id);
    await createGoal(t, b.id);
    await t.api().post(`/api/v1/goals/${ga.id}/status-updates`).send({ status: 'yellow', comment: 'x' }).expect(201);
    const onlyA = await drain(t.adminKey, start, `&clusterId=${a.id}`);
    expect(onlyA.events.map((e) => e.type)).toEqual(['cluster.created', 'goal.created', 'goal.status_changed']);
    const statusOnly = await drain(t.adminKey, start, '&types=goal.status_changed,cluster.archived');
    expect(statusOnly.events.map((e) => e.subject.id)).toEqual([ga.id]);
    const twoParams = await drain(t.adminKey, start, '&types=goal.created&types=cluster.created');
    expect(twoParams.events).toHaveLength(4);

    expectProblem(await t.api().get('/api/v1/events?types=goal.exploded'), 400, 'types');
    expectProblem(await t.api().get(`/api/v1/events?types=${'goal.created,'.repeat(200)}goal.created`), 400, 'types');
    expectProblem(await t.api().get('/api/v1/events?after=42'), 400, 'after');
    expectProblem(await t.api().get('/api/v1/events?clusterId=nope'), 400, 'clusterId');
    expectProblem(await t.api().get('/api/v1/events?wait=31'), 400, 'wait');
    for (const wait of ['1.5', '31', '-1', 'soon']) {
      const body = expectProblem(await t.api().get(`/api/v1/events?wait=${wait}`), 400, 'wait');
      expect(body.errors).toEqual([{ field: 'wait', message: 'wait must be a whole number of seconds from 0 to 30' }]);
    }
    expectProblem(await t.api().get('/api/v1/events?limit=0'), 400, 'limit');
    expectProblem(await t.api().get('/api/v1/events?since=1'), 400);
  });

  it('shows a funder key only its clusters, and a page filtered down to nothing still moves next on', async () => {
    const mine = await createCluster(t);
    const theirs = await createCluster(t);
    const funder = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' }).expect(201)).body;
    const other = (await t.api().post('/api/v1/funders').send({ name: 'Region', kind: 'county_council' }).expect(201)).body;
    const fund = (f: string, c: string) =>
      t
        .api()
        .post(`/api/v1/funders/${f}/fundings`)
        .send({ clusterId: c, programme: 'P', amount: 1000, startsOn: '2026-01-01', endsOn: '2026-12-31' })
        .expect(201);
    await fund(funder.id, mine.id);
    await fund(other.id, theirs.id);
    await fund(other.id, mine.id); // another funder's funding of my cluster: not mine to see
    const key = (await t.key('funder', { funderId: funder.id })).secret;
    const start = (await drain(key)).next;
    await createGoal(t, mine.id);
    for (let i = 0; i < 5; i++) await createGoal(t, theirs.id);

    const { events } = await drain(key, start);
    expect(events.map((e) => e.type)).toEqual(['goal.created']);
    expect(events.every((e) => e.clusterId === mine.id)).toBe(true);
    const everything = await drain(key);
    expect(everything.events.filter((e) => e.clusterId !== mine.id)).toEqual([]);
    expect(everything.events.filter((e) => e.type.startsWith('funding.')).map((e) => e.data.funderId)).toEqual([funder.id]);
    const asked = await t.api(key).get(`/api/v1/events?clusterId=${theirs.id}`).expect(200);
    expect(asked.body.items).toEqual([]);

    // Only others' events since: the page is empty, but next moves past them.
    const before = (await drain(key)).next;
    for (let i = 0; i < 3; i++) await createGoal(t, theirs.id);
    const page = await t.api(key).get(`/api/v1/events?after=${before}`).expect(200);
    expect(page.body.items).toEqual([]);
    expect(page.body.next).not.toBe(before);
    const admin = await drain(t.adminKey, before);
    expect(admin.events.at(-1)?.cursor).toBe(page.body.next);
  });

  it('submitted, acknowledged and returned reports are events, seen by their funder only', async () => {
    const mineFunded = await fundedCluster(t, { reportingPeriod: 'quarterly' });
    const otherFunded = await fundedCluster(t, { reportingPeriod: 'quarterly', cluster: mineFunded.cluster });
    const mine = (await t.key('funder', { funderId: mineFunded.funder.id })).secret;
    const theirs = (await t.key('funder', { funderId: otherFunded.funder.id })).secret;
    const start = (await drain(t.adminKey)).next;
    const submit = async () => {
      const res = await t
        .api()
        .post(`/api/v1/clusters/${mineFunded.cluster.id}/report-submissions`)
        .send({ funderId: mineFunded.funder.id, period: lastQuarter() });
      expect([res.status, res.body.detail]).toEqual([201, undefined]);
      return res.body as Record<string, any>;
    };
    const first = await submit();
    await t.api(mine).post(`/api/v1/report-submissions/${first.id}/return`).send({ comment: 'Incomplete' }).expect(200);
    const second = await submit();
    await t.api(mine).post(`/api/v1/report-submissions/${second.id}/acknowledge`).send({}).expect(200);

    const types = '&types=report_submission.submitted,report_submission.acknowledged,report_submission.returned';
    const seen = (await drain(mine, start, types)).events;
    expect(seen.map((e) => [e.type, e.subject.id])).toEqual([
      ['report_submission.submitted', first.id],
      ['report_submission.returned', first.id],
      ['report_submission.submitted', second.id],
      ['report_submission.acknowledged', second.id],
    ]);
    expect(seen[3].data).toMatchObject({ id: second.id, state: 'acknowledged', funderId: mineFunded.funder.id, sha256: second.sha256 });
    expect(seen[3].data.changes).toEqual(expect.arrayContaining([{ field: 'state', from: 'submitted', to: 'acknowledged' }]));
    // Another funder of the same cluster does not see reports submitted to someone else.
    expect((await drain(theirs, start, types)).events).toEqual([]);
  });

  it('wait holds the request until an event arrives, and answers at once when one is there', async () => {
    const cluster = await createCluster(t);
    const start = (await drain(t.adminKey)).next;
    const started = Date.now();
    const answer = (async () => await t.api().get(`/api/v1/events?after=${start}&wait=10`))();
    await new Promise((r) => setTimeout(r, 400));
    const goal = await createGoal(t, cluster.id);
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: FeedEvent) => e.subject.id)).toEqual([goal.id]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(Date.now() - started).toBeLessThan(5000);

    // Nothing happens: the request ends after `wait`, with next where the feed stands.
    const quiet = Date.now();
    const empty = await t.api().get(`/api/v1/events?after=${res.body.next}&wait=1`).expect(200);
    expect(empty.body).toEqual({ items: [], next: res.body.next });
    expect(Date.now() - quiet).toBeGreaterThanOrEqual(900);
  });
});
