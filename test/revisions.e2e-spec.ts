import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ENTITIES } from '../src/entities.js';
import { asOfRows } from '../src/revisions/as-of.js';
import { RevisionsService } from '../src/revisions/revisions.service.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createFruit, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { createEmptyDatabase, dropTestDatabase } from './support/database.js';

const REVISIONS = MIGRATIONS.findIndex((m) => m.name === 'Revisions1796200000000');

describe('the revisions migration', () => {
  let url: string;
  let ds: DataSource;
  beforeAll(async () => {
    url = await createEmptyDatabase();
    // The schema as it was before revisions, with data written then.
    const before = new DataSource({ ...dataSourceOptions(url, ENTITIES), migrations: MIGRATIONS.slice(0, REVISIONS) });
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
    ds = new DataSource(dataSourceOptions(url, ENTITIES));
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
    // The row as it is, but for the columns later migrations added (null for a goal written before them).
    const { indicator_definition_id: adopted, ...goalRow } = await rowOf('goal', '00000000-0000-4000-8000-000000000004');
    expect(adopted).toBeNull();
    expect(goal[2].state).toEqual(goalRow);
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

  beforeAll(async () => {
    t = await startTestApp();
    revisions = t.app.get(RevisionsService);
    cluster = await createCluster(t, { name: 'Robotdalen' });
    const other = await createCluster(t, { name: 'Elsewhere' });
    editor = await t.key('editor', { clusterIds: [cluster.id], name: 'Anna' });
    otherEditor = await t.key('editor', { clusterIds: [other.id] });
    goal = await createGoal(
      t,
      cluster.id,
      { title: 'Ten firms', dueDate: '2026-09-30', indicator: { unit: 'firms', baseline: 2, target: 10 } },
      editor.secret,
    );
  });
  afterAll(() => t.close());

  const patch = async (body: Record<string, unknown>, key = editor.secret) =>
    expect((await t.api(key).patch(`/api/v1/goals/${goal.id}`).send(body)).status).toBe(200);

  it('lists revisions newest first with what each changed, field by field', async () => {
    await patch({ dueDate: '2026-12-15', indicator: { unit: 'firms', baseline: 2, target: 12.5 } });
    await patch({ title: 'Twelve firms' }, t.adminKey);
    await patch({ title: 'Twelve firms' }); // changes nothing: no revision
    expect(
      (await t.api(editor.secret).post(`/api/v1/goals/${goal.id}/status-updates`).send({ status: 'yellow', comment: 'Slow' })).status,
    ).toBe(201);
    const res = await t.api(editor.secret).get(`/api/v1/goals/${goal.id}/revisions`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(4);
    expect(res.body.items.map((r: any) => [r.kind, r.version, r.author])).toEqual([
      ['status', 4, 'Anna'],
      ['updated', 3, 'admin (ADMIN_API_KEY)'],
      ['updated', 2, 'Anna'],
      ['created', 1, 'Anna'],
    ]);
    expect(res.body.items[0].changes).toEqual([{ field: 'status', from: 'green', to: 'yellow' }]);
    expect(res.body.items[1].changes).toEqual([{ field: 'title', from: 'Ten firms', to: 'Twelve firms' }]);
    expect(res.body.items[2].changes).toEqual([
      { field: 'dueDate', from: '2026-09-30', to: '2026-12-15' },
      { field: 'indicator.target', from: 10, to: 12.5 },
    ]);
    expect(res.body.items[3].changes).toEqual(
      expect.arrayContaining([
        { field: 'title', from: null, to: 'Ten firms' },
        { field: 'indicator.baseline', from: null, to: 2 },
        { field: 'status', from: null, to: 'green' },
      ]),
    );
    expect(res.body.items[2]).toMatchObject({ authorKeyId: editor.id, recordedAt: expect.stringMatching(/Z$/) });
  });

  it('pages with limit and offset, keeping each revision’s changes against the one before it', async () => {
    const res = await t.api().get(`/api/v1/goals/${goal.id}/revisions?limit=1&offset=2`);
    expect(res.body).toMatchObject({ total: 4, limit: 1, offset: 2 });
    expect(res.body.items.map((r: any) => r.changes.map((c: any) => c.field))).toEqual([['dueDate', 'indicator.target']]);
    const past = await t.api().get(`/api/v1/goals/${goal.id}/revisions?offset=10`);
    expect(past.body).toMatchObject({ items: [], total: 4 });
  });

  it('reads a row as of an instant: the state it had then, and nothing before it existed', async () => {
    const all = (await t.api().get(`/api/v1/goals/${goal.id}/revisions`)).body.items;
    const admin = { role: 'admin' } as never;
    expect(await revisions.rowAsOf('goal', admin, goal.id, new Date(all[2].recordedAt))).toMatchObject({
      title: 'Ten firms',
      due_date: '2026-12-15',
      version: 2,
    });
    expect(await revisions.rowAsOf('goal', admin, goal.id, new Date('2020-01-01'))).toBeUndefined();
  });

  it('is 404 for a key that may not read the resource, and 400 for a malformed id', async () => {
    expectProblem(await t.api(otherEditor.secret).get(`/api/v1/goals/${goal.id}/revisions`), 404);
    expectProblem(await t.api(otherEditor.secret).get(`/api/v1/clusters/${cluster.id}/revisions`), 404);
    expectProblem(await t.api().get(`/api/v1/goals/not-a-uuid/revisions`), 400, 'goalId');
    expectProblem(await t.api().get(`/api/v1/goals/${goal.id}/revisions?limit=0`), 400, 'limit');
  });

  it('records every kind of write of every resource, and nothing for a write that changes nothing', async () => {
    const api = t.api();
    const funder = (await api.post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' })).body;
    expect((await api.patch(`/api/v1/funders/${funder.id}`).send({ name: 'Vinnova' })).status).toBe(200);
    expect((await api.patch(`/api/v1/funders/${funder.id}`).send({ reportingPeriod: 'quarterly' })).status).toBe(200);
    const funding = (
      await api
        .post(`/api/v1/funders/${funder.id}/fundings`)
        .send({ clusterId: cluster.id, programme: 'Vinnväxt', amount: 2000000, startsOn: '2024-01-01', endsOn: '2027-12-31' })
    ).body;
    expect((await api.patch(`/api/v1/fundings/${funding.id}`).send({ amount: '2000000.00' })).status).toBe(200);
    expect((await api.patch(`/api/v1/fundings/${funding.id}`).send({ amount: 2500000 })).status).toBe(200);
    expect((await api.delete(`/api/v1/fundings/${funding.id}`)).status).toBe(204);
    expect((await api.delete(`/api/v1/fundings/${funding.id}`)).status).toBe(204);
    const activity = await createActivity(t, cluster.id, { title: 'Pilot' });
    expect((await api.patch(`/api/v1/activities/${activity.id}`).send({ state: 'ongoing' })).status).toBe(200);
    expect((await api.delete(`/api/v1/activities/${activity.id}`)).status).toBe(204);
    const fruit = await createFruit(t, cluster.id);
    expect((await api.post(`/api/v1/low-hanging-fruits/${fruit.id}/status-updates`).send({ status: 'green', state: 'done' })).status).toBe(
      201,
    );
    expect((await api.patch(`/api/v1/clusters/${cluster.id}`).send({ vision: 'Robots everywhere' })).status).toBe(200);
    expect((await api.post(`/api/v1/goals/${goal.id}/measurements`).send({ value: 4, measuredOn: '2026-01-15' })).status).toBe(201);

    const kinds = async (path: string) =>
      ((await api.get(`/api/v1/${path}/revisions`)).body.items as { kind: string }[]).map((r) => r.kind);
    expect(await kinds(`funders/${funder.id}`)).toEqual(['updated', 'created']);
    expect(await kinds(`fundings/${funding.id}`)).toEqual(['archived', 'updated', 'created']);
    expect(await kinds(`activities/${activity.id}`)).toEqual(['archived', 'updated', 'created']);
    expect(await kinds(`low-hanging-fruits/${fruit.id}`)).toEqual(['status', 'created']);
    expect(await kinds(`clusters/${cluster.id}`)).toEqual(['updated', 'created']);
    const f = await api.get(`/api/v1/fundings/${funding.id}/revisions`);
    expect(f.body.items[1].changes).toEqual([{ field: 'amount', from: '2000000.00', to: '2500000.00' }]);
    expect(f.body.items[0].changes).toEqual([{ field: 'archivedAt', from: null, to: expect.any(String) }]);
    const [measurement] = await t.dataSource.query(
      `SELECT r.kind, r.cluster_id, r.version FROM revision r JOIN measurement m ON m.id = r.subject_id WHERE m.goal_id = $1`,
      [goal.id],
    );
    expect(measurement).toEqual({ kind: 'created', cluster_id: cluster.id, version: 1 });
    // Every revision carries what a gap-free feed needs: a position and the writing transaction's id.
    const [row] = await t.dataSource.query(`SELECT position, xid FROM revision WHERE subject_id = $1 ORDER BY position LIMIT 1`, [goal.id]);
    expect(row).toEqual({ position: expect.stringMatching(/^\d+$/), xid: expect.stringMatching(/^\d+$/) });
    for (const path of ['activities', 'low-hanging-fruits', 'fundings']) {
      expectProblem(await t.api().get(`/api/v1/${path}/${goal.id}/revisions`), 404);
    }
  });
});
