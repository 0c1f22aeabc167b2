import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createFruit, createGoal, daysFromToday } from './support/factories.js';
import { expectProblem } from './support/problem.js';

describe('the plan-item engine: activities and low-hanging fruits', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  let goal: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'Automation Region' });
    goal = await createGoal(t, cluster.id, { title: 'Start member surveys' });
  });
  afterAll(() => t.close());

  describe('activities', () => {
    it('creates an activity serving a goal, with defaults and a first history entry', async () => {
      const res = await t.api().post(`/api/v1/clusters/${cluster.id}/activities`).send({
        title: 'Member survey',
        owner: 'Process leader',
        goalId: goal.id,
        startDate: '2026-09-01',
        dueDate: '2026-11-30',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        clusterId: cluster.id,
        title: 'Member survey',
        owner: 'Process leader',
        goalId: goal.id,
        startDate: '2026-09-01',
        dueDate: '2026-11-30',
        state: 'planned',
        status: 'green',
        completedAt: null,
        version: 1,
      });
      const history = await t.api().get(`/api/v1/activities/${res.body.id}/status-updates`);
      expect(history.body.items).toEqual([expect.objectContaining({ status: 'green', state: 'planned', comment: null })]);
    });

    it('refuses a start after the due date (422), also when a PATCH makes it so', async () => {
      expectProblem(
        await t
          .api()
          .post(`/api/v1/clusters/${cluster.id}/activities`)
          .send({ title: 'A', startDate: '2026-10-02', dueDate: '2026-10-01' }),
        422,
        'dueDate',
      );
      const a = await createActivity(t, cluster.id, { startDate: '2026-10-01', dueDate: '2026-10-31' });
      expectProblem(await t.api().patch(`/api/v1/activities/${a.id}`).send({ startDate: '2026-11-01' }), 422, 'dueDate');
      expect((await t.api().patch(`/api/v1/activities/${a.id}`).send({ startDate: '2026-10-31' })).status).toBe(200);
      expect((await t.api().patch(`/api/v1/activities/${a.id}`).send({ dueDate: null })).body).toMatchObject({
        dueDate: null,
        startDate: '2026-10-31',
      });
    });

    it('refuses a goalId of another cluster or an archived goal (422), writing nothing', async () => {
      const other = await createCluster(t);
      const foreign = await createGoal(t, other.id);
      const before = (await t.dataSource.query('SELECT count(*)::int AS n FROM activity'))[0].n;
      expectProblem(
        await t.api().post(`/api/v1/clusters/${cluster.id}/activities`).send({ title: 'A', goalId: foreign.id }),
        422,
        'goalId',
      );
      const archived = await createGoal(t, cluster.id);
      await t.api().delete(`/api/v1/goals/${archived.id}`);
      expectProblem(
        await t.api().post(`/api/v1/clusters/${cluster.id}/activities`).send({ title: 'A', goalId: archived.id }),
        422,
        'goalId',
      );
      expect((await t.dataSource.query('SELECT count(*)::int AS n FROM activity'))[0].n).toBe(before);
      const a = await createActivity(t, cluster.id);
      expectProblem(await t.api().patch(`/api/v1/activities/${a.id}`).send({ goalId: foreign.id }), 422, 'goalId');
    });

    it('records a change of state by PATCH in the history, and sets completedAt when done', async () => {
      const a = await createActivity(t, cluster.id);
      const ongoing = await t.api().patch(`/api/v1/activities/${a.id}`).send({ state: 'ongoing' });
      expect(ongoing.body).toMatchObject({ state: 'ongoing', completedAt: null, version: 2 });
      const done = await t.api().patch(`/api/v1/activities/${a.id}`).send({ state: 'done', owner: 'Analyst' });
      expect(done.body).toMatchObject({ state: 'done', owner: 'Analyst', completedAt: expect.any(String) });
      // A PATCH that does not change the state adds nothing to the history.
      await t.api().patch(`/api/v1/activities/${a.id}`).send({ title: 'Renamed', state: 'done' });
      const history = await t.api().get(`/api/v1/activities/${a.id}/status-updates`);
      expect(history.body.items.map((u: { state: string }) => u.state)).toEqual(['done', 'ongoing', 'planned']);
      expect(history.body.items.every((u: { status: string }) => u.status === 'green')).toBe(true);
      const reopened = await t.api().patch(`/api/v1/activities/${a.id}`).send({ state: 'ongoing' });
      expect(reopened.body.completedAt).toBeNull();
    });

    it('computes overdue from the due date and the state, and filters on it', async () => {
      const c = await createCluster(t);
      const late = await createActivity(t, c.id, { title: 'Late', dueDate: daysFromToday(-3) });
      const lateButDone = await createActivity(t, c.id, { title: 'Late but done', dueDate: daysFromToday(-3), state: 'done' });
      const lateCancelled = await createActivity(t, c.id, { title: 'Cancelled', dueDate: daysFromToday(-3), state: 'cancelled' });
      const future = await createActivity(t, c.id, { title: 'Future', dueDate: daysFromToday(30), state: 'ongoing' });
      const undated = await createActivity(t, c.id, { title: 'Undated' });
      expect(late.overdue).toBe(true);
      expect([lateButDone.overdue, lateCancelled.overdue, future.overdue, undated.overdue]).toEqual([false, false, false, false]);
      expect(lateButDone.completedAt).toEqual(expect.any(String));
      const overdue = await t.api().get(`/api/v1/clusters/${c.id}/activities?overdue=true`);
      expect(overdue.body.items.map((a: { title: string }) => a.title)).toEqual(['Late']);
      const notOverdue = await t.api().get(`/api/v1/clusters/${c.id}/activities?overdue=false&sort=title`);
      expect(notOverdue.body.items.map((a: { title: string }) => a.title)).toEqual(['Cancelled', 'Future', 'Late but done', 'Undated']);
      expectProblem(await t.api().get(`/api/v1/clusters/${c.id}/activities?overdue=yes`), 400, 'overdue');
    });

    it('filters by state, status, goal, due dates and words, and sorts', async () => {
      const c = await createCluster(t);
      const g = await createGoal(t, c.id);
      await createActivity(t, c.id, { title: 'Study visit', goalId: g.id, dueDate: '2026-05-01', state: 'ongoing' });
      await createActivity(t, c.id, { title: 'Matchmaking event', dueDate: '2026-08-01', status: 'red', statusComment: 'No venue' });
      await createActivity(t, c.id, { title: 'Application to Vinnova', dueDate: '2026-12-01' });
      const titles = async (query: string) =>
        (await t.api().get(`/api/v1/clusters/${c.id}/activities?${query}`)).body.items.map((a: { title: string }) => a.title);
      expect(await titles('')).toEqual(['Study visit', 'Matchmaking event', 'Application to Vinnova']);
      expect(await titles('sort=-dueDate')).toEqual(['Application to Vinnova', 'Matchmaking event', 'Study visit']);
      expect(await titles('state=ongoing')).toEqual(['Study visit']);
      expect(await titles('status=red')).toEqual(['Matchmaking event']);
      expect(await titles(`goalId=${g.id}`)).toEqual(['Study visit']);
      expect(await titles('dueAfter=2026-06-01&dueBefore=2026-12-01')).toEqual(['Matchmaking event', 'Application to Vinnova']);
      expect(await titles('q=vinnova')).toEqual(['Application to Vinnova']);
      expectProblem(await t.api().get(`/api/v1/clusters/${c.id}/activities?state=paused`), 400, 'state');
    });
  });

  describe('low-hanging fruits', () => {
    it('keeps what, when and how, and a fruit that is done has been taken', async () => {
      const res = await t.api().post(`/api/v1/clusters/${cluster.id}/low-hanging-fruits`).send({
        what: 'Joint stand at the regional industry fair',
        when: '2026-10-15',
        how: 'Book a shared stand; three member firms staff it.',
        owner: 'Communications officer',
        goalId: goal.id,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        what: 'Joint stand at the regional industry fair',
        when: '2026-10-15',
        state: 'planned',
        status: 'green',
      });
      const taken = await t
        .api()
        .post(`/api/v1/low-hanging-fruits/${res.body.id}/status-updates`)
        .send({ status: 'green', state: 'done', comment: 'Forty visitors signed up for the newsletter' });
      expect(taken.status).toBe(201);
      expect(taken.body).toMatchObject({ state: 'done', overdue: false, completedAt: expect.any(String), version: 2 });
    });

    it('is overdue when its date passed while planned or ongoing, and filters on it', async () => {
      const c = await createCluster(t);
      await createFruit(t, c.id, { what: 'Overdue fruit', when: daysFromToday(-1) });
      await createFruit(t, c.id, { what: 'Taken fruit', when: daysFromToday(-2), state: 'done' });
      await createFruit(t, c.id, { what: 'Coming fruit', when: daysFromToday(10) });
      const overdue = await t.api().get(`/api/v1/clusters/${c.id}/low-hanging-fruits?overdue=true`);
      expect(overdue.body.items.map((f: { what: string; overdue: boolean }) => [f.what, f.overdue])).toEqual([['Overdue fruit', true]]);
      const byWhen = await t.api().get(`/api/v1/clusters/${c.id}/low-hanging-fruits?sort=-when&q=fruit`);
      expect(byWhen.body.items.map((f: { what: string }) => f.what)).toEqual(['Coming fruit', 'Overdue fruit', 'Taken fruit']);
    });

    it('needs what and a real date for when; refuses status on PATCH', async () => {
      expectProblem(await t.api().post(`/api/v1/clusters/${cluster.id}/low-hanging-fruits`).send({ when: '2026-10-15' }), 400, 'what');
      expectProblem(
        await t.api().post(`/api/v1/clusters/${cluster.id}/low-hanging-fruits`).send({ what: 'x', when: '2026-13-01' }),
        400,
        'when',
      );
      const f = await createFruit(t, cluster.id);
      expectProblem(await t.api().patch(`/api/v1/low-hanging-fruits/${f.id}`).send({ status: 'yellow' }), 400, 'status');
      expectProblem(await t.api().patch(`/api/v1/low-hanging-fruits/${f.id}`).send({ when: null }), 400, 'when');
      const moved = await t.api().patch(`/api/v1/low-hanging-fruits/${f.id}`).send({ when: '2030-02-01', how: 'Differently' });
      expect(moved.body).toMatchObject({ when: '2030-02-01', how: 'Differently', version: 2 });
    });

    it('archives and keeps its history readable', async () => {
      const f = await createFruit(t, cluster.id);
      expect((await t.api().delete(`/api/v1/low-hanging-fruits/${f.id}`)).status).toBe(204);
      expect((await t.api().delete(`/api/v1/low-hanging-fruits/${f.id}`)).status).toBe(204);
      expect((await t.api().get(`/api/v1/low-hanging-fruits/${f.id}`)).body.archivedAt).toEqual(expect.any(String));
      expect((await t.api().get(`/api/v1/low-hanging-fruits/${f.id}/status-updates`)).body.total).toBe(1);
      expectProblem(await t.api().patch(`/api/v1/low-hanging-fruits/${f.id}`).send({ what: 'x' }), 409);
    });
  });
});
