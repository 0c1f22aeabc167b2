import { startTestApp, type TestApp } from './support/app.js';
import { HistoryBuilder } from './support/history.js';
import { expectProblem } from './support/problem.js';
import { fundedCluster, lastQuarter } from './support/submissions.js';
import { ownStatements } from './support/statements.js';

const LATER = lastQuarter();
const [YEAR, Q] = LATER.split('-');
const EARLIER = Q === 'Q1' ? `${Number(YEAR) - 1}-Q4` : `${YEAR}-Q${Number(Q[1]) - 1}`;
const FIRST_MONTH = { Q1: '02', Q2: '05', Q3: '08', Q4: '11' }[Q]!;
const IN_LATER = `${YEAR}-${FIRST_MONTH}-15T10:00:00Z`;
const IN_EARLIER = new Date(Date.UTC(Number(YEAR), Number(FIRST_MONTH) - 4, 15, 10)).toISOString();
const LONG_AGO = '2020-01-10T09:00:00Z';

describe('GET /report-submissions/{id}/compare', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  /** A funded cluster whose plan changed in the last quarter (and a risk archived in the one before), with its reports of the quarter before and the last one submitted. */
  async function submitted() {
    const funded = await fundedCluster(t, { reportingPeriod: 'quarterly' });
    const history = new HistoryBuilder(t.dataSource, funded.cluster.id);
    await history.backdate('cluster', funded.cluster.id, '2000-01-01T00:00:00Z');
    const goal = await history.goal({ title: 'Member firms', horizon: 'short_term' }, [
      { at: LONG_AGO, status: 'green' },
      { at: IN_LATER, status: 'yellow', comment: 'Two firms left' },
    ]);
    const activity = await history.item('activity', { title: 'Member survey' }, [
      { at: LONG_AGO, status: 'green', state: 'planned' },
      { at: IN_LATER, status: 'red', state: 'ongoing', comment: 'Blocked' },
    ]);
    const same = await history.item('activity', { title: 'Newsletter' }, [{ at: LONG_AGO, status: 'green', state: 'ongoing' }]);
    const fruit = await history.item('low_hanging_fruit', { what: 'Joint tender', when: '2030-01-01' }, [
      { at: IN_LATER, status: 'green', state: 'planned' },
    ]);
    const risk = await history.risk({ title: 'Firms leave', likelihood: 3, impact: 4, archivedAt: IN_EARLIER }, [
      { at: LONG_AGO, status: 'green', state: 'open' },
    ]);
    const submit = async (period: string) => {
      const res = await t
        .api()
        .post(`/api/v1/clusters/${funded.cluster.id}/report-submissions`)
        .send({ funderId: funded.funder.id, period });
      if (res.status !== 201) throw new Error(`submit ${period}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Record<string, any>;
    };
    const earlier = await submit(EARLIER);
    const later = await submit(LATER);
    return { ...funded, goal, activity, same, fruit, risk, earlier, later };
  }

  const compare = (id: string, withId?: string, key?: string) =>
    t
      .api(key)
      .get(`/api/v1/report-submissions/${id}/compare`)
      .query(withId === undefined ? {} : { with: withId });

  it('compares the two frozen reports item by item, the earlier period first whichever is asked, with the revisions between', async () => {
    const s = await submitted();
    // Written after both submissions: the frozen reports, and so their comparison, do not change.
    expect((await t.api().patch(`/api/v1/activities/${s.same}`).send({ title: 'Monthly newsletter' })).status).toBe(200);

    const res = await compare(s.later.id, s.earlier.id);
    expect(res.status).toBe(200);
    expect(res.body.from).toEqual({
      submissionId: s.earlier.id,
      period: EARLIER,
      from: s.earlier.from,
      to: s.earlier.to,
      submittedAt: s.earlier.submittedAt,
      knownAt: s.earlier.knownAt,
      sha256: s.earlier.sha256,
    });
    expect(res.body.to).toMatchObject({ submissionId: s.later.id, period: LATER, sha256: s.later.sha256 });
    expect(res.body.items.map((i: any) => [i.subject.type, i.subject.id, i.change])).toEqual([
      ['goal', s.goal, 'changed'],
      ['activity', s.activity, 'changed'],
      ['low_hanging_fruit', s.fruit, 'added'],
      ['risk', s.risk, 'archived'],
    ]);
    const [goal, activity, fruit, risk] = res.body.items;
    expect(goal.subject.title).toBe('Member firms');
    expect(goal.fields).toEqual([{ field: 'statusAtEnd', from: 'green', to: 'yellow' }]);
    expect(activity.fields).toEqual(
      expect.arrayContaining([
        { field: 'stateAtEnd', from: 'planned', to: 'ongoing' },
        { field: 'statusAtEnd', from: 'green', to: 'red' },
      ]),
    );
    expect(fruit.fields).toEqual(expect.arrayContaining([{ field: 'what', from: null, to: 'Joint tender' }]));
    expect(fruit.revisions).toEqual([{ version: expect.any(Number), recordedAt: new Date(IN_LATER).toISOString(), author: 'Test author' }]);
    expect(risk.fields).toEqual(expect.arrayContaining([{ field: 'title', from: 'Firms leave', to: null }]));
    // Archived in the earlier period: in its report, gone from the later one, with no revision between them.
    expect(risk.revisions).toEqual([]);
    expect(activity.revisions).toEqual([]);

    // Asked the other way round, the same answer.
    expect((await compare(s.earlier.id, s.later.id)).body).toEqual(res.body);
    // A submission compared with itself: nothing differs.
    expect((await compare(s.later.id, s.later.id)).body.items).toEqual([]);
  });

  it("shows what a resubmission after a return added: the period narrative, as the cluster's fields", async () => {
    const s = await submitted();
    const funderKey = await t.key('funder', { funderId: s.funder.id });
    expect(
      (await t.api(funderKey.secret).post(`/api/v1/report-submissions/${s.later.id}/return`).send({ comment: 'No text' })).status,
    ).toBe(200);
    const narrative = await t.api().put(`/api/v1/clusters/${s.cluster.id}/narratives/${LATER}`).send({ summary: 'Formation done' });
    expect(narrative.status).toBeLessThan(300);
    const again = await t.api().post(`/api/v1/clusters/${s.cluster.id}/report-submissions`).send({ funderId: s.funder.id, period: LATER });
    expect(again.status).toBe(201);

    const res = await compare(again.body.id, s.later.id, funderKey.secret);
    expect(res.status).toBe(200);
    expect([res.body.from.submissionId, res.body.to.submissionId]).toEqual([s.later.id, again.body.id]);
    expect(res.body.items).toEqual([
      {
        subject: { type: 'cluster', id: s.cluster.id, title: s.cluster.name },
        change: 'changed',
        fields: [{ field: 'narrative.summary', from: null, to: 'Formation done' }],
        revisions: [],
      },
    ]);
  });

  it('makes two statements, whatever the size of the reports', async () => {
    const s = await submitted();
    const { result, statements } = await ownStatements(t, () => compare(s.later.id, s.earlier.id));
    expect(result.status).toBe(200);
    expect(statements).toHaveLength(2);
  });

  it('answers 404 for a submission the caller may not read, 422 for another cluster or funder, 400 for a missing or bad with', async () => {
    const s = await submitted();
    const elsewhere = await submitted();
    const otherFunder = await fundedCluster(t, { reportingPeriod: 'quarterly', cluster: s.cluster });
    const toOther = await t
      .api()
      .post(`/api/v1/clusters/${s.cluster.id}/report-submissions`)
      .send({ funderId: otherFunder.funder.id, period: LATER });
    expect(toOther.status).toBe(201);

    const funderKey = await t.key('funder', { funderId: s.funder.id });
    const editor = await t.key('editor', { clusterIds: [s.cluster.id] });
    const stranger = await t.key('editor', { clusterIds: [elsewhere.cluster.id] });
    expect((await compare(s.later.id, s.earlier.id, funderKey.secret)).status).toBe(200);
    expect((await compare(s.later.id, s.earlier.id, editor.secret)).status).toBe(200);
    expectProblem(await compare(s.later.id, s.earlier.id, stranger.secret), 404);
    // The other funder's submission is not this funder key's to read, whichever side it is on.
    expectProblem(await compare(s.later.id, toOther.body.id, funderKey.secret), 404);
    expectProblem(await compare(toOther.body.id, s.later.id, funderKey.secret), 404);
    expectProblem(await compare(s.later.id, '00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await compare(s.later.id, toOther.body.id), 422, 'with');
    expectProblem(await compare(s.later.id, elsewhere.later.id), 422, 'with');
    expectProblem(await compare(s.later.id), 400, 'with');
    expectProblem(await compare(s.later.id, 'not-a-uuid'), 400, 'with');
    expectProblem(await compare('not-a-uuid', s.later.id), 400, 'submissionId');
    expect((await compare(s.later.id, s.earlier.id, null as unknown as string)).status).toBe(401);
  });
});
