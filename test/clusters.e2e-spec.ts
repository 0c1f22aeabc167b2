import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';

describe('/clusters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('create, read, change, archive', () => {
    it('creates a cluster with defaults and serves it with an ETag', async () => {
      const res = await t.api().post('/api/v1/clusters').send({
        name: 'Framtidens Bioraffinaderi',
        region: 'Västernorrland',
        phase: 'organisation',
        vision: 'Världsledande inom bioraffinaderi.',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Framtidens Bioraffinaderi',
        region: 'Västernorrland',
        phase: 'organisation',
        focusArea: null,
        purpose: null,
        publicBadge: false,
        version: 1,
        archivedAt: null,
      });
      expect(res.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(res.headers.etag).toBe('"1"');

      const got = await t.api().get(`/api/v1/clusters/${res.body.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
      expect(got.headers.etag).toBe('"1"');
    });

    it('changes only the fields sent, clears optional texts with null, bumps the version', async () => {
      const c = await createCluster(t, { focusArea: 'Textiles', vision: 'Smart' });
      const res = await t.api().patch(`/api/v1/clusters/${c.id}`).send({ phase: 'formation', focusArea: null });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: c.name, phase: 'formation', focusArea: null, vision: 'Smart', version: 2 });
      expect(res.headers.etag).toBe('"2"');
      expect(new Date(res.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(c.updatedAt).getTime());
    });

    it('refuses null for required fields and unknown fields on PATCH, changing nothing', async () => {
      const c = await createCluster(t);
      expectProblem(await t.api().patch(`/api/v1/clusters/${c.id}`).send({ name: null }), 400, 'name');
      expectProblem(await t.api().patch(`/api/v1/clusters/${c.id}`).send({ version: 7 }), 400, 'version');
      expectProblem(await t.api().patch(`/api/v1/clusters/${c.id}`).send({ region: 'X', id: c.id }), 400, 'id');
      const after = await t.api().get(`/api/v1/clusters/${c.id}`);
      expect(after.body).toEqual(c);
    });

    it('archives instead of deleting: 204 twice, hidden from lists, still readable by id, read-only', async () => {
      const c = await createCluster(t, { name: 'Östersund Winter Sports' });
      expect((await t.api().delete(`/api/v1/clusters/${c.id}`)).status).toBe(204);
      expect((await t.api().delete(`/api/v1/clusters/${c.id}`)).status).toBe(204);

      const got = await t.api().get(`/api/v1/clusters/${c.id}`);
      expect(got.status).toBe(200);
      expect(got.body.archivedAt).toEqual(expect.any(String));
      expect(got.body.version).toBe(2);

      const list = await t.api().get('/api/v1/clusters?q=Winter');
      expect(list.body.items).toHaveLength(0);
      const withArchived = await t.api().get('/api/v1/clusters?q=Winter&includeArchived=true');
      expect(withArchived.body.items.map((x: { id: string }) => x.id)).toEqual([c.id]);

      expectProblem(await t.api().patch(`/api/v1/clusters/${c.id}`).send({ phase: 'formation' }), 409);
      // The name is free again for a new cluster.
      expect(
        (await t.api().post('/api/v1/clusters').send({ name: 'Östersund Winter Sports', region: 'Jämtland', phase: 'initiation' })).status,
      ).toBe(201);
    });
  });

  describe('conditional requests', () => {
    it('answers If-None-Match with 304 while the version is current', async () => {
      const c = await createCluster(t);
      const notModified = await t.api().get(`/api/v1/clusters/${c.id}`).set('If-None-Match', '"1"');
      expect(notModified.status).toBe(304);
      expect(notModified.text).toBeFalsy();
      await t.api().patch(`/api/v1/clusters/${c.id}`).send({ region: 'Sörmland' });
      const modified = await t.api().get(`/api/v1/clusters/${c.id}`).set('If-None-Match', '"1"');
      expect(modified.status).toBe(200);
      expect(modified.headers.etag).toBe('"2"');
    });

    it('refuses a PATCH or archive with a stale If-Match (412) and changes nothing', async () => {
      const c = await createCluster(t);
      const first = await t.api().patch(`/api/v1/clusters/${c.id}`).set('If-Match', '"1"').send({ region: 'Kalmar' });
      expect(first.status).toBe(200);
      expectProblem(await t.api().patch(`/api/v1/clusters/${c.id}`).set('If-Match', '"1"').send({ region: 'Blekinge' }), 412);
      expectProblem(await t.api().delete(`/api/v1/clusters/${c.id}`).set('If-Match', '"1"'), 412);
      expectProblem(await t.api().patch(`/api/v1/clusters/${c.id}`).set('If-Match', 'W/"2"').send({ region: 'Blekinge' }), 412);
      const now = await t.api().get(`/api/v1/clusters/${c.id}`);
      expect(now.body).toMatchObject({ region: 'Kalmar', version: 2, archivedAt: null });
      expect((await t.api().patch(`/api/v1/clusters/${c.id}`).set('If-Match', '*').send({ region: 'Blekinge' })).status).toBe(200);
    });

    it('lets exactly one of many concurrent writers with the same If-Match through', async () => {
      const c = await createCluster(t);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          t
            .api()
            .patch(`/api/v1/clusters/${c.id}`)
            .set('If-Match', '"1"')
            .send({ focusArea: `writer ${i}` }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(11);
      const winner = results.find((r) => r.status === 200)!;
      const now = await t.api().get(`/api/v1/clusters/${c.id}`);
      expect(now.body).toMatchObject({ version: 2, focusArea: winner.body.focusArea });
    });
  });

  describe('lists', () => {
    let region: string;
    beforeAll(async () => {
      region = `Region ${Date.now()}`;
      await createCluster(t, { name: 'Alpha list', region, phase: 'initiation' });
      await createCluster(t, { name: 'Beta list', region, phase: 'formation' });
      await createCluster(t, { name: 'Gamma list', region: region.toUpperCase(), phase: 'formation' });
      await createCluster(t, { name: 'Delta list 100%', region, phase: 'organisation' });
    });

    it('filters by region (any case), phase and words in the name', async () => {
      const byRegion = await t.api().get(`/api/v1/clusters?region=${encodeURIComponent(region)}`);
      expect(byRegion.body.total).toBe(4);
      const byPhase = await t.api().get(`/api/v1/clusters?region=${encodeURIComponent(region)}&phase=formation`);
      expect(byPhase.body.items.map((c: { name: string }) => c.name)).toEqual(['Beta list', 'Gamma list']);
      const byQ = await t.api().get('/api/v1/clusters?q=DELTA');
      expect(byQ.body.items.map((c: { name: string }) => c.name)).toEqual(['Delta list 100%']);
      const literalPercent = await t.api().get(`/api/v1/clusters?q=${encodeURIComponent('%')}`);
      expect(literalPercent.body.items.map((c: { name: string }) => c.name)).toEqual(['Delta list 100%']);
      expectProblem(await t.api().get('/api/v1/clusters?phase=growth'), 400, 'phase');
    });

    it('sorts ascending and descending and pages with a stable total', async () => {
      const q = `region=${encodeURIComponent(region)}`;
      const desc = await t.api().get(`/api/v1/clusters?${q}&sort=-name`);
      expect(desc.body.items.map((c: { name: string }) => c.name)).toEqual(['Gamma list', 'Delta list 100%', 'Beta list', 'Alpha list']);
      const page2 = await t.api().get(`/api/v1/clusters?${q}&sort=name&limit=2&offset=2`);
      expect(page2.body).toMatchObject({ total: 4, limit: 2, offset: 2 });
      expect(page2.body.items.map((c: { name: string }) => c.name)).toEqual(['Delta list 100%', 'Gamma list']);
      const beyond = await t.api().get(`/api/v1/clusters?${q}&offset=10`);
      expect(beyond.body).toMatchObject({ items: [], total: 4 });
    });
  });

  describe('roles', () => {
    let own: Record<string, any>;
    let other: Record<string, any>;
    let editor: string;
    let viewer: string;
    let funder: string;
    beforeAll(async () => {
      own = await createCluster(t, { name: 'Kalmar Science Park cluster' });
      other = await createCluster(t, { name: 'CleanTech Östergötland' });
      editor = (await t.key('editor', { clusterIds: [own.id] })).secret;
      viewer = (await t.key('viewer')).secret;
      const [f] = await t.dataSource.query(`INSERT INTO funder (name, kind) VALUES ('Vinnova', 'national_agency') RETURNING id`);
      funder = (await t.key('funder', { funderId: f.id })).secret;
    });

    it('editors see and change only their clusters; another cluster is 404, as if it did not exist', async () => {
      const list = await t.api(editor).get('/api/v1/clusters?limit=200');
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([own.id]);
      expect(list.body.total).toBe(1);
      expect((await t.api(editor).get(`/api/v1/clusters/${own.id}`)).status).toBe(200);
      expect((await t.api(editor).patch(`/api/v1/clusters/${own.id}`).send({ purpose: 'Grow' })).status).toBe(200);
      expectProblem(await t.api(editor).get(`/api/v1/clusters/${other.id}`), 404);
      expectProblem(await t.api(editor).patch(`/api/v1/clusters/${other.id}`).send({ purpose: 'Mine' }), 404);
      expectProblem(await t.api(editor).delete(`/api/v1/clusters/${other.id}`), 404);
    });

    it('editors may not archive or create clusters (403)', async () => {
      expectProblem(await t.api(editor).delete(`/api/v1/clusters/${own.id}`), 403);
      expectProblem(await t.api(editor).post('/api/v1/clusters').send({ name: 'New', region: 'X', phase: 'initiation' }), 403);
      expect((await t.api().get(`/api/v1/clusters/${own.id}`)).body.archivedAt).toBeNull();
    });

    it('viewers read every cluster and change none (403)', async () => {
      const list = await t.api(viewer).get('/api/v1/clusters?limit=200');
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([own.id, other.id]));
      expect((await t.api(viewer).get(`/api/v1/clusters/${other.id}`)).status).toBe(200);
      expectProblem(await t.api(viewer).patch(`/api/v1/clusters/${other.id}`).send({ purpose: 'x' }), 403);
      expectProblem(await t.api(viewer).delete(`/api/v1/clusters/${other.id}`), 403);
      expectProblem(await t.api(viewer).post('/api/v1/clusters').send({ name: 'New', region: 'X', phase: 'initiation' }), 403);
    });

    it('funders see only the clusters their funder funds', async () => {
      const before = await t.api(funder).get('/api/v1/clusters');
      expect(before.body).toMatchObject({ items: [], total: 0 });
      expectProblem(await t.api(funder).get(`/api/v1/clusters/${own.id}`), 404);

      await t.dataSource.query(
        `INSERT INTO funding (funder_id, cluster_id, programme, amount, starts_on, ends_on)
         SELECT id, $1, 'Vinnväxt', 2000000, '2025-01-01', '2027-12-31' FROM funder WHERE name = 'Vinnova'`,
        [own.id],
      );
      const after = await t.api(funder).get('/api/v1/clusters');
      expect(after.body.items.map((c: { id: string }) => c.id)).toEqual([own.id]);
      expect((await t.api(funder).get(`/api/v1/clusters/${own.id}`)).status).toBe(200);
      expectProblem(await t.api(funder).patch(`/api/v1/clusters/${own.id}`).send({ purpose: 'x' }), 403);
      expectProblem(await t.api(funder).get(`/api/v1/clusters/${other.id}`), 404);
      expectProblem(await t.api(funder).patch(`/api/v1/clusters/${other.id}`).send({ purpose: 'x' }), 404);
    });
  });
});
