import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';

const RCO01 = '00000000-0000-4000-8000-0000000c0001';

describe('indicator definitions', () => {
  let t: TestApp;
  let vinnova: string;
  let region: string;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    vinnova = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' }).expect(201)).body.id as string;
    region = (await t.api().post('/api/v1/funders').send({ name: 'Region Gävleborg', kind: 'regional_council' }).expect(201)).body
      .id as string;
  });
  afterAll(() => t.close());

  it('ships the seven common indicators, read-only for every key, readable by every key', async () => {
    const viewer = await t.key('viewer');
    const list = await t.api(viewer.secret).get('/api/v1/indicator-definitions?common=true').expect(200);
    expect(list.body.items.map((d: { code: string }) => d.code)).toEqual(['RCO01', 'RCO02', 'RCO04', 'RCO10', 'RCR01', 'RCR02', 'RCR03']);
    expect(list.body.items[0]).toEqual({
      id: RCO01,
      code: 'RCO01',
      name: 'Enterprises supported (of which: micro, small, medium, large)',
      description: expect.any(String),
      unit: 'enterprises',
      aggregation: 'organisations',
      breakdown: 'enterprise_size',
      funderId: null,
      shipped: true,
      adopted: false,
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      archivedAt: null,
    });
    expect(list.body.items.find((d: { code: string }) => d.code === 'RCR02')).toMatchObject({ unit: 'EUR', aggregation: 'sum' });
    expectProblem(await t.api().patch(`/api/v1/indicator-definitions/${RCO01}`).send({ name: 'x' }), 403);
    expectProblem(await t.api().delete(`/api/v1/indicator-definitions/${RCO01}`), 403);
    expect((await t.api(viewer.secret).get(`/api/v1/indicator-definitions/${RCO01}/revisions`).expect(200)).body.items).toEqual([]);
  });

  it('a funder key writes its own; an admin any; nobody else; codes are unique per owner', async () => {
    const funder = await t.key('funder', { funderId: vinnova });
    const other = await t.key('funder', { funderId: region });
    const editor = await t.key('editor', { clusterIds: [(await createCluster(t)).id as string] });
    const viewer = await t.key('viewer');
    const body = { code: 'VINN-PILOTS', name: 'Pilots with industry', unit: 'projects', aggregation: 'sum' };

    const own = await t.api(funder.secret).post('/api/v1/indicator-definitions').send(body).expect(201);
    expect(own.body).toMatchObject({ ...body, funderId: vinnova, shipped: false, adopted: false, version: 1, breakdown: null });
    expectProblem(await t.api(funder.secret).post('/api/v1/indicator-definitions').send(body), 409, 'code');
    // The same code under another owner is another definition.
    await t.api(other.secret).post('/api/v1/indicator-definitions').send(body).expect(201);
    await t.api().post('/api/v1/indicator-definitions').send(body).expect(201);
    expectProblem(await t.api().post('/api/v1/indicator-definitions').send(body), 409, 'code');
    expectProblem(
      await t
        .api(funder.secret)
        .post('/api/v1/indicator-definitions')
        .send({ ...body, code: 'X', funderId: region }),
      403,
    );
    expectProblem(
      await t
        .api(viewer.secret)
        .post('/api/v1/indicator-definitions')
        .send({ ...body, code: 'Y' }),
      403,
    );
    expectProblem(
      await t
        .api(editor.secret)
        .post('/api/v1/indicator-definitions')
        .send({ ...body, code: 'Z' }),
      403,
    );
    expectProblem(
      await t
        .api()
        .post('/api/v1/indicator-definitions')
        .send({ ...body, code: 'bad code!' }),
      400,
      'code',
    );
    expectProblem(
      await t
        .api()
        .post('/api/v1/indicator-definitions')
        .send({ ...body, code: 'A'.repeat(33) }),
      400,
      'code',
    );
    expectProblem(
      await t
        .api()
        .post('/api/v1/indicator-definitions')
        .send({ ...body, code: 'B', breakdown: 'enterprise_size' }),
      422,
      'breakdown',
    );
    expectProblem(
      await t
        .api()
        .post('/api/v1/indicator-definitions')
        .send({ ...body, code: 'C', funderId: '00000000-0000-4000-8000-00000000dead' }),
      422,
      'funderId',
    );

    const id = own.body.id as string;
    expectProblem(await t.api(other.secret).patch(`/api/v1/indicator-definitions/${id}`).send({ name: 'Mine now' }), 403);
    const renamed = await t
      .api(funder.secret)
      .patch(`/api/v1/indicator-definitions/${id}`)
      .set('If-Match', '"1"')
      .send({ name: 'Pilot projects with industry', unit: 'pilots' })
      .expect(200);
    expect(renamed.body).toMatchObject({ name: 'Pilot projects with industry', unit: 'pilots', version: 2 });
    expect(renamed.headers.etag).toBe('"2"');
    expectProblem(await t.api(funder.secret).patch(`/api/v1/indicator-definitions/${id}`).set('If-Match', '"1"').send({ name: 'x' }), 412);

    const revisions = await t.api(viewer.secret).get(`/api/v1/indicator-definitions/${id}/revisions`).expect(200);
    expect(revisions.body.items.map((r: { kind: string }) => r.kind)).toEqual(['updated', 'created']);
    expect(revisions.body.items[0].changes).toEqual([
      { field: 'name', from: 'Pilots with industry', to: 'Pilot projects with industry' },
      { field: 'unit', from: 'projects', to: 'pilots' },
    ]);
    const events = await t
      .api(viewer.secret)
      .get('/api/v1/events?types=indicator_definition.created,indicator_definition.updated')
      .expect(200);
    expect(events.body.items.filter((e: { subject: { id: string } }) => e.subject.id === id).map((e: { type: string }) => e.type)).toEqual([
      'indicator_definition.created',
      'indicator_definition.updated',
    ]);

    await t.api(funder.secret).delete(`/api/v1/indicator-definitions/${id}`).expect(204);
    await t.api(funder.secret).delete(`/api/v1/indicator-definitions/${id}`).expect(204);
    const archived = await t.api(viewer.secret).get(`/api/v1/indicator-definitions/${id}`).expect(200);
    expect(archived.body.archivedAt).toEqual(expect.any(String));
    expectProblem(await t.api(funder.secret).patch(`/api/v1/indicator-definitions/${id}`).send({ name: 'again' }), 409);
    const listed = await t.api().get(`/api/v1/indicator-definitions?funderId=${vinnova}`).expect(200);
    expect(listed.body.items).toEqual([]);
    const all = await t.api().get(`/api/v1/indicator-definitions?funderId=${vinnova}&includeArchived=true`).expect(200);
    expect(all.body.items.map((d: { id: string }) => d.id)).toEqual([id]);
    expectProblem(await t.api().get('/api/v1/indicator-definitions/00000000-0000-4000-8000-00000000dead'), 404);
  });
});

