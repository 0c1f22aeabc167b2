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

  it('records each demo subject once: one created revision, at its backdated creation, and one .created event', async () => {
    const subjects = ['cluster', 'funding', 'goal', 'activity', 'low_hanging_fruit', 'risk', 'actor'];
    const counts = await t.dataSource.query<{ subject_type: string; n: number }[]>(
      `SELECT subject_type::text, count(*)::int AS n FROM (
         SELECT 'cluster' AS subject_type, id FROM cluster UNION ALL SELECT 'funding', id FROM funding
         UNION ALL SELECT 'goal', id FROM goal UNION ALL SELECT 'activity', id FROM activity
         UNION ALL SELECT 'low_hanging_fruit', id FROM low_hanging_fruit UNION ALL SELECT 'risk', id FROM risk
         UNION ALL SELECT 'actor', id FROM actor) s GROUP BY 1`,
    );
    expect(counts.reduce((sum, c) => sum + c.n, 0)).toBeGreaterThan(300);
    // Every subject: exactly one `created` revision, recorded at the row's createdAt, holding that createdAt.
    const wrong = await t.dataSource.query(
      `WITH subjects AS (
         SELECT 'cluster' AS subject_type, id, created_at FROM cluster UNION ALL SELECT 'funding', id, created_at FROM funding
         UNION ALL SELECT 'goal', id, created_at FROM goal UNION ALL SELECT 'activity', id, created_at FROM activity
         UNION ALL SELECT 'low_hanging_fruit', id, created_at FROM low_hanging_fruit
         UNION ALL SELECT 'risk', id, created_at FROM risk UNION ALL SELECT 'actor', id, created_at FROM actor)
       SELECT s.subject_type, s.id, count(r.*) AS created, min(r.recorded_at) AS recorded_at, s.created_at
         FROM subjects s LEFT JOIN revision r ON r.subject_id = s.id AND r.kind = 'created'
        GROUP BY 1, 2, s.created_at
       HAVING count(r.*) <> 1
           OR min(r.recorded_at) <> date_trunc('milliseconds', s.created_at)
           OR min((r.state->>'created_at')::timestamptz) <> s.created_at`,
    );
    expect(wrong).toEqual([]);
    expect(subjects).toHaveLength(counts.length);

    // In the events feed: one `.created` event per subject.
    const created = new Map<string, number>();
    let next: string | undefined;
    for (;;) {
      const page = await t.api().get(`/api/v1/events?limit=200${next ? `&after=${next}` : ''}`);
      expect(page.status).toBe(200);
      for (const e of page.body.items as { type: string; subject: { id: string } }[]) {
        if (e.type.endsWith('.created')) created.set(e.subject.id, (created.get(e.subject.id) ?? 0) + 1);
      }
      if (page.body.items.length === 0) break;
      next = page.body.next as string;
    }
    expect(created.size).toBeGreaterThan(300);
    expect([...created.values()].filter((n) => n !== 1)).toEqual([]);

    // Read as of now, an item and a cluster are what a live read shows.
    const findit = (await t.api().get('/api/v1/clusters?q=Findit')).body.items[0];
    const goal = (await t.api().get(`/api/v1/clusters/${findit.id}/goals`)).body.items[0];
    const now = new Date().toISOString();
    for (const path of [`/api/v1/clusters/${findit.id}`, `/api/v1/goals/${goal.id}`]) {
      const live = await t.api().get(path);
      const asOf = await t.api().get(`${path}?asOf=${now}`);
      expect(asOf.status).toBe(200);
      expect(asOf.body.createdAt).toBe(live.body.createdAt);
    }
  });

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
        SELECT id, status, NULL::text AS state FROM goal
        UNION ALL SELECT id, status, state::text FROM activity
        UNION ALL SELECT id, status, state::text FROM low_hanging_fruit
        UNION ALL SELECT id, status, state::text FROM risk)
      SELECT i.id FROM items i
      JOIN LATERAL (SELECT su.status, su.state::text AS state FROM status_update su WHERE su.subject_id = i.id ORDER BY su.created_at DESC, su.seq DESC LIMIT 1) e ON true
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
    expect((await t.api(t.adminKey).get('/api/v1/api-keys')).status).toBe(200);
    // The demo makes no admin key of its own: start-up's (or ADMIN_API_KEY's) is the only one.
    const admins = await t.dataSource.query(`SELECT name FROM api_key WHERE role = 'admin'`);
    expect(admins).toHaveLength(1);
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

  it('dates every item as its history says: made at its first entry, completed at the entry that made it done', async () => {
    const findit = (await t.api().get('/api/v1/clusters?q=Findit')).body.items[0];
    const activities = (await t.api().get(`/api/v1/clusters/${findit.id}/activities?limit=200`)).body.items;
    const done = activities.filter((a: { state: string }) => a.state === 'done');
    expect(done.length).toBeGreaterThan(0);
    for (const a of activities) {
      const history = (await t.api().get(`/api/v1/activities/${a.id}/status-updates?limit=200`)).body.items;
      const oldest = history.at(-1);
      expect(a.createdAt).toBe(oldest.createdAt);
      const madeDone = history.filter((e: { state: string }) => e.state === 'done').at(-1);
      expect(a.completedAt).toBe(madeDone ? madeDone.createdAt : null);
      if (a.state === 'done') expect(Date.parse(a.completedAt)).toBeLessThan(Date.now() - 86_400_000);
    }
    // The same in every table, for every item.
    const wrong = await t.dataSource.query(`
      WITH items AS (
        SELECT id, created_at, NULL::timestamptz AS completed_at, NULL::text AS state FROM goal
        UNION ALL SELECT id, created_at, completed_at, state::text FROM activity
        UNION ALL SELECT id, created_at, completed_at, state::text FROM low_hanging_fruit
        UNION ALL SELECT id, created_at, NULL::timestamptz, state::text FROM risk)
      SELECT i.id FROM items i
      WHERE i.created_at <> (SELECT min(created_at) FROM status_update su WHERE su.subject_id = i.id)
         OR i.completed_at IS DISTINCT FROM (SELECT min(created_at) FROM status_update su WHERE su.subject_id = i.id AND su.state = 'done')
         OR EXISTS (SELECT 1 FROM measurement m WHERE m.goal_id = i.id AND m.created_at < i.created_at)`);
    expect(wrong).toEqual([]);
    // Clusters were registered before their history began.
    const [{ early }] = await t.dataSource.query(
      `SELECT count(*)::int AS early FROM cluster c WHERE c.created_at > (SELECT min(created_at) FROM status_update su WHERE su.cluster_id = c.id)`,
    );
    expect(early).toBe(0);
  });

  it('gives every initiative a handful of risks and 10–30 actors across the Triple Helix, whose engagement moved during the year', async () => {
    const clusters = (await t.api().get('/api/v1/clusters?limit=200')).body.items as { id: string; name: string }[];
    for (const c of clusters) {
      const risks = (await t.api().get(`/api/v1/clusters/${c.id}/risks`)).body;
      expect(risks.total).toBeGreaterThanOrEqual(4);
      expect(risks.total).toBeLessThanOrEqual(6);
      const actors = (await t.api().get(`/api/v1/clusters/${c.id}/actors?limit=200`)).body;
      expect(actors.total).toBeGreaterThanOrEqual(10);
      expect(actors.total).toBeLessThanOrEqual(30);
      const kinds = new Set(actors.items.map((a: { kind: string }) => a.kind));
      for (const kind of ['company', 'academia', 'public_sector']) expect(kinds).toContain(kind);
    }
    // Engagement moved during the backdated year: a report of the last twelve months sees more engaged actors at its end.
    const from = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date().toISOString().slice(0, 10);
    const report = (await t.api().get(`/api/v1/clusters/${clusters[0].id}/report?from=${from}&to=${to}`)).body;
    const section = report.clusters[0];
    const engaged = (counts: { engagement: string; count: number }[]) =>
      counts.filter((c) => c.engagement === 'engaged' || c.engagement === 'committed').reduce((n, c) => n + c.count, 0);
    expect(engaged(section.actors.end)).toBeGreaterThan(engaged(section.actors.start));
    expect(section.risks.length).toBeGreaterThanOrEqual(4);
    expect(section.risks.some((r: { changes: unknown[] }) => r.changes.length > 1)).toBe(true);
  });

  it('shows last quarter’s risks and actors in last quarter’s report and in reads as of its end', async () => {
    const findit = (await t.api().get('/api/v1/clusters?q=Findit')).body.items[0];
    const now = new Date();
    const quarter = Math.floor(now.getUTCMonth() / 3);
    const period = quarter === 0 ? `${now.getUTCFullYear() - 1}-Q4` : `${now.getUTCFullYear()}-Q${quarter}`;
    const report = (await t.api(keys!.editor).get(`/api/v1/clusters/${findit.id}/report?period=${period}`)).body;
    const end = Date.parse(report.to);
    const risks = (await t.api().get(`/api/v1/clusters/${findit.id}/risks?limit=200`)).body.items as { id: string; createdAt: string }[];
    const risksThen = risks.filter((r) => Date.parse(r.createdAt) <= end).map((r) => r.id);
    expect(risksThen.length).toBeGreaterThan(0);
    expect(report.clusters[0].risks.map((r: { id: string }) => r.id).sort()).toEqual(risksThen.sort());
    const asOf = report.to;
    const risksAsOf = (await t.api().get(`/api/v1/clusters/${findit.id}/risks?limit=200&asOf=${asOf}`)).body.items;
    expect(risksAsOf.map((r: { id: string }) => r.id).sort()).toEqual(risksThen.sort());
    const actors = (await t.api().get(`/api/v1/clusters/${findit.id}/actors?limit=200`)).body.items as { id: string; createdAt: string }[];
    const actorsThen = actors.filter((a) => Date.parse(a.createdAt) <= end).map((a) => a.id);
    expect(actorsThen.length).toBeGreaterThan(0);
    const actorsAsOf = (await t.api().get(`/api/v1/clusters/${findit.id}/actors?limit=200&asOf=${asOf}`)).body.items;
    expect(actorsAsOf.map((a: { id: string }) => a.id).sort()).toEqual(actorsThen.sort());
  });

  it('gives the four Vinnova-funded initiatives plans of their own', async () => {
    const vinnova = (await t.api(keys!.funder).get('/api/v1/funders')).body.items[0];
    const clusters = (await t.api(keys!.funder).get('/api/v1/clusters')).body.items;
    expect(clusters).toHaveLength(4);
    expect(vinnova.name).toBe('Vinnova');
    const plans: string[][] = [];
    for (const c of clusters) {
      const goals = (await t.api().get(`/api/v1/clusters/${c.id}/goals?limit=200`)).body.items.map((g: { title: string }) => g.title);
      const activities = (await t.api().get(`/api/v1/clusters/${c.id}/activities?limit=200`)).body.items.map(
        (a: { title: string }) => a.title,
      );
      expect(goals.length).toBeGreaterThan(2);
      expect(activities.length).toBeGreaterThan(2);
      plans.push([...goals, ...activities]);
    }
    // No two share a goal or an activity.
    for (let i = 0; i < plans.length; i++) {
      for (let j = i + 1; j < plans.length; j++) expect(plans[i].filter((title) => plans[j].includes(title))).toEqual([]);
    }
  });

  it('measures in whole numbers where the unit counts things', async () => {
    const fractions = await t.dataSource.query(`
      SELECT g.indicator_unit AS unit, m.value FROM measurement m JOIN goal g ON g.id = m.goal_id
      WHERE position('%' in g.indicator_unit) = 0 AND m.value <> round(m.value)`);
    expect(fractions).toEqual([]);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM measurement`);
    expect(n).toBeGreaterThan(50);
  });

  it('tells a believable story: mostly green and yellow, a few reds each with its reason, done work green', async () => {
    const dashboard = (await t.api().get('/api/v1/dashboard')).body.items as {
      cluster: { name: string };
      worstStatus: string;
      goals: Record<string, number>;
      activities: Record<string, number>;
      lowHangingFruits: Record<string, number>;
      risks: Record<string, number>;
    }[];
    expect(dashboard).toHaveLength(9);
    const red = dashboard.filter((row) => row.worstStatus === 'red').map((row) => row.cluster.name);
    // The two initiatives with a reason to be red are, and at most one more (a risk that occurred).
    expect(red).toEqual(expect.arrayContaining(['Automation Region', 'IGIS']));
    expect(red.length).toBeLessThanOrEqual(3);
    const lights = { green: 0, yellow: 0, red: 0 } as Record<string, number>;
    for (const row of dashboard) {
      for (const counts of [row.goals, row.activities, row.lowHangingFruits, row.risks]) {
        for (const status of ['green', 'yellow', 'red']) lights[status] += counts[status];
      }
    }
    expect(lights.green).toBeGreaterThan(lights.yellow);
    expect(lights.yellow).toBeGreaterThan(5 * lights.red);
    expect(lights.red).toBeGreaterThan(0);

    // Every item red today says why: its newest history entry has a comment.
    const silent = await t.dataSource.query(`
      SELECT i.id FROM (SELECT id, status FROM goal UNION ALL SELECT id, status FROM activity
                        UNION ALL SELECT id, status FROM low_hanging_fruit UNION ALL SELECT id, status FROM risk) i
      WHERE i.status = 'red'
        AND (SELECT su.comment FROM status_update su WHERE su.subject_id = i.id ORDER BY su.created_at DESC, su.id DESC LIMIT 1) IS NULL`);
    expect(silent).toEqual([]);
    // Done work is green (as the demo left it: the key test above tries a status update on one of Findit's activities).
    const doneNotGreen = await t.dataSource.query(`
      SELECT i.id, i.status FROM (SELECT id, state, status FROM activity UNION ALL SELECT id, state, status FROM low_hanging_fruit) i
      WHERE i.state = 'done' AND i.status <> 'green'
        AND NOT EXISTS (SELECT 1 FROM status_update su WHERE su.subject_id = i.id AND su.comment = 'Trying the demo')`);
    expect(doneNotGreen).toEqual([]);
    const [{ done }] = await t.dataSource.query(
      `SELECT count(*)::int AS done FROM (SELECT state FROM activity UNION ALL SELECT state FROM low_hanging_fruit) i WHERE i.state = 'done'`,
    );
    expect(done).toBeGreaterThan(0);
  });

  it('says an item was delivered only when it was done, and started only once it was ongoing', async () => {
    const wrong = await t.dataSource.query(`
      SELECT su.comment, su.state FROM status_update su
      WHERE (su.comment LIKE 'Delivered%' AND su.state IS DISTINCT FROM 'done')
         OR (su.comment LIKE 'Started%' AND su.state IS DISTINCT FROM 'ongoing')
         OR (su.comment LIKE 'Cancelled%' AND su.state IS DISTINCT FROM 'cancelled')`);
    expect(wrong).toEqual([]);
    // An item that is still planned was never ongoing, done or cancelled.
    const backwards = await t.dataSource.query(`
      SELECT i.id FROM (SELECT id, state FROM activity UNION ALL SELECT id, state FROM low_hanging_fruit) i
      WHERE i.state = 'planned' AND EXISTS (SELECT 1 FROM status_update su WHERE su.subject_id = i.id AND su.state <> 'planned')`);
    expect(backwards).toEqual([]);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM status_update WHERE comment = 'Delivered as planned.'`);
    expect(n).toBeGreaterThan(0);
  });

  it('has Findit’s narrative of its last half-year, in Swedish, in the reports known after it was written', async () => {
    const findit = (await t.api().get('/api/v1/clusters?q=Findit')).body.items[0];
    const now = new Date();
    const period = now.getUTCMonth() < 6 ? `${now.getUTCFullYear() - 1}-H2` : `${now.getUTCFullYear()}-H1`;
    const narrative = await t.api(keys!.funder).get(`/api/v1/clusters/${findit.id}/narratives/${period}`);
    expect(narrative.status).toBe(200);
    expect(narrative.body.summary).toContain('Findit har under halvåret');
    expect(narrative.body.nextSteps).toContain('Högskolan i Gävle');
    // Written after the half-year: not in its report as known at its end, in the one as known now.
    const report = (query: string) => t.api(keys!.funder).get(`/api/v1/clusters/${findit.id}/report?period=${period}${query}`);
    expect((await report('')).body.clusters[0].narrative).toBeUndefined();
    const known = await report(`&knownAt=${encodeURIComponent(new Date().toISOString())}`);
    expect(known.body.clusters[0].narrative).toMatchObject({ period, summary: narrative.body.summary });
    // And as of a day before it was written, there was none.
    const before = new Date(Date.parse(narrative.body.createdAt) - 86_400_000).toISOString();
    expect((await t.api().get(`/api/v1/clusters/${findit.id}/narratives/${period}?asOf=${encodeURIComponent(before)}`)).status).toBe(404);
  });
});

