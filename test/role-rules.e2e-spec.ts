import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';

/**
 * Role rules live in each route's @Auth: the guard refuses a role the route
 * does not name with 403, or 404 when the key may not even read what the path
 * names; the document says the same (403 and x-roles).
 */
describe('role rules from @Auth', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const keys: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    for (const side of ['A', 'B']) {
      const cluster = await createCluster(t, { name: `Cluster ${side}` });
      const funder = (
        await t
          .api()
          .post('/api/v1/funders')
          .send({ name: `Funder ${side}`, kind: 'private' })
      ).body;
      const funding = (
        await t
          .api()
          .post(`/api/v1/funders/${funder.id}/fundings`)
          .send({ clusterId: cluster.id, programme: 'P', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' })
      ).body;
      Object.assign(ids, { [`cluster${side}`]: cluster.id, [`funder${side}`]: funder.id, [`funding${side}`]: funding.id });
    }
    keys.editor = (await t.key('editor', { clusterIds: [ids.clusterA] })).secret;
    keys.funder = (await t.key('funder', { funderId: ids.funderA })).secret;
    keys.viewer = (await t.key('viewer')).secret;
  });
  afterAll(() => t.close());

  it('an editor archiving its own cluster: 403 naming the admin role; another cluster: 404; nothing archived', async () => {
    const own = expectProblem(await t.api(keys.editor).delete(`/api/v1/clusters/${ids.clusterA}`), 403);
    expect(own.detail).toMatch(/admin/);
    expect(own.detail).toContain('this key is an editor key'); // an, not "a editor"
    expectProblem(await t.api(keys.editor).delete(`/api/v1/clusters/${ids.clusterB}`), 404);
    expect((await t.api().get(`/api/v1/clusters/${ids.clusterA}`)).body.archivedAt).toBeNull();
  });

  it('a funder key: 403 on its own funder and funding, 404 on another funder and its funding', async () => {
    expectProblem(await t.api(keys.funder).patch(`/api/v1/funders/${ids.funderA}`).send({ name: 'X' }), 403);
    expectProblem(await t.api(keys.funder).patch(`/api/v1/funders/${ids.funderB}`).send({ name: 'X' }), 404);
    expectProblem(await t.api(keys.funder).delete(`/api/v1/fundings/${ids.fundingA}`), 403);
    expectProblem(await t.api(keys.funder).delete(`/api/v1/fundings/${ids.fundingB}`), 404);
    expect((await t.api().get(`/api/v1/funders/${ids.funderA}`)).body.name).toBe('Funder A');
  });

  it('a malformed id on a route the key may not call is still the 400 naming the parameter', async () => {
    expectProblem(await t.api(keys.viewer).patch('/api/v1/funders/not-a-uuid').send({ name: 'X' }), 400, 'funderId');
    expectProblem(await t.api(keys.viewer).delete('/api/v1/fundings/not-a-uuid'), 400, 'fundingId');
  });

  it('the document says who may call each of these routes, and that others get 403', async () => {
    const doc = (await t.api(null).get('/docs-json')).body as {
      paths: Record<string, Record<string, { 'x-roles'?: string[]; responses: Record<string, unknown> }>>;
    };
    for (const [path, method, roles] of [
      ['/api/v1/clusters', 'post', ['admin']],
      ['/api/v1/clusters/{clusterId}', 'patch', ['admin', 'editor']],
      ['/api/v1/clusters/{clusterId}', 'delete', ['admin']],
      ['/api/v1/funders/{funderId}', 'patch', ['admin']],
      ['/api/v1/funders/{funderId}/fundings', 'post', ['admin']],
      ['/api/v1/fundings/{fundingId}', 'patch', ['admin']],
      ['/api/v1/fundings/{fundingId}', 'delete', ['admin']],
      ['/api/v1/api-keys', 'get', ['admin']],
    ] as const) {
      const op = doc.paths[path][method];
      expect([path, method, op['x-roles']]).toEqual([path, method, roles]);
      expect(op.responses['403']).toBeDefined();
    }
    // Every write names who may make it: admin keys only, or admin and editor keys (plan writes).
    const writes = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => method !== 'get')
        .map(([method, op]) => [path, method, op['x-roles']]),
    );
    expect(writes.length).toBeGreaterThan(20);
    for (const [path, method, roles] of writes) expect([path, method, roles]).toEqual([path, method, expect.arrayContaining(['admin'])]);
    expect(doc.paths['/api/v1/goals/{goalId}/measurements'].post['x-roles']).toEqual(['admin', 'editor']);
  });
});
