import { lastStatusBackfill } from '../migrations/1796800000000-LastStatus.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createGoal, createRisk } from './support/factories.js';
import { HistoryBuilder } from './support/history.js';
import { ownStatements } from './support/statements.js';

/**
 * Each plan item's newest history time lives in its one `last_status` row, kept by the history's own insert, so the
 * dashboard and GET /needs-update count stale items without reading the history, however much of it there is.
 */
describe('last_status: one row per item for the follow-up rhythm', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'Rhythm', region: 'Gävleborg' });
    const goal = await createGoal(t, cluster.id, { status: 'yellow', statusComment: 'Slow' });
    await t.api().post(`/api/v1/goals/${goal.id}/status-updates`).send({ status: 'green' }).expect(201);
    await createActivity(t, cluster.id, { status: 'red', statusComment: 'Late' });
    await createRisk(t, cluster.id);
    const history = new HistoryBuilder(t.dataSource, cluster.id);
    await history.goal({ title: 'Long quiet' }, [
      { at: '2025-01-10T09:00:00Z', status: 'green' },
      { at: '2025-03-01T09:00:00Z', status: 'red', comment: 'Stuck' },
    ]);
  });
  afterAll(() => t.close());

  const newestEntries = () =>
    t.dataSource.query(
      `SELECT DISTINCT ON (subject_id) subject_id, cluster_id, created_at FROM status_update
       ORDER BY subject_id, created_at DESC, seq DESC`,
    );
  const lastStatus = () => t.dataSource.query(`SELECT subject_id, cluster_id, created_at FROM last_status ORDER BY subject_id`);

  it('holds the newest history entry of every item, whoever wrote the history', async () => {
    expect(await lastStatus()).toEqual(await newestEntries());
    const items = await t.dataSource.query(
      `SELECT id FROM goal UNION ALL SELECT id FROM activity UNION ALL SELECT id FROM risk WHERE id IN (SELECT subject_id FROM status_update)`,
    );
    expect((await lastStatus()).length).toBe(items.length);
  });

  it('is not moved back by an entry older than the newest', async () => {
    const [goal] = await t.dataSource.query(`SELECT id FROM goal WHERE title = 'Long quiet'`);
    const [before] = await t.dataSource.query(`SELECT created_at FROM last_status WHERE subject_id = $1`, [goal.id]);
    await t.dataSource.query(
      `INSERT INTO status_update (subject_type, subject_id, cluster_id, status, author, created_at) VALUES ('goal', $1, $2, 'green', 'x', '2024-06-01T00:00:00Z')`,
      [goal.id, cluster.id],
    );
    const [after] = await t.dataSource.query(`SELECT created_at FROM last_status WHERE subject_id = $1`, [goal.id]);
    expect(after.created_at).toEqual(before.created_at);
    expect(await lastStatus()).toEqual(await newestEntries());
  });

  it("the migration's backfill makes the same rows from the history", async () => {
    const kept = await lastStatus();
    await t.dataSource.query(`DELETE FROM last_status`);
    await t.dataSource.query(lastStatusBackfill());
    expect(await lastStatus()).toEqual(kept);
  });

  it('the dashboard and GET /needs-update read one row per item, never the history', async () => {
    const dashboard = await ownStatements(t, () => t.api().get('/api/v1/dashboard'));
    expect(dashboard.result.status).toBe(200);
    const [row] = dashboard.result.body.items;
    // The quiet goal is stale under any cadence; the others were written today.
    expect(row).toMatchObject({ cluster: { id: cluster.id } });
    expect(row.stale).toBe(1);
    const needs = await ownStatements(t, () => t.api().get('/api/v1/needs-update'));
    expect(needs.result.status).toBe(200);
    expect(needs.result.body.items.map((i: any) => [i.subject.title, i.reasons, i.lastStatusAt])).toEqual([
      ['Long quiet', ['red_unchanged', 'stale'], '2025-03-01T09:00:00.000Z'],
    ]);
    for (const { statements } of [dashboard, needs]) {
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/\blast_status\b/);
      expect(statements[0]).not.toMatch(/\bstatus_update\b/);
    }
  });
});
