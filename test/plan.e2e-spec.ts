import { PLAN_SECTIONS } from '../src/plan/plan-sections.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createActor, createCluster, createFruit, createGoal, createRisk, daysFromToday } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { ownStatements } from './support/statements.js';

describe('GET /clusters/{clusterId}/plan', () => {
  let t: TestApp;
  let findit: Record<string, any>;
  let other: Record<string, any>;
  const plan = (id: string, key?: string | null) => t.api(key).get(`/api/v1/clusters/${id}/plan`);

  beforeAll(async () => {
    t = await startTestApp();
    findit = await createCluster(t, { name: 'Findit plan', region: 'Gävleborg', phase: 'mobilisation' });
    other = await createCluster(t, { name: 'Another plan', region: 'Sörmland', phase: 'initiation' });
  });
  afterAll(() => t.close());

  it('answers the cluster and every item that is not archived, each as its own GET answers it', async () => {
    const goal = await createGoal(t, findit.id, { status: 'yellow', statusComment: 'Slow start' });
    const archived = await createGoal(t, findit.id);
    expect((await t.api().delete(`/api/v1/goals/${archived.id}`)).status).toBe(204);
    const late = await createActivity(t, findit.id, { dueDate: daysFromToday(-3), goalId: goal.id });
    const later = await createActivity(t, findit.id, { dueDate: daysFromToday(30) });
    const fruit = await createFruit(t, findit.id);
    const risk = await createRisk(t, findit.id, { likelihood: 4, impact: 4 });
    const actor = await createActor(t, findit.id, { name: 'Mittuniversitetet', kind: 'academia' });
    const archivedActor = await createActor(t, findit.id);
    expect((await t.api().delete(`/api/v1/actors/${archivedActor.id}`)).status).toBe(204);
    await createGoal(t, other.id);
    await createActor(t, other.id);

    const res = await plan(findit.id);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(Object.keys(res.body)).toEqual(['cluster', 'goals', 'activities', 'lowHangingFruits', 'risks', 'actors']);
    expect(res.body.cluster).toEqual((await t.api().get(`/api/v1/clusters/${findit.id}`)).body);
    expect(res.body.goals).toEqual([(await t.api().get(`/api/v1/goals/${goal.id}`)).body]);
    // In the order of the activity list (by due date), with overdue as the list says it.
    const list = (await t.api().get(`/api/v1/clusters/${findit.id}/activities`)).body.items;
    expect(res.body.activities).toEqual(list);
    expect(res.body.activities.map((a: any) => [a.id, a.overdue])).toEqual([
      [late.id, true],
      [later.id, false],
    ]);
    expect(res.body.lowHangingFruits).toEqual([(await t.api().get(`/api/v1/low-hanging-fruits/${fruit.id}`)).body]);
    expect(res.body.risks).toEqual([(await t.api().get(`/api/v1/risks/${risk.id}`)).body]);
    expect(res.body.actors).toEqual([(await t.api().get(`/api/v1/actors/${actor.id}`)).body]);
  });

  it('has one ETag for the whole plan: 304 while nothing changed, a new one when any item changes', async () => {
    const first = await plan(findit.id);
    const etag = first.headers.etag;
    const again = await plan(findit.id).set('If-None-Match', etag);
    expect(again.status).toBe(304);
    expect(again.text ?? '').toBe('');
    const activity = first.body.activities[0];
    const update = await t
      .api()
      .post(`/api/v1/activities/${activity.id}/status-updates`)
      .send({ status: 'yellow', comment: 'Two key firms have not signed up yet' });
    expect(update.status).toBe(201);
    const changed = await plan(findit.id).set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body.activities[0]).toMatchObject({ id: activity.id, status: 'yellow' });
    // A change in another cluster leaves this plan's ETag alone.
    await createFruit(t, other.id);
    expect((await plan(findit.id).set('If-None-Match', changed.headers.etag)).status).toBe(304);
  });

  it('makes the same few SQL statements for a plan of 5 items as for one of 55', async () => {
    const empty = await createCluster(t, { name: 'Growing plan' });
    const count = async () => {
      const { result: res, statements } = await ownStatements(t, async () => plan(empty.id));
      expect(res.status).toBe(200);
      const items = PLAN_SECTIONS.reduce((n, { name }) => n + (res.body[name] as unknown[]).length, 0);
      return { statements, items };
    };
    const goal = await createGoal(t, empty.id);
    await createActivity(t, empty.id, { goalId: goal.id });
    await createFruit(t, empty.id);
    await createRisk(t, empty.id);
    await createActor(t, empty.id);
    const small = await count();
    for (let i = 0; i < 10; i++) {
      await createGoal(t, empty.id);
      await createActivity(t, empty.id, { goalId: goal.id });
      await createFruit(t, empty.id);
      await createRisk(t, empty.id);
      await createActor(t, empty.id);
    }
    const large = await count();
    expect([small.items, large.items]).toEqual([5, 55]);
    expect(large.statements).toEqual(small.statements);
    // The transaction (begin, isolation level, commit), the cluster and its funders, and one per section.
    expect(small.statements).toHaveLength(5 + PLAN_SECTIONS.length);
    process.stdout.write(`plan: ${small.statements.length} SQL statements for 5 items, ${large.statements.length} for 55\n`);
  });

  it('answers the plan exactly as it was at asOf, with the ETag it had then, and as many statements however long the history', async () => {
    const cluster = await createCluster(t, { name: 'Plan as of then' });
    const goal = await createGoal(t, cluster.id, { title: 'Thirty firms in the network' });
    const activity = await createActivity(t, cluster.id, { goalId: goal.id });
    const risk = await createRisk(t, cluster.id, { likelihood: 2, impact: 3 });
    const actor = await createActor(t, cluster.id, { name: 'Region Gävleborg', kind: 'public_sector' });
    const captured = await plan(cluster.id);
    expect(captured.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const then = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Afterwards: every section changes, one item is archived, one is added, the cluster is renamed.
    expect((await t.api().patch(`/api/v1/goals/${goal.id}`).send({ title: 'Forty firms in the network' })).status).toBe(200);
    expect(
      (await t.api().post(`/api/v1/activities/${activity.id}/status-updates`).send({ status: 'red', comment: 'Stalled' })).status,
    ).toBe(201);
    expect((await t.api().patch(`/api/v1/risks/${risk.id}`).send({ likelihood: 5 })).status).toBe(200);
    expect((await t.api().delete(`/api/v1/actors/${actor.id}`)).status).toBe(204);
    await createFruit(t, cluster.id);
    expect((await t.api().patch(`/api/v1/clusters/${cluster.id}`).send({ name: 'Plan as of now' })).status).toBe(200);
    const now = await plan(cluster.id);
    expect(now.body).not.toEqual(captured.body);

    const asOf = await plan(cluster.id).query({ asOf: then });
    expect(asOf.status).toBe(200);
    expect(asOf.body).toEqual(captured.body);
    expect(asOf.headers.etag).toBe(captured.headers.etag);
    expect((await plan(cluster.id).query({ asOf: then }).set('If-None-Match', captured.headers.etag)).status).toBe(304);

    // A longer history changes neither the answer nor the number of statements.
    const first = await ownStatements(t, () => plan(cluster.id).query({ asOf: then }));
    expect(first.result.body).toEqual(captured.body);
    const before = first.statements.length;
    for (let i = 0; i < 6; i++) {
      expect(
        (
          await t
            .api()
            .post(`/api/v1/goals/${goal.id}/status-updates`)
            .send({ status: i % 2 ? 'green' : 'yellow', comment: `Week ${i}` })
        ).status,
      ).toBe(201);
    }
    const after = await ownStatements(t, () => plan(cluster.id).query({ asOf: then }));
    expect(after.result.body).toEqual(captured.body);
    expect(after.statements).toHaveLength(before);
  });

  it('refuses an asOf in the future or malformed, naming it, and is 404 for a cluster that did not exist yet', async () => {
    expectProblem(await plan(findit.id).query({ asOf: daysFromToday(2) }), 400, 'asOf');
    expectProblem(await plan(findit.id).query({ asOf: 'yesterday' }), 400, 'asOf');
    expectProblem(await plan(findit.id).query({ since: '2026-01-01' }), 400, 'since');
    expectProblem(await plan(findit.id).query({ asOf: '2001-01-01' }), 404);
  });

  it('is readable as the cluster is: 404 to a key that may not read it, 400 naming a malformed id', async () => {
    const editor = (await t.key('editor', { clusterIds: [other.id] })).secret;
    expectProblem(await plan(findit.id, editor), 404);
    expect((await plan(other.id, editor)).status).toBe(200);
    const viewer = (await t.key('viewer')).secret;
    expect((await plan(findit.id, viewer)).status).toBe(200);
    const funder = (await t.api().post('/api/v1/funders').send({ name: 'Plan funder', kind: 'national_agency' })).body;
    const funderKey = (await t.key('funder', { funderId: funder.id })).secret;
    expectProblem(await plan(findit.id, funderKey), 404);
    expectProblem(await plan('7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b'), 404);
    expectProblem(await plan('not-a-uuid'), 400, 'clusterId');
    expectProblem(await plan(findit.id, null), 401);
  });

  it('answers an archived cluster with its plan, as GET of the cluster does', async () => {
    const gone = await createCluster(t, { name: 'Archived plan' });
    await createGoal(t, gone.id);
    expect((await t.api().delete(`/api/v1/clusters/${gone.id}`)).status).toBe(204);
    const res = await plan(gone.id);
    expect(res.status).toBe(200);
    expect(res.body.cluster.archivedAt).toEqual(expect.any(String));
    expect(res.body.goals).toHaveLength(1);
  });
});
