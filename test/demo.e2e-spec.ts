import { DemoService } from '../src/demo/demo.service.js';
import { startTestApp, type TestApp } from './support/app.js';

describe('demo data', () => {
  let t: TestApp;
  let keys: Awaited<ReturnType<DemoService['loadIfEmpty']>>;
  beforeAll(async () => {
    t = await startTestApp();
    keys = await t.app.get(DemoService).loadIfEmpty();
  });
  afterAll(() => t.close());

  it('loads the programme’s initiatives and funders, once', async () => {
    expect(keys).toBeDefined();
    const clusters = await t.api().get('/api/v1/clusters?limit=200');
    expect(clusters.body.items.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['Findit', 'Kalmar Science Park cluster', 'CleanTech Östergötland', 'HNV', 'IGIS', 'Automation Region']),
    );
    const funders = await t.api().get('/api/v1/funders');
    expect(funders.body.items.map((f: { name: string }) => f.name)).toEqual(
      expect.arrayContaining(['Vinnova', 'RF Gävleborg', 'RF Sörmland', 'Landstinget Västernorrland']),
    );
    expect(await t.app.get(DemoService).loadIfEmpty()).toBeUndefined();
    expect((await t.api().get('/api/v1/clusters?limit=200')).body.total).toBe(clusters.body.total);
  });

  it('keeps every invariant: an item’s current status and state are those of its newest history entry', async () => {
    const mismatches = await t.dataSource.query(`
      WITH items AS (
        SELECT id, status, NULL::item_state AS state FROM goal
        UNION ALL SELECT id, status, state FROM activity
        UNION ALL SELECT id, status, state FROM low_hanging_fruit)
      SELECT i.id FROM items i
      JOIN LATERAL (SELECT su.status, su.state FROM status_update su WHERE su.subject_id = i.id ORDER BY su.created_at DESC, su.seq DESC LIMIT 1) e ON true
      WHERE e.status <> i.status OR e.state IS DISTINCT FROM i.state`);
    expect(mismatches).toEqual([]);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM status_update WHERE created_at < now() - interval '90 days'`);
    expect(n).toBeGreaterThan(100);
  });

  it('gives one key per role that behaves as its hint says', async () => {
    const findit = (await t.api().get('/api/v1/clusters?q=Findit')).body.items[0];
    const editorClusters = await t.api(keys!.editor).get('/api/v1/clusters');
    expect(editorClusters.body.items.map((c: { id: string }) => c.id)).toEqual([findit.id]);
    const activities = await t.api(keys!.editor).get(`/api/v1/clusters/${findit.id}/activities`);
    const activity = activities.body.items[0];
    const update = await t
      .api(keys!.editor)
      .post(`/api/v1/activities/${activity.id}/status-updates`)
      .send({ status: 'yellow', comment: 'Trying the demo' });
    expect(update.status).toBe(201);

    const funderClusters = await t.api(keys!.funder).get('/api/v1/clusters');
    expect(funderClusters.body.items.map((c: { name: string }) => c.name).sort()).toEqual(
      ['Automation Region', 'Findit', 'Framtidens Bioraffinaderi', 'Smart Textiles'].sort(),
    );
    expect((await t.api(keys!.viewer).get('/api/v1/dashboard')).body.total).toBe(9);
    expect((await t.api(keys!.admin).get('/api/v1/api-keys')).status).toBe(200);
  });

  it('has a history that makes last quarter’s report show change', async () => {
    const vinnova = (await t.api(keys!.funder).get('/api/v1/funders')).body.items[0];
    const now = new Date();
    const quarter = Math.floor(now.getUTCMonth() / 3);
    const period = quarter === 0 ? `${now.getUTCFullYear() - 1}-Q4` : `${now.getUTCFullYear()}-Q${quarter}`;
    const report = await t.api(keys!.funder).get(`/api/v1/funders/${vinnova.id}/report?period=${period}`);
    expect(report.status).toBe(200);
    expect(report.body.clusters).toHaveLength(4);
    const changes = report.body.clusters.flatMap((c: any) => [...c.goals, ...c.activities].flatMap((i: any) => i.changes));
    expect(changes.length).toBeGreaterThan(10);
    expect(changes.some((c: { status: string }) => c.status !== 'green')).toBe(true);
  });
});
