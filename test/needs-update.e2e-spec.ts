import type { StatementCountingLogger } from '../src/database/statement-counter.js';
import { startOfDay } from '../src/common/calendar.js';
import { todayIn } from '../src/common/calendar.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { HistoryBuilder } from './support/history.js';
import { expectProblem } from './support/problem.js';

const TZ = 'Europe/Stockholm';

/** The calendar day `n` days before `day`. */
function daysBefore(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

/** An instant at a wall-clock time of a day in Stockholm. */
function at(day: string, hours: number, minutes = 0): string {
  return new Date(startOfDay(day, TZ).getTime() + (hours * 60 + minutes) * 60_000).toISOString();
}

/**
 * Stale, red_unchanged and overdue on a hand-built history, counted in calendar
 * days of Stockholm from today. The test waits out the last minute before
 * midnight there, so that "today" cannot change under it.
 */
describe('GET /needs-update', () => {
  let t: TestApp;
  let today: string;
  let a: Record<string, any>;
  let b: Record<string, any>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const untilMidnight = startOfDay(daysBefore(todayIn(TZ), -1), TZ).getTime() - Date.now();
    if (untilMidnight < 90_000) await new Promise((r) => setTimeout(r, untilMidnight + 1000));
    today = todayIn(TZ);
    t = await startTestApp();
    a = await createCluster(t, { name: 'Findit' });
    b = await createCluster(t, { name: 'Compare' });
    await t.dataSource.query(`UPDATE cluster SET update_cadence_days = 7 WHERE id = $1`, [b.id]);
    const archived = await createCluster(t, { name: 'Closed cluster' });

    const ha = new HistoryBuilder(t.dataSource, a.id);
    // Cadence 30: a last update 30 days ago is fine all day; 31 days ago is stale even at 23:59.
    ids.fine = await ha.goal({ title: 'Updated 30 days ago, just after midnight' }, [
      { at: at(daysBefore(today, 30), 0, 1), status: 'green' },
    ]);
    ids.stale = await ha.goal({ title: 'Updated 31 days ago, just before midnight' }, [
      { at: at(daysBefore(today, 31), 23, 59), status: 'green' },
    ]);
    ids.refreshed = await ha.goal({ title: 'Created long ago, updated last week' }, [
      { at: at(daysBefore(today, 200), 9), status: 'green' },
      { at: at(daysBefore(today, 7), 9), status: 'yellow', comment: 'Slower' },
    ]);
    ids.redOld = await ha.goal({ title: 'Red for 40 days' }, [
      { at: at(daysBefore(today, 60), 9), status: 'green' },
      { at: at(daysBefore(today, 40), 9), status: 'red', comment: 'Blocked' },
    ]);
    ids.red14 = await ha.item('low_hanging_fruit', { what: 'Red for 14 days', when: daysBefore(today, -30) }, [
      { at: at(daysBefore(today, 14), 0, 0), status: 'red', state: 'ongoing', comment: 'No venue' },
    ]);
    ids.red13 = await ha.item('low_hanging_fruit', { what: 'Red for 13 days', when: daysBefore(today, -30) }, [
      { at: at(daysBefore(today, 13), 23, 59), status: 'red', state: 'ongoing', comment: 'No venue' },
    ]);
    ids.overdue = await ha.item('activity', { title: 'Due yesterday', dueDate: daysBefore(today, 1) }, [
      { at: at(today, 0, 0), status: 'green', state: 'ongoing' },
    ]);
    // The same boundary for items listed for another reason: a red light 30 days old is not stale, an overdue item 31 days old is.
    ids.redFine = await ha.item('low_hanging_fruit', { what: 'Red for 30 days', when: daysBefore(today, -30) }, [
      { at: at(daysBefore(today, 30), 0, 1), status: 'red', state: 'ongoing', comment: 'No sponsor' },
    ]);
    ids.overdueStale = await ha.item('activity', { title: 'Overdue, untouched for 31 days', dueDate: daysBefore(today, 5) }, [
      { at: at(daysBefore(today, 31), 23, 59), status: 'green', state: 'planned' },
    ]);
    ids.dueToday = await ha.item('activity', { title: 'Due today', dueDate: today }, [
      { at: at(today, 0, 0), status: 'green', state: 'planned' },
    ]);
    ids.doneLate = await ha.item('activity', { title: 'Done after its date', dueDate: daysBefore(today, 10) }, [
      { at: at(today, 0, 0), status: 'green', state: 'done' },
    ]);
    ids.archivedItem = await ha.goal({ title: 'Archived and stale', archivedAt: at(daysBefore(today, 50), 9) }, [
      { at: at(daysBefore(today, 100), 9), status: 'green' },
    ]);

    const hb = new HistoryBuilder(t.dataSource, b.id);
    // Cadence 7.
    ids.bStale = await hb.goal({ title: 'Compare: 8 days' }, [{ at: at(daysBefore(today, 8), 12), status: 'green' }]);
    ids.bFine = await hb.goal({ title: 'Compare: 7 days' }, [{ at: at(daysBefore(today, 7), 0, 0), status: 'green' }]);

    await new HistoryBuilder(t.dataSource, archived.id).goal({ title: 'In an archived cluster' }, [
      { at: at(daysBefore(today, 300), 9), status: 'red', comment: 'Old' },
    ]);
    expect((await t.api().delete(`/api/v1/clusters/${archived.id}`)).status).toBe(204);
  });
  afterAll(() => t.close());

  it('lists stale, red_unchanged and overdue items, most urgent first, counting days exactly', async () => {
    const res = await t.api().get('/api/v1/needs-update');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 7, limit: 50, offset: 0 });
    expect(res.body.items.map((i: any) => [i.subject.title, i.reasons])).toEqual([
      ['Red for 40 days', ['red_unchanged', 'stale']],
      ['Red for 30 days', ['red_unchanged']],
      ['Red for 14 days', ['red_unchanged']],
      ['Overdue, untouched for 31 days', ['overdue', 'stale']],
      ['Due yesterday', ['overdue']],
      ['Updated 31 days ago, just before midnight', ['stale']],
      ['Compare: 8 days', ['stale']],
    ]);
    expect(res.body.items[0]).toEqual({
      clusterId: a.id,
      subject: { type: 'goal', id: ids.redOld, title: 'Red for 40 days' },
      reasons: ['red_unchanged', 'stale'],
      status: 'red',
      lastStatusAt: at(daysBefore(today, 40), 9),
      dueDate: null,
    });
    expect(res.body.items[2]).toMatchObject({ subject: { type: 'low_hanging_fruit', id: ids.red14 }, dueDate: daysBefore(today, -30) });
    expect(res.body.items[4]).toMatchObject({
      subject: { type: 'activity', id: ids.overdue },
      status: 'green',
      dueDate: daysBefore(today, 1),
    });
    expect(res.body.items[6]).toMatchObject({ clusterId: b.id, lastStatusAt: at(daysBefore(today, 8), 12) });
  });

  it('follows each cluster’s cadence, and a new status update takes an item off the list', async () => {
    await t.dataSource.query(`UPDATE cluster SET update_cadence_days = 31 WHERE id = $1`, [a.id]);
    try {
      const res = await t.api().get(`/api/v1/needs-update?clusterId=${a.id}&reason=stale`);
      expect(res.body.items.map((i: any) => i.subject.id)).toEqual([ids.redOld]);
    } finally {
      await t.dataSource.query(`UPDATE cluster SET update_cadence_days = 30 WHERE id = $1`, [a.id]);
    }
    const h = new HistoryBuilder(t.dataSource, b.id);
    const later = await h.goal({ title: 'Compare: stale, then updated' }, [{ at: at(daysBefore(today, 20), 9), status: 'green' }]);
    expect((await t.api().get(`/api/v1/needs-update?clusterId=${b.id}`)).body.items.map((i: any) => i.subject.id)).toContain(later);
    const update = await t.api().post(`/api/v1/goals/${later}/status-updates`).send({ status: 'green' });
    expect(update.status).toBe(201);
    expect((await t.api().get(`/api/v1/needs-update?clusterId=${b.id}`)).body.items.map((i: any) => i.subject.id)).toEqual([ids.bStale]);
  });

  it('filters by reason and cluster, and pages with the total on every page', async () => {
    const stale = await t.api().get('/api/v1/needs-update?reason=stale');
    expect(stale.body.total).toBe(4);
    expect(stale.body.items.map((i: any) => i.subject.id)).toEqual([ids.redOld, ids.overdueStale, ids.stale, ids.bStale]);
    const overdue = await t.api().get('/api/v1/needs-update?reason=overdue');
    expect(overdue.body.items.map((i: any) => i.subject.id)).toEqual([ids.overdueStale, ids.overdue]);
    const red = await t.api().get(`/api/v1/needs-update?reason=red_unchanged&clusterId=${a.id}`);
    expect(red.body.items.map((i: any) => i.subject.id)).toEqual([ids.redOld, ids.redFine, ids.red14]);
    expect((await t.api().get(`/api/v1/needs-update?clusterId=${b.id}`)).body.items.map((i: any) => i.subject.id)).toEqual([ids.bStale]);

    const page2 = await t.api().get('/api/v1/needs-update?limit=2&offset=2');
    expect(page2.body).toMatchObject({ total: 7, limit: 2, offset: 2 });
    expect(page2.body.items.map((i: any) => i.subject.id)).toEqual([ids.red14, ids.overdueStale]);
    const past = await t.api().get('/api/v1/needs-update?limit=2&offset=10');
    expect(past.body).toEqual({ items: [], total: 7, limit: 2, offset: 10 });
  });

  it('counts the stale items of each cluster in the dashboard rows', async () => {
    const res = await t.api().get('/api/v1/dashboard');
    const stale = Object.fromEntries(res.body.items.map((i: any) => [i.cluster.id, i.stale]));
    expect(stale).toEqual({ [a.id]: 3, [b.id]: 1 });
    await t.dataSource.query(`UPDATE cluster SET update_cadence_days = 365 WHERE id = $1`, [a.id]);
    try {
      const longer = await t.api().get('/api/v1/dashboard');
      expect(longer.body.items.find((i: any) => i.cluster.id === a.id).stale).toBe(0);
    } finally {
      await t.dataSource.query(`UPDATE cluster SET update_cadence_days = 30 WHERE id = $1`, [a.id]);
    }
  });

  it('shows each key only the clusters it may read', async () => {
    const editorB = (await t.key('editor', { clusterIds: [b.id] })).secret;
    const mine = await t.api(editorB).get('/api/v1/needs-update');
    expect(mine.body.items.map((i: any) => i.clusterId)).toEqual([b.id]);
    const notMine = await t.api(editorB).get(`/api/v1/needs-update?clusterId=${a.id}`);
    expect(notMine.body).toMatchObject({ items: [], total: 0 });
    const funder = (await t.api().post('/api/v1/funders').send({ name: 'Region Värmland', kind: 'regional_council' })).body;
    const funderKey = (await t.key('funder', { funderId: funder.id })).secret;
    expect((await t.api(funderKey).get('/api/v1/needs-update')).body).toMatchObject({ items: [], total: 0 });
    await t
      .api()
      .post(`/api/v1/funders/${funder.id}/fundings`)
      .send({ clusterId: b.id, programme: 'Regional', amount: 1, startsOn: '2020-01-01', endsOn: '2020-12-31' });
    expect((await t.api(funderKey).get('/api/v1/needs-update')).body.items.map((i: any) => i.subject.id)).toEqual([ids.bStale]);
    const viewer = (await t.key('viewer')).secret;
    expect((await t.api(viewer).get('/api/v1/needs-update')).body.total).toBe(7);
  });

  it('takes the cadence from the cluster: 1 to 365 days, 30 by default', async () => {
    expect(a.updateCadenceDays).toBe(30);
    const weekly = await createCluster(t, { name: 'Weekly cluster', updateCadenceDays: 7 });
    expect(weekly.updateCadenceDays).toBe(7);
    await new HistoryBuilder(t.dataSource, weekly.id).goal({ title: 'Eight days' }, [{ at: at(daysBefore(today, 8), 9), status: 'green' }]);
    const listed = async () => (await t.api().get(`/api/v1/needs-update?clusterId=${weekly.id}`)).body.total;
    expect(await listed()).toBe(1);
    const patched = await t.api().patch(`/api/v1/clusters/${weekly.id}`).send({ updateCadenceDays: 8 });
    expect(patched.status).toBe(200);
    expect(patched.body.updateCadenceDays).toBe(8);
    expect(await listed()).toBe(0);
    for (const bad of [0, 366, 1.5, '7', null]) {
      expectProblem(await t.api().patch(`/api/v1/clusters/${weekly.id}`).send({ updateCadenceDays: bad }), 400, 'updateCadenceDays');
      expectProblem(
        await t
          .api()
          .post('/api/v1/clusters')
          .send({ name: `Bad ${String(bad)}`, region: 'X', phase: 'initiation', updateCadenceDays: bad }),
        400,
        'updateCadenceDays',
      );
    }
    expect((await t.api().get(`/api/v1/clusters/${weekly.id}`)).body.updateCadenceDays).toBe(8);
    expect((await t.api().delete(`/api/v1/clusters/${weekly.id}`)).status).toBe(204);
  });

  it('follows risks up too: a risk nobody has looked at is stale, and counts on the dashboard', async () => {
    const c = await createCluster(t, { name: 'Risky cluster' });
    const h = new HistoryBuilder(t.dataSource, c.id);
    const risk = await h.risk({ title: 'Key firms leave', likelihood: 3, impact: 5 }, [
      { at: at(daysBefore(today, 45), 9), status: 'red', state: 'open', comment: 'Two firms hesitate' },
    ]);
    await h.risk({ title: 'Looked at last week', likelihood: 2, impact: 2 }, [
      { at: at(daysBefore(today, 7), 9), status: 'green', state: 'open' },
    ]);
    const res = await t.api().get(`/api/v1/needs-update?clusterId=${c.id}`);
    expect(res.body.items).toEqual([
      {
        clusterId: c.id,
        subject: { type: 'risk', id: risk, title: 'Key firms leave' },
        reasons: ['red_unchanged', 'stale'],
        status: 'red',
        lastStatusAt: at(daysBefore(today, 45), 9),
        dueDate: null,
      },
    ]);
    const row = (await t.api().get('/api/v1/dashboard')).body.items.find((i: any) => i.cluster.id === c.id);
    expect(row.stale).toBe(1);
    expect((await t.api().delete(`/api/v1/clusters/${c.id}`)).status).toBe(204);
  });

  it('refuses malformed filters, naming them', async () => {
    expectProblem(await t.api().get('/api/v1/needs-update?reason=late'), 400, 'reason');
    expectProblem(await t.api().get('/api/v1/needs-update?clusterId=findit'), 400, 'clusterId');
    expectProblem(await t.api().get('/api/v1/needs-update?limit=0'), 400, 'limit');
    expectProblem(await t.api().get('/api/v1/needs-update?offset='), 400, 'offset');
    expectProblem(await t.api(null).get('/api/v1/needs-update'), 401);
  });

  it('makes one SQL statement per page, for 2 clusters as for 20', async () => {
    const logger = t.dataSource.logger as StatementCountingLogger;
    const count = async (query: string) => {
      const before = logger.statements;
      const res = await t.api().get(`/api/v1/needs-update${query}`);
      expect(res.status).toBe(200);
      return logger.statements - before;
    };
    await count('');
    const few = [await count(''), await count('?offset=100'), await count('?reason=stale&limit=1')];
    for (let i = 0; i < 18; i++) {
      const c = await createCluster(t);
      await new HistoryBuilder(t.dataSource, c.id).goal({ title: `Stale ${i}` }, [{ at: at(daysBefore(today, 90), 9), status: 'green' }]);
    }
    expect((await t.api().get('/api/v1/needs-update')).body.total).toBe(7 + 18);
    const many = [await count(''), await count('?offset=100'), await count('?reason=stale&limit=1')];
    expect(few).toEqual([1, 1, 1]);
    expect(many).toEqual(few);
  });
});
