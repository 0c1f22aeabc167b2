import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { asOfRows } from '../src/revisions/as-of.js';
import { RevisionsService } from '../src/revisions/revisions.service.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { createEmptyDatabase, dropTestDatabase } from './support/database.js';

const REVISIONS = MIGRATIONS.findIndex((m) => m.name === 'Revisions1796100000000');

describe('the revisions migration', () => {
  let url: string;
  let ds: DataSource;
  beforeAll(async () => {
    url = await createEmptyDatabase();
    // The schema as it was before revisions, with data written then.
    const before = new DataSource({ ...dataSourceOptions(url), migrations: MIGRATIONS.slice(0, REVISIONS) });
    await before.initialize();
    await before.runMigrations({ transaction: 'all' });
    await before.query(`
      INSERT INTO cluster (id, name, name_key, region, phase, version, created_at, updated_at)
        VALUES ('00000000-0000-4000-8000-000000000001', 'Findit', 'findit', 'Gävleborg', 'formation', 3,
                '2025-01-10T09:00:00Z', '2025-06-01T09:00:00Z');
      INSERT INTO funder (id, name, kind, version, created_at, updated_at)
        VALUES ('00000000-0000-4000-8000-000000000002', 'Vinnova', 'national_agency', 1, '2025-01-11T09:00:00Z', '2025-01-11T09:00:00Z');
      INSERT INTO funding (id, funder_id, cluster_id, programme, amount, starts_on, ends_on, version, created_at, updated_at, archived_at)
        VALUES ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001',
                'Vinnväxt', 2000000.00, '2024-01-01', '2027-12-31', 4, '2025-01-12T09:00:00Z', '2026-03-01T09:00:00Z', '2026-03-01T09:00:00Z');
      INSERT INTO goal (id, cluster_id, title, horizon, status, version, created_at, updated_at)
        VALUES ('00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', 'Ten firms', 'short_term', 'red', 5,
                '2025-02-01T09:00:00Z', '2025-05-01T09:00:00Z');
      INSERT INTO status_update (subject_type, subject_id, cluster_id, status, author, created_at) VALUES
        ('goal', '00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', 'green', 'Anna', '2025-02-01T09:00:00Z'),
        ('goal', '00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', 'yellow', 'Bo', '2025-03-01T09:00:00Z'),
        ('goal', '00000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', 'red', 'Cia', '2025-04-01T09:00:00Z');
      INSERT INTO activity (id, cluster_id, title, state, status, version, created_at, updated_at, completed_at, archived_at)
        VALUES ('00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000001', 'Kick-off', 'done', 'green', 3,
                '2025-02-01T09:00:00Z', '2025-08-01T09:00:00Z', '2025-03-01T09:00:00.123456Z', '2025-08-01T09:00:00Z');
      INSERT INTO status_update (subject_type, subject_id, cluster_id, status, state, author, created_at) VALUES
        ('activity', '00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000001', 'green', 'planned', 'Anna', '2025-02-01T09:00:00Z'),
        ('activity', '00000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000001', 'green', 'done', 'Anna', '2025-03-01T09:00:00Z');
      INSERT INTO measurement (id, goal_id, value, measured_on, author, created_at)
        VALUES ('00000000-0000-4000-8000-000000000006', '00000000-0000-4000-8000-000000000004', 4, '2025-03-31', 'Bo', '2025-04-02T09:00:00Z');
    `);
    await before.destroy();
    ds = new DataSource(dataSourceOptions(url));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'all' });
  });
  afterAll(async () => {
    await ds.destroy();
    await dropTestDatabase(url);
  });

  const revisionsOf = (id: string) =>
    ds.query<{ kind: string; version: number; author: string; recorded_at: Date; state: Record<string, any> }[]>(
      `SELECT kind, version, author, recorded_at, state FROM revision WHERE subject_id = $1 ORDER BY recorded_at, position`,
      [id],
    );
  const rowOf = async (table: string, id: string) =>
    (await ds.query(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE id = $1`, [id]))[0].row;

  it('gives every existing row a created revision whose newest state is the row as it is', async () => {
    const cluster = await revisionsOf('00000000-0000-4000-8000-000000000001');
    expect(cluster.map((r) => [r.kind, r.version, r.recorded_at.toISOString()])).toEqual([['created', 3, '2025-01-10T09:00:00.000Z']]);
    expect(cluster[0].state).toEqual(await rowOf('cluster', '00000000-0000-4000-8000-000000000001'));
    const funder = await revisionsOf('00000000-0000-4000-8000-000000000002');
    expect(funder.map((r) => r.kind)).toEqual(['created']);
    const measurement = await revisionsOf('00000000-0000-4000-8000-000000000006');
    expect(measurement.map((r) => [r.kind, r.version, r.author])).toEqual([['created', 1, 'Bo']]);
  });

  it('makes one revision per history entry of a plan item, with the status it gave, by its author, at its time', async () => {
    const goal = await revisionsOf('00000000-0000-4000-8000-000000000004');
    expect(goal.map((r) => [r.kind, r.version, r.author, r.state.status, r.recorded_at.toISOString()])).toEqual([
      ['created', 3, 'Anna', 'green', '2025-02-01T09:00:00.000Z'],
      ['status', 4, 'Bo', 'yellow', '2025-03-01T09:00:00.000Z'],
      ['status', 5, 'Cia', 'red', '2025-04-01T09:00:00.000Z'],
    ]);
    expect(goal[2].state).toEqual(await rowOf('goal', '00000000-0000-4000-8000-000000000004'));
  });

  it('keeps archived rows unarchived before their archive date, so that earlier periods still count them', async () => {
    const funding = await revisionsOf('00000000-0000-4000-8000-000000000003');
    expect(funding.map((r) => [r.kind, r.version, r.state.archived_at, r.recorded_at.toISOString()])).toEqual([
      ['created', 3, null, '2025-01-12T09:00:00.000Z'],
      ['archived', 4, expect.stringMatching(/^2026-03-01/), '2026-03-01T09:00:00.000Z'],
    ]);
    const activity = await revisionsOf('00000000-0000-4000-8000-000000000005');
    expect(activity.map((r) => [r.kind, r.version, r.state.state, r.state.completed_at !== null, r.state.archived_at !== null])).toEqual([
      ['created', 1, 'planned', false, false],
      ['status', 2, 'done', true, false],
      ['archived', 3, 'done', true, true],
    ]);
    expect(activity[2].state).toEqual(await rowOf('activity', '00000000-0000-4000-8000-000000000005'));
  });

  it('answers "the rows as of T" from the revisions, and nothing before a row existed', async () => {
    const statusAt = async (at: string) =>
      ds.query<{ status: string }[]>(`SELECT g.status FROM ${asOfRows('goal')} g`.replace(':asOf', '$1'), [at]);
    expect(await statusAt('2025-01-31T00:00:00Z')).toEqual([]);
    expect(await statusAt('2025-03-15T00:00:00Z')).toEqual([{ status: 'yellow' }]);
    expect(await statusAt('2025-04-01T09:00:00Z')).toEqual([{ status: 'red' }]);
    const archivedAt = async (at: string) =>
      ds.query<{ archived_at: Date | null }[]>(`SELECT f.archived_at FROM ${asOfRows('funding')} f`.replace(':asOf', '$1'), [at]);
    expect(await archivedAt('2026-02-28T00:00:00Z')).toEqual([{ archived_at: null }]);
    expect((await archivedAt('2026-03-02T00:00:00Z'))[0].archived_at).toBeInstanceOf(Date);
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    for (const sql of ['UPDATE revision SET author = $1', 'DELETE FROM revision WHERE author <> $1', 'TRUNCATE revision']) {
      await expect(ds.query(sql, sql.includes('$1') ? ['x'] : [])).rejects.toThrow(/append-only/);
    }
  });
});

describe('revisions of a resource', () => {
  let t: TestApp;
  let revisions: RevisionsService;
  let cluster: Record<string, any>;
  let goal: Record<string, any>;
  let editor: { secret: string; id: string };
  let otherEditor: { secret: string; id: string };
  const caller = (name: string, keyId: string | null = null) => ({ name, keyId: keyId as string });

  beforeAll(async () => {
    t = await startTestApp();
    revisions = t.app.get(RevisionsService);
    cluster = await createCluster(t, { name: 'Robotdalen' });
    const other = await createCluster(t, { name: 'Elsewhere' });
    editor = await t.key('editor', { clusterIds: [cluster.id], name: 'Anna' });
    otherEditor = await t.key('editor', { clusterIds: [other.id] });
    goal = await createGoal(t, cluster.id, {
      title: 'Ten firms',
      dueDate: '2026-09-30',
      indicator: { unit: 'firms', baseline: 2, target: 10 },
    });
  });
  afterAll(() => t.close());

  /** A write through the API followed by its revision, in one transaction as the services will make them. */
  async function write(kind: 'created' | 'updated' | 'status', body?: Record<string, unknown>, author = 'Anna') {
    if (body) expect((await t.api().patch(`/api/v1/goals/${goal.id}`).send(body)).status).toBe(200);
    await t.dataSource.transaction((m) => revisions.record(m, 'goal', { id: goal.id as string }, caller(author, editor.id), kind));
  }

  it('lists revisions newest first with what each changed, field by field', async () => {
    await write('created');
    await write('updated', { dueDate: '2026-12-15', indicator: { unit: 'firms', baseline: 2, target: 12.5 } });
    await write('updated', { title: 'Twelve firms' }, 'Bo');
    const res = await t.api(editor.secret).get(`/api/v1/goals/${goal.id}/revisions`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(3);
    expect(res.body.items.map((r: any) => [r.kind, r.version, r.author])).toEqual([
      ['updated', 3, 'Bo'],
      ['updated', 2, 'Anna'],
      ['created', 1, 'Anna'],
    ]);
    expect(res.body.items[0].changes).toEqual([{ field: 'title', from: 'Ten firms', to: 'Twelve firms' }]);
    expect(res.body.items[1].changes).toEqual([
      { field: 'dueDate', from: '2026-09-30', to: '2026-12-15' },
      { field: 'indicator.target', from: 10, to: 12.5 },
    ]);
    expect(res.body.items[2].changes).toEqual(
      expect.arrayContaining([
        { field: 'title', from: null, to: 'Ten firms' },
        { field: 'indicator.baseline', from: null, to: 2 },
        { field: 'status', from: null, to: 'green' },
      ]),
    );
    expect(res.body.items[1]).toMatchObject({ authorKeyId: editor.id, recordedAt: expect.stringMatching(/Z$/) });
  });

  it('pages with limit and offset, keeping each revision’s changes against the one before it', async () => {
    const res = await t.api().get(`/api/v1/goals/${goal.id}/revisions?limit=1&offset=1`);
    expect(res.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(res.body.items.map((r: any) => r.changes.map((c: any) => c.field))).toEqual([['dueDate', 'indicator.target']]);
    const past = await t.api().get(`/api/v1/goals/${goal.id}/revisions?offset=10`);
    expect(past.body).toMatchObject({ items: [], total: 3 });
  });

  it('reads a row as of an instant: the state it had then, and nothing before it existed', async () => {
    const all = (await t.api().get(`/api/v1/goals/${goal.id}/revisions`)).body.items;
    const middle = new Date(all[1].recordedAt);
    const then = await revisions.rowAsOf('goal', { role: 'admin' } as never, goal.id, middle);
    expect(then).toMatchObject({ title: 'Ten firms', due_date: '2026-12-15', version: 2 });
    expect(await revisions.rowAsOf('goal', { role: 'admin' } as never, goal.id, new Date('2020-01-01'))).toBeUndefined();
  });

  it('is 404 for a key that may not read the resource, and 400 for a malformed id', async () => {
    expectProblem(await t.api(otherEditor.secret).get(`/api/v1/goals/${goal.id}/revisions`), 404);
    expectProblem(await t.api(otherEditor.secret).get(`/api/v1/clusters/${cluster.id}/revisions`), 404);
    expectProblem(await t.api().get(`/api/v1/goals/not-a-uuid/revisions`), 400, 'goalId');
    expectProblem(await t.api().get(`/api/v1/goals/${goal.id}/revisions?limit=0`), 400, 'limit');
  });

  it('answers every kind of resource through its own path', async () => {
    const funder = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' })).body;
    await t.dataSource.transaction((m) => revisions.record(m, 'funder', funder, caller('Admin'), 'created'));
    await t.dataSource.transaction((m) => revisions.record(m, 'cluster', { id: cluster.id as string }, caller('Admin'), 'created'));
    const f = await t.api().get(`/api/v1/funders/${funder.id}/revisions`);
    expect(f.body.items[0].changes).toEqual([
      { field: 'name', from: null, to: 'Vinnova' },
      { field: 'kind', from: null, to: 'national_agency' },
      { field: 'reportingPeriod', from: null, to: 'yearly' },
    ]);
    const c = await t.api(editor.secret).get(`/api/v1/clusters/${cluster.id}/revisions`);
    expect(c.body.items[0].changes).toContainEqual({ field: 'name', from: null, to: 'Robotdalen' });
    for (const path of ['activities', 'low-hanging-fruits', 'fundings']) {
      expectProblem(await t.api().get(`/api/v1/${path}/${goal.id}/revisions`), 404);
    }
  });
});