describe('adopting an indicator definition', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  it('takes the unit from the definition, freezes what the definition measures, and leaves other goals as they were', async () => {
    const funded = await createCluster(t, { name: 'Funded' });
    const unfunded = await createCluster(t, { name: 'Unfunded' });
    const vinnova = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' }).expect(201)).body.id;
    await t
      .api()
      .post(`/api/v1/funders/${vinnova}/fundings`)
      .send({ clusterId: funded.id, programme: 'Vinnväxt', amount: 1000000, startsOn: '2026-01-01', endsOn: '2027-12-31' })
      .expect(201);
    const funderKey = await t.key('funder', { funderId: vinnova });
    const own = await t
      .api(funderKey.secret)
      .post('/api/v1/indicator-definitions')
      .send({ code: 'VINN-1', name: 'Pilots', unit: 'pilots', aggregation: 'sum' })
      .expect(201);
    const editor = await t.key('editor', { clusterIds: [funded.id, unfunded.id] });

    // A goal of its own reads as it always has: no definitionId.
    const plain = await createGoal(t, funded.id, { indicator: { unit: 'member firms', baseline: 0, target: 40 } }, editor.secret);
    expect(plain.indicator).toEqual({ unit: 'member firms', baseline: 0, target: 40, milestones: [] });

    const rco01 = await createGoal(t, funded.id, { indicator: { definitionId: RCO01, baseline: 0, target: 25 } }, editor.secret);
    expect(rco01.indicator).toEqual({ definitionId: RCO01, unit: 'enterprises', baseline: 0, target: 25, milestones: [] });
    expect((await t.api().get(`/api/v1/indicator-definitions/${RCO01}`)).body.adopted).toBe(true);

    const post = (clusterId: string, indicator: Record<string, unknown>) =>
      t.api(editor.secret).post(`/api/v1/clusters/${clusterId}/goals`).send({ title: 'G', horizon: 'short_term', indicator });
    expectProblem(await post(funded.id, { definitionId: RCO01, unit: 'firms', baseline: 0, target: 1 }), 422, 'indicator.unit');
    await post(funded.id, { definitionId: RCO01, unit: 'enterprises', baseline: 0, target: 1 }).expect(201);
    expectProblem(await post(funded.id, { baseline: 0, target: 1 }), 400, 'indicator.unit');
    expectProblem(await post(funded.id, { definitionId: 'nope', baseline: 0, target: 1 }), 400, 'indicator.definitionId');
    expectProblem(
      await post(funded.id, { definitionId: '00000000-0000-4000-8000-00000000dead', baseline: 0, target: 1 }),
      422,
      'indicator.definitionId',
    );
    // A funder's definition only where that funder funds.
    expectProblem(await post(unfunded.id, { definitionId: own.body.id, baseline: 0, target: 1 }), 422, 'indicator.definitionId');
    const pilots = await post(funded.id, { definitionId: own.body.id, baseline: 0, target: 5 }).expect(201);

    // Adopted: what it measures is frozen, its name is not.
    const defPath = `/api/v1/indicator-definitions/${own.body.id as string}`;
    expectProblem(await t.api(funderKey.secret).patch(defPath).send({ unit: 'projects' }), 409, 'unit');
    expectProblem(await t.api(funderKey.secret).patch(defPath).send({ code: 'VINN-2' }), 409, 'code');
    await t.api(funderKey.secret).patch(defPath).send({ name: 'Pilot projects', unit: 'pilots' }).expect(200);

    // Measurements keep the definition their goal had when they were recorded.
    await t
      .api(editor.secret)
      .post(`/api/v1/goals/${pilots.body.id as string}/measurements`)
      .send({ value: 2, measuredOn: '2026-03-01' })
      .expect(201);
    const switched = await t
      .api(editor.secret)
      .patch(`/api/v1/goals/${pilots.body.id as string}`)
      .send({ indicator: { unit: 'pilots', baseline: 0, target: 5 } })
      .expect(200);
    expect(switched.body.indicator).toEqual({ unit: 'pilots', baseline: 0, target: 5, milestones: [] });
    const revisions = await t
      .api()
      .get(`/api/v1/goals/${pilots.body.id as string}/revisions`)
      .expect(200);
    expect(revisions.body.items[0].changes).toEqual([{ field: 'indicator.definitionId', from: own.body.id, to: null }]);
    const rows = await t.dataSource.query('SELECT definition_id FROM measurement WHERE goal_id = $1', [pilots.body.id]);
    expect(rows).toEqual([{ definition_id: own.body.id }]);

    // An archived definition cannot be adopted any more; goals that have it keep it.
    await t.api(funderKey.secret).delete(defPath).expect(204);
    expectProblem(await post(funded.id, { definitionId: own.body.id, baseline: 0, target: 1 }), 422, 'indicator.definitionId');
    await t
      .api(editor.secret)
      .patch(`/api/v1/goals/${rco01.id as string}`)
      .send({ indicator: { definitionId: RCO01, baseline: 0, target: 30 } })
      .expect(200);
  });
});