describe('demo data: programme indicators', () => {
  let t: TestApp;
  let keys: Awaited<ReturnType<DemoService['loadIfEmpty']>>;
  beforeAll(async () => {
    t = await startTestApp();
    keys = await t.app.get(DemoService).loadIfEmpty();
  });
  afterAll(() => t.close());

  it('Vinnova’s totals of the last half-year count the firms its clusters share once, by size, with private investment', async () => {
    const now = new Date();
    const period = now.getUTCMonth() >= 6 ? `${now.getUTCFullYear()}-H1` : `${now.getUTCFullYear() - 1}-H2`;
    const funders = await t.api(keys!.funder).get('/api/v1/funders').expect(200);
    const vinnova = funders.body.items[0].id as string;
    const res = await t.api(keys!.funder).get(`/api/v1/funders/${vinnova}/indicator-totals?period=${period}`).expect(200);
    expect(res.body.complete).toBe(true);
    const byCode = new Map(
      (res.body.items as { definition: { code: string } }[]).map((i) => [i.definition.code, i as Record<string, any>]),
    );
    expect([...byCode.keys()]).toEqual(['RCO01', 'RCO10', 'RCR02']);
    const rco01 = byCode.get('RCO01')!;
    expect(rco01.clusters).toHaveLength(4);
    expect(rco01.overlap).toBeGreaterThan(0);
    expect(rco01.total).toBe(rco01.clusters.reduce((s: number, c: { value: number }) => s + c.value, 0) - rco01.overlap);
    const sizes = rco01.byEnterpriseSize as Record<string, number>;
    expect(sizes.micro + sizes.small + sizes.medium + sizes.large).toBe(rco01.total);
    expect(byCode.get('RCR02')!.total).toBeGreaterThan(0);
    expect(byCode.get('RCR02')!.overlap).toBe(0);
  });
});
