import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';

describe('goals, indicators and measurements', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'Findit' });
  });
  afterAll(() => t.close());

  describe('create and read', () => {
    it('creates a goal with its first history entry and serves it with an ETag', async () => {
      const res = await t
        .api()
        .post(`/api/v1/clusters/${cluster.id}/goals`)
        .send({
          title: 'Mobilise 40 member firms',
          horizon: 'short_term',
          perspective: 'business',
          dueDate: '2027-06-30',
          indicator: { unit: 'member firms', baseline: 12, target: 40 },
        });
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        clusterId: cluster.id,
        title: 'Mobilise 40 member firms',
        horizon: 'short_term',
        perspective: 'business',
        contributesToGoalId: null,
        contributingGoalIds: [],
        dueDate: '2027-06-30',
        indicator: { unit: 'member firms', baseline: 12, target: 40 },
        latestMeasurement: null,
        progressPercent: null,
        status: 'green',
        version: 1,
        archivedAt: null,
      });
      const history = await t.api().get(`/api/v1/goals/${res.body.id}/status-updates`);
      expect(history.body.items).toHaveLength(1);
      expect(history.body.items[0]).toMatchObject({ status: 'green', state: null, author: 'admin (ADMIN_API_KEY)' });
    });

    it('takes a first status with its comment; yellow or red without one is a 422', async () => {
      expectProblem(
        await t.api().post(`/api/v1/clusters/${cluster.id}/goals`).send({ title: 'G', horizon: 'long_term', status: 'red' }),
        422,
        'statusComment',
      );
      const g = await createGoal(t, cluster.id, { status: 'yellow', statusComment: 'Slow start' });
      expect(g.status).toBe('yellow');
      const history = await t.api().get(`/api/v1/goals/${g.id}/status-updates`);
      expect(history.body.items[0]).toMatchObject({ status: 'yellow', comment: 'Slow start' });
    });

    it('refuses bad input with 400 naming the field', async () => {
      const post = (body: object) => t.api().post(`/api/v1/clusters/${cluster.id}/goals`).send(body);
      expectProblem(await post({ title: 'G', horizon: 'medium_term' }), 400, 'horizon');
      expectProblem(await post({ title: 'G', horizon: 'long_term', perspective: 'nature' }), 400, 'perspective');
      expectProblem(await post({ title: 'G', horizon: 'long_term', dueDate: '2027-02-30' }), 400, 'dueDate');
      expectProblem(
        await post({ title: 'G', horizon: 'long_term', indicator: { unit: 'x', baseline: '12', target: 40 } }),
        400,
        'indicator.baseline',
      );
      expectProblem(await post({ title: 'G', horizon: 'long_term', indicator: { unit: 'x', baseline: 1 } }), 400, 'indicator.target');
      expectProblem(await post({ title: 'G', horizon: 'long_term', indicator: [1, 2] }), 400, 'indicator');
      expectProblem(
        await post({ title: 'G', horizon: 'long_term', indicator: { unit: 'x', baseline: 1, target: 2, colour: 1 } }),
        400,
        'indicator.colour',
      );
      expectProblem(await post({ title: 'G', horizon: 'long_term', contributesToGoalId: 'abc' }), 400, 'contributesToGoalId');
      expectProblem(await post({ title: 'G'.repeat(201), horizon: 'long_term' }), 400, 'title');
      expectProblem(await post({ title: 'G', horizon: 'long_term', status: 'blue' }), 400, 'status');
    });
  });

  describe('the effect logic', () => {
    let effect: Record<string, any>;
    beforeAll(async () => {
      effect = await createGoal(t, cluster.id, {
        title: 'Employment in the sector +10 % by 2030',
        horizon: 'long_term',
        perspective: 'public_sector',
      });
    });

    it('lets a short-term goal contribute to a long-term goal, and shows it from both ends', async () => {
      const result = await createGoal(t, cluster.id, { title: '3 joint innovation projects', contributesToGoalId: effect.id });
      expect(result.contributesToGoalId).toBe(effect.id);
      const again = await t.api().get(`/api/v1/goals/${effect.id}`);
      expect(again.body.contributingGoalIds).toEqual([result.id]);
      const listed = await t.api().get(`/api/v1/clusters/${cluster.id}/goals?contributesToGoalId=${effect.id}`);
      expect(listed.body.items.map((g: { id: string }) => g.id)).toEqual([result.id]);
    });

    it('refuses contributions that break the rules with 422 naming contributesToGoalId, writing nothing', async () => {
      const result = await createGoal(t, cluster.id);
      const other = await createCluster(t);
      const foreign = await createGoal(t, other.id, { horizon: 'long_term' });
      const before = (await t.dataSource.query('SELECT count(*)::int AS n FROM goal'))[0].n;
      const post = (body: object) =>
        t
          .api()
          .post(`/api/v1/clusters/${cluster.id}/goals`)
          .send({ title: 'G', ...body });
      expectProblem(await post({ horizon: 'long_term', contributesToGoalId: effect.id }), 422, 'contributesToGoalId');
      expectProblem(await post({ horizon: 'short_term', contributesToGoalId: result.id }), 422, 'contributesToGoalId');
      expectProblem(await post({ horizon: 'short_term', contributesToGoalId: foreign.id }), 422, 'contributesToGoalId');
      expectProblem(
        await post({ horizon: 'short_term', contributesToGoalId: '7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' }),
        422,
        'contributesToGoalId',
      );
      expect((await t.dataSource.query('SELECT count(*)::int AS n FROM goal'))[0].n).toBe(before);
      expectProblem(await t.api().patch(`/api/v1/goals/${result.id}`).send({ contributesToGoalId: result.id }), 422, 'contributesToGoalId');
    });

    it('keeps the rules on PATCH: a contributor cannot become long-term, an effect with contributors cannot become short-term', async () => {
      const effect2 = await createGoal(t, cluster.id, { horizon: 'long_term' });
      const result = await createGoal(t, cluster.id, { contributesToGoalId: effect2.id });
      expectProblem(await t.api().patch(`/api/v1/goals/${result.id}`).send({ horizon: 'long_term' }), 422, 'contributesToGoalId');
      expectProblem(await t.api().patch(`/api/v1/goals/${effect2.id}`).send({ horizon: 'short_term' }), 422, 'horizon');
      const cleared = await t.api().patch(`/api/v1/goals/${result.id}`).send({ horizon: 'long_term', contributesToGoalId: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ horizon: 'long_term', contributesToGoalId: null, version: 2 });
    });
  });

  describe('measurements and progress', () => {
    it('shows the latest measurement and the progress of a rising indicator', async () => {
      const g = await createGoal(t, cluster.id, { indicator: { unit: 'member firms', baseline: 10, target: 50 } });
      const m1 = await t.api().post(`/api/v1/goals/${g.id}/measurements`).send({ value: 20, measuredOn: '2026-03-31' });
      expect(m1.status).toBe(201);
      expect(m1.body).toMatchObject({ goalId: g.id, value: 20, measuredOn: '2026-03-31', comment: null, author: 'admin (ADMIN_API_KEY)' });
      await t.api().post(`/api/v1/goals/${g.id}/measurements`).send({ value: 30, measuredOn: '2026-06-30', comment: 'Q2' });
      // An older date recorded later does not become the latest.
      await t.api().post(`/api/v1/goals/${g.id}/measurements`).send({ value: 15, measuredOn: '2026-01-31' });
      const got = await t.api().get(`/api/v1/goals/${g.id}`);
      expect(got.body.latestMeasurement).toEqual({ value: 30, measuredOn: '2026-06-30' });
      expect(got.body.progressPercent).toBe(50);

      // A correction is a new measurement for the same day.
      await t.api().post(`/api/v1/goals/${g.id}/measurements`).send({ value: 34, measuredOn: '2026-06-30', comment: 'corrected' });
      expect((await t.api().get(`/api/v1/goals/${g.id}`)).body.progressPercent).toBe(60);

      const list = await t.api().get(`/api/v1/goals/${g.id}/measurements?limit=2`);
      expect(list.body.total).toBe(4);
      expect(list.body.items.map((m: { value: number }) => m.value)).toEqual([34, 30]);
    });

    it('works for a falling indicator and with decimals; null when baseline equals target', async () => {
      const falling = await createGoal(t, cluster.id, { indicator: { unit: 'days to first customer', baseline: 90.5, target: 30.5 } });
      await t.api().post(`/api/v1/goals/${falling.id}/measurements`).send({ value: 60.5, measuredOn: '2026-05-01' });
      expect((await t.api().get(`/api/v1/goals/${falling.id}`)).body).toMatchObject({
        indicator: { baseline: 90.5, target: 30.5 },
        latestMeasurement: { value: 60.5 },
        progressPercent: 50,
      });
      const flat = await createGoal(t, cluster.id, { indicator: { unit: '%', baseline: 5, target: 5 } });
      await t.api().post(`/api/v1/goals/${flat.id}/measurements`).send({ value: 6, measuredOn: '2026-05-01' });
      expect((await t.api().get(`/api/v1/goals/${flat.id}`)).body.progressPercent).toBeNull();
    });

    it('refuses measurements without an indicator, in the future, or malformed', async () => {
      const plain = await createGoal(t, cluster.id);
      expectProblem(
        await t.api().post(`/api/v1/goals/${plain.id}/measurements`).send({ value: 1, measuredOn: '2026-01-01' }),
        422,
        'value',
      );
      const g = await createGoal(t, cluster.id, { indicator: { unit: 'x', baseline: 0, target: 1 } });
      expectProblem(
        await t.api().post(`/api/v1/goals/${g.id}/measurements`).send({ value: 1, measuredOn: '2999-01-01' }),
        422,
        'measuredOn',
      );
      expectProblem(
        await t.api().post(`/api/v1/goals/${g.id}/measurements`).send({ value: 'one', measuredOn: '2026-01-01' }),
        400,
        'value',
      );
      expectProblem(
        await t.api().post(`/api/v1/goals/${g.id}/measurements`).send({ value: 1e300, measuredOn: '2026-01-01' }),
        400,
        'value',
      );
      expectProblem(
        await t.api().post(`/api/v1/goals/${g.id}/measurements`).send({ value: 1, measuredOn: '01/01/2026' }),
        400,
        'measuredOn',
      );
      expect((await t.api().get(`/api/v1/goals/${g.id}/measurements`)).body.total).toBe(0);
    });

    it('keeps measurements append-only, down to the database', async () => {
      const g = await createGoal(t, cluster.id, { indicator: { unit: 'x', baseline: 0, target: 1 } });
      const m = await t.api().post(`/api/v1/goals/${g.id}/measurements`).send({ value: 1, measuredOn: '2026-01-01' });
      // No route deletes a measurement: the path has GET and POST only.
      expect(expectProblem(await t.api().delete(`/api/v1/goals/${g.id}/measurements`), 405)).toMatchObject({ status: 405 });
      await expect(t.dataSource.query('UPDATE measurement SET value = 2 WHERE id = $1', [m.body.id])).rejects.toThrow(/append-only/);
      await expect(t.dataSource.query('DELETE FROM measurement WHERE id = $1', [m.body.id])).rejects.toThrow(/append-only/);
    });
  });

  describe('change, archive, conditional requests', () => {
    it('refuses a PATCH carrying status with a 400 that points to status-updates', async () => {
      const g = await createGoal(t, cluster.id);
      const res = await t.api().patch(`/api/v1/goals/${g.id}`).send({ title: 'New title', status: 'red' });
      const body = expectProblem(res, 400, 'status');
      expect(JSON.stringify(body.errors)).toContain('status-updates');
      expect((await t.api().get(`/api/v1/goals/${g.id}`)).body).toMatchObject({ title: g.title, version: 1 });
    });

    it('changes fields with If-Match, 412 on a stale version, 304 on If-None-Match', async () => {
      const g = await createGoal(t, cluster.id, { description: 'old' });
      const res = await t.api().patch(`/api/v1/goals/${g.id}`).set('If-Match', '"1"').send({ description: null, dueDate: '2028-01-01' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ description: null, dueDate: '2028-01-01', version: 2 });
      expectProblem(await t.api().patch(`/api/v1/goals/${g.id}`).set('If-Match', '"1"').send({ title: 'x' }), 412);
      expect((await t.api().get(`/api/v1/goals/${g.id}`).set('If-None-Match', '"2"')).status).toBe(304);
    });

    it('archives: 204 twice, hidden from lists, readable by id with its history, read-only', async () => {
      const g = await createGoal(t, cluster.id, { title: 'To be archived' });
      await t.api().post(`/api/v1/goals/${g.id}/status-updates`).send({ status: 'red', comment: 'Dropped by the board' });
      expect((await t.api().delete(`/api/v1/goals/${g.id}`)).status).toBe(204);
      expect((await t.api().delete(`/api/v1/goals/${g.id}`)).status).toBe(204);
      const got = await t.api().get(`/api/v1/goals/${g.id}`);
      expect(got.body.archivedAt).toEqual(expect.any(String));
      const history = await t.api().get(`/api/v1/goals/${g.id}/status-updates`);
      expect(history.body.items.map((u: { status: string }) => u.status)).toEqual(['red', 'green']);
      const list = await t.api().get(`/api/v1/clusters/${cluster.id}/goals?q=${encodeURIComponent('To be archived')}`);
      expect(list.body.total).toBe(0);
      const all = await t.api().get(`/api/v1/clusters/${cluster.id}/goals?q=${encodeURIComponent('To be archived')}&includeArchived=true`);
      expect(all.body.total).toBe(1);
      expectProblem(await t.api().patch(`/api/v1/goals/${g.id}`).send({ title: 'x' }), 409);
      expectProblem(await t.api().post(`/api/v1/goals/${g.id}/status-updates`).send({ status: 'green' }), 409);
    });
  });

  describe('lists', () => {
    it('filters by horizon, status, perspective, due dates and words, sorts and pages', async () => {
      const c = await createCluster(t);
      await createGoal(t, c.id, { title: 'Alpha survey', horizon: 'short_term', perspective: 'business', dueDate: '2026-03-01' });
      await createGoal(t, c.id, { title: 'Beta vision', horizon: 'long_term', perspective: 'academia', dueDate: '2027-03-01' });
      await createGoal(t, c.id, {
        title: 'Gamma survey',
        horizon: 'short_term',
        status: 'red',
        statusComment: 'Late',
        dueDate: '2026-09-01',
      });
      const names = async (query: string) =>
        (await t.api().get(`/api/v1/clusters/${c.id}/goals?${query}`)).body.items.map((g: { title: string }) => g.title);
      expect(await names('horizon=short_term&sort=title')).toEqual(['Alpha survey', 'Gamma survey']);
      expect(await names('status=red')).toEqual(['Gamma survey']);
      expect(await names('perspective=academia')).toEqual(['Beta vision']);
      expect(await names('q=SURVEY&sort=-title')).toEqual(['Gamma survey', 'Alpha survey']);
      expect(await names('dueBefore=2026-09-01&sort=dueDate')).toEqual(['Alpha survey', 'Gamma survey']);
      expect(await names('dueAfter=2026-09-02')).toEqual(['Beta vision']);
      const page = await t.api().get(`/api/v1/clusters/${c.id}/goals?sort=-dueDate&limit=1&offset=1`);
      expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ title: 'Gamma survey' }] });
      const past = await t.api().get(`/api/v1/clusters/${c.id}/goals?offset=5`);
      expect(past.body).toMatchObject({ total: 3, items: [] });
      expectProblem(await t.api().get(`/api/v1/clusters/${c.id}/goals?sort=status`), 400, 'sort');
      expectProblem(await t.api().get(`/api/v1/clusters/${c.id}/goals?dueBefore=tomorrow`), 400, 'dueBefore');
    });
  });
});