describe('organisations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  it('actors carry a checked organisation number, unique in their cluster', async () => {
    const a = await createCluster(t);
    const b = await createCluster(t);
    const actor = (clusterId: string, organisationNumber: unknown) =>
      t.api().post(`/api/v1/clusters/${clusterId}/actors`).send({ name: 'Sandvik', kind: 'company', core: 'inner', organisationNumber });
    const created = await actor(a.id, '556012-5790').expect(201);
    expect(created.body.organisationNumber).toBe('556012-5790');
    expectProblem(await actor(a.id, '556012-5791'), 400, 'organisationNumber');
    expectProblem(await actor(a.id, '5560125790'), 400, 'organisationNumber');
    expectProblem(await actor(a.id, '556012-5790'), 409, 'organisationNumber');
    await actor(b.id, '556012-5790').expect(201);
    const plain = await t.api().post(`/api/v1/clusters/${a.id}/actors`).send({ name: 'KTH', kind: 'academia', core: 'outer' }).expect(201);
    expect(plain.body.organisationNumber).toBeNull();
    const patched = await t
      .api()
      .patch(`/api/v1/actors/${plain.body.id as string}`)
      .send({ organisationNumber: '202100-3054' })
      .expect(200);
    expect(patched.body.organisationNumber).toBe('202100-3054');
  });

  it('a measurement of an organisations indicator lists them; its value is their number', async () => {
    const cluster = await createCluster(t);
    const rco01 = await createGoal(t, cluster.id, { indicator: { definitionId: RCO01, baseline: 0, target: 25 } });
    const rco02 = await createGoal(t, cluster.id, {
      indicator: { definitionId: '00000000-0000-4000-8000-0000000c0002', baseline: 0, target: 25 },
    });
    const own = await createGoal(t, cluster.id, { indicator: { unit: 'firms', baseline: 0, target: 25 } });
    const measure = (goalId: string, body: Record<string, unknown>) =>
      t
        .api()
        .post(`/api/v1/goals/${goalId}/measurements`)
        .send({ measuredOn: '2026-03-01', ...body });

    const m = await measure(rco01.id, {
      organisations: [
        { organisationNumber: '556016-0680', enterpriseSize: 'large' },
        { organisationNumber: '556012-5790', enterpriseSize: 'large' },
      ],
    }).expect(201);
    expect(m.body).toMatchObject({
      value: 2,
      organisations: [
        { organisationNumber: '556012-5790', enterpriseSize: 'large' },
        { organisationNumber: '556016-0680', enterpriseSize: 'large' },
      ],
    });
    await measure(rco01.id, { value: 1, organisations: [{ organisationNumber: '556012-5790', enterpriseSize: 'medium' }] }).expect(201);
    expectProblem(
      await measure(rco01.id, { value: 3, organisations: [{ organisationNumber: '556012-5790', enterpriseSize: 'large' }] }),
      422,
      'value',
    );
    expectProblem(
      await measure(rco01.id, { organisations: [{ organisationNumber: '556012-5790' }] }),
      422,
      'organisations.0.enterpriseSize',
    );
    expectProblem(
      await measure(rco01.id, {
        organisations: [
          { organisationNumber: '556012-5790', enterpriseSize: 'large' },
          { organisationNumber: '556012-5790', enterpriseSize: 'small' },
        ],
      }),
      422,
      'organisations.1.organisationNumber',
    );
    expectProblem(
      await measure(rco01.id, { organisations: [{ organisationNumber: '556012-5791', enterpriseSize: 'large' }] }),
      400,
      'organisations.0.organisationNumber',
    );
    expectProblem(await measure(rco01.id, { organisations: [] }), 400, 'organisations');
    expectProblem(await measure(rco01.id, { value: 2 }), 422, 'organisations');
    expectProblem(await measure(rco01.id, {}), 400, 'value');
    // No breakdown: no size needed.
    await measure(rco02.id, { organisations: [{ organisationNumber: '556012-5790' }] }).expect(201);
    // A cluster's own indicator measures a number, as always.
    expectProblem(await measure(own.id, { value: 1, organisations: [{ organisationNumber: '556012-5790' }] }), 422, 'organisations');
    expectProblem(await measure(own.id, {}), 400, 'value');
    const plain = await measure(own.id, { value: 3 }).expect(201);
    expect(Object.keys(plain.body)).not.toContain('organisations');

    const list = await t
      .api()
      .get(`/api/v1/goals/${rco01.id as string}/measurements`)
      .expect(200);
    expect(list.body.items.map((x: { value: number; organisations: unknown[] }) => [x.value, x.organisations.length])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const count = await t.dataSource.query('SELECT count(*)::int AS n FROM measurement_organisation');
    expect(count).toEqual([{ n: 4 }]);
  });
});
