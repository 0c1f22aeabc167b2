import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { HistoryBuilder } from './support/history.js';
import { expectProblem } from './support/problem.js';

/** Indicator milestones: kept on the goal in date order, and judged in reports against what was measured by then. */
describe('indicator milestones', () => {
  let t: TestApp;
  let cluster: Record<string, any>;

  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'Smart Textiles' });
  });
  afterAll(() => t.close());

  const indicator = { unit: 'member firms', baseline: 10, target: 50 };

  it('keeps milestones in date order on the indicator, and refuses them out of order', async () => {
    const goal = await createGoal(t, cluster.id, {
      indicator: {
        ...indicator,
        milestones: [
          { on: '2026-06-30', target: 20 },
          { on: '2026-12-31', target: 30 },
        ],
      },
    });
    expect(goal.indicator).toEqual({
      ...indicator,
      milestones: [
        { on: '2026-06-30', target: 20 },
        { on: '2026-12-31', target: 30 },
      ],
    });
    const plain = await createGoal(t, cluster.id, { indicator });
    expect(plain.indicator.milestones).toEqual([]);

    const post = (milestones: unknown) =>
      t
        .api()
        .post(`/api/v1/clusters/${cluster.id}/goals`)
        .send({ title: 'Out of order', horizon: 'short_term', indicator: { ...indicator, milestones } });
    expectProblem(
      await post([
        { on: '2026-12-31', target: 30 },
        { on: '2026-06-30', target: 20 },
      ]),
      422,
      'indicator.milestones.1.on',
    );
    expectProblem(
      await post([
        { on: '2026-06-30', target: 20 },
        { on: '2026-06-30', target: 25 },
      ]),
      422,
      'indicator.milestones.1.on',
    );
    expectProblem(await post([{ on: '2026-02-30', target: 20 }]), 400, 'indicator.milestones.0.on');
    expectProblem(await post([{ on: '3000-01-01', target: 20 }]), 400, 'indicator.milestones.0.on');
    expectProblem(await post([{ on: '2026-06-30', target: '20' }]), 400, 'indicator.milestones.0.target');
    expectProblem(await post([{ on: '2026-06-30', target: 20, note: 'x' }]), 400);
    expectProblem(await post(null), 400, 'indicator.milestones');
    expectProblem(await post(Array.from({ length: 101 }, (_, i) => ({ on: `${2100 + i}-01-01`, target: i }))), 400, 'indicator.milestones');
    const goals = await t.api().get(`/api/v1/clusters/${cluster.id}/goals`);
    expect(goals.body.items.map((g: any) => g.title)).not.toContain('Out of order');
  });

  it('keeps the milestones when a PATCH leaves them out, clears them with [], and writes nothing for the same ones', async () => {
    const goal = await createGoal(t, cluster.id, { indicator: { ...indicator, milestones: [{ on: '2026-06-30', target: 20 }] } });
    const path = `/api/v1/goals/${goal.id}`;
    const raised = await t
      .api()
      .patch(path)
      .send({ indicator: { ...indicator, target: 60 } });
    expect(raised.status).toBe(200);
    expect(raised.body.indicator).toEqual({ ...indicator, target: 60, milestones: [{ on: '2026-06-30', target: 20 }] });
    const same = await t
      .api()
      .patch(path)
      .send({ indicator: { ...indicator, target: 60, milestones: [{ on: '2026-06-30', target: 20 }] } });
    expect(same.body.version).toBe(raised.body.version);
    const moved = await t
      .api()
      .patch(path)
      .send({ indicator: { ...indicator, target: 60, milestones: [{ on: '2026-09-30', target: 20 }] } });
    expect(moved.body.version).toBe(raised.body.version + 1);
    expect(moved.body.indicator.milestones).toEqual([{ on: '2026-09-30', target: 20 }]);
    const cleared = await t
      .api()
      .patch(path)
      .send({ indicator: { ...indicator, target: 60, milestones: [] } });
    expect(cleared.body.indicator.milestones).toEqual([]);
    const removed = await t.api().patch(path).send({ indicator: null });
    expect(removed.body.indicator).toBeNull();
    expectProblem(
      await t
        .api()
        .patch(path)
        .send({
          indicator: {
            ...indicator,
            milestones: [
              { on: '2026-09-30', target: 1 },
              { on: '2026-01-01', target: 2 },
            ],
          },
        }),
      422,
      'indicator.milestones.1.on',
    );
  });

  it('lists in a report the milestones due in its period: the value measured by each date, met or missed', async () => {
    const h = new HistoryBuilder(t.dataSource, cluster.id);
    const rising = await h.goal({ title: 'Member firms', unit: 'firms', baseline: 10, target: 50 }, [
      { at: '2026-01-05T09:00:00Z', status: 'green' },
    ]);
    const falling = await h.goal({ title: 'Days to a first project', unit: 'days', baseline: 120, target: 30 }, [
      { at: '2026-01-05T09:00:00Z', status: 'green' },
    ]);
    // Set in the table, and recorded as a revision of the same day, so the goal had them at the end of the period.
    const milestones = async (id: string, list: unknown) => {
      await t.dataSource.query(`UPDATE goal SET indicator_milestones = $2 WHERE id = $1`, [id, JSON.stringify(list)]);
      await h.backdate('goal', id, '2026-01-05T09:00:01Z');
    };
    await milestones(rising, [
      { on: '2026-03-31', target: 15 }, // before the period
      { on: '2026-04-30', target: 20 }, // met: 22 measured on 2026-04-28
      { on: '2026-05-31', target: 30 }, // missed: 25 measured on 2026-05-20; the 31 measured on 2026-06-02 comes after
      { on: '2026-06-30', target: 40 }, // missed: 45 measured on 2026-06-29 was recorded after the period
      { on: '2026-09-30', target: 50 }, // after the period
    ]);
    await milestones(falling, [
      { on: '2026-05-15', target: 90 }, // met: 85 days (falling indicator)
      { on: '2026-06-15', target: 60 }, // missed: still 85
    ]);
    await h.measurement(rising, 22, '2026-04-28', '2026-04-29T09:00:00Z');
    await h.measurement(rising, 25, '2026-05-20', '2026-05-21T09:00:00Z');
    await h.measurement(rising, 31, '2026-06-02', '2026-06-03T09:00:00Z');
    await h.measurement(rising, 45, '2026-06-29', '2026-07-02T09:00:00Z');
    await h.measurement(falling, 85, '2026-05-10', '2026-05-10T09:00:00Z');

    const res = await t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q2`);
    expect(res.status).toBe(200);
    const goals = Object.fromEntries(res.body.clusters[0].goals.map((g: any) => [g.id, g]));
    expect(goals[rising].milestones).toEqual([
      { on: '2026-04-30', target: 20, actual: 22, met: true },
      { on: '2026-05-31', target: 30, actual: 25, met: false },
      { on: '2026-06-30', target: 40, actual: 31, met: false },
    ]);
    expect(goals[falling].milestones).toEqual([
      { on: '2026-05-15', target: 90, actual: 85, met: true },
      { on: '2026-06-15', target: 60, actual: 85, met: false },
    ]);
    // In the next quarter's report the late-recorded 45 counts: it was recorded by the end of that period, still short of 50.
    const q3 = await t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q3`);
    const q3rising = q3.body.clusters[0].goals.find((g: any) => g.id === rising);
    expect(q3rising.milestones).toEqual([{ on: '2026-09-30', target: 50, actual: 45, met: false }]);
    const early = await t.api().get(`/api/v1/clusters/${cluster.id}/report?from=2026-01-01&to=2026-03-31`);
    expect(early.body.clusters[0].goals.find((g: any) => g.id === rising).milestones).toEqual([
      { on: '2026-03-31', target: 15, actual: null, met: false },
    ]);
    const withoutIndicator = await h.goal({ title: 'No indicator' }, [{ at: '2026-01-05T09:00:00Z', status: 'green' }]);
    expect(goals[withoutIndicator]).toBeUndefined();
    // History written by hand into an ended period: its kept report is dropped, as after any repair of history in SQL.
    await t.dataSource.query(`DELETE FROM kept_report`);
    const again = await t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q2`);
    expect(again.body.clusters[0].goals.find((g: any) => g.id === withoutIndicator).milestones).toEqual([]);
  });
});
