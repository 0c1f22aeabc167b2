import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createFruit, createGoal } from './support/factories.js';

/**
 * A funder key sees exactly the clusters its funder funds and everything in
 * them, read-only. Checked over every operation of the OpenAPI document (so a
 * new route is covered without editing this test), once with the resources of
 * a funded cluster (A) and once with those of a cluster funded by someone else (B).
 */
describe('funder visibility over every route', () => {
  let t: TestApp;
  let funderKey: string;
  const side: Record<'A' | 'B', Record<string, string>> = { A: {}, B: {} };

  beforeAll(async () => {
    t = await startTestApp();
    for (const s of ['A', 'B'] as const) {
      const cluster = await createCluster(t, { name: `Cluster ${s}` });
      const funder = (
        await t
          .api()
          .post('/api/v1/funders')
          .send({ name: `Funder ${s}`, kind: 'regional_council' })
      ).body;
      const funding = (
        await t
          .api()
          .post(`/api/v1/funders/${funder.id}/fundings`)
          .send({ clusterId: cluster.id, programme: 'P', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' })
      ).body;
      const goal = await createGoal(t, cluster.id, { indicator: { unit: 'firms', baseline: 0, target: 10 } });
      await t.api().post(`/api/v1/goals/${goal.id}/measurements`).send({ value: 3, measuredOn: '2026-01-15' });
      side[s] = {
        cluster: cluster.id,
        funder: funder.id,
        funding: funding.id,
        goal: goal.id,
        activity: (await createActivity(t, cluster.id)).id,
        fruit: (await createFruit(t, cluster.id)).id,
        apiKey: (await t.key('viewer')).id,
      };
    }
    funderKey = (await t.key('funder', { funderId: side.A.funder })).secret;
  });
  afterAll(() => t.close());

  /** A valid body for each write, so that what answers is the access rule, not validation. */
  function body(method: string, path: string, s: Record<string, string>): object | undefined {
    if (method === 'get' || method === 'delete') return undefined;
    if (method === 'patch') return {};
    if (path.endsWith('/status-updates')) return { status: 'green' };
    if (path.endsWith('/measurements')) return { value: 1, measuredOn: '2026-01-01' };
    if (path.endsWith('/goals')) return { title: 'G', horizon: 'short_term' };
    if (path.endsWith('/activities')) return { title: 'A' };
    if (path.endsWith('/low-hanging-fruits')) return { what: 'F', when: '2026-05-01' };
    if (path.endsWith('/fundings'))
      return { clusterId: s.cluster, programme: 'P', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' };
    if (path.endsWith('/funders')) return { name: 'F', kind: 'private' };
    if (path.endsWith('/clusters')) return { name: 'C', region: 'R', phase: 'initiation' };
    if (path.endsWith('/api-keys')) return { name: 'K', role: 'viewer' };
    return {};
  }

  function url(path: string, s: Record<string, string>): string {
    return path
      .replace('{clusterId}', s.cluster)
      .replace('{goalId}', s.goal)
      .replace('{activityId}', s.activity)
      .replace('{funderId}', s.funder)
      .replace('{fundingId}', s.funding)
      .replace(/\/low-hanging-fruits\/\{id\}/, `/low-hanging-fruits/${s.fruit}`)
      .replace(/\/api-keys\/\{id\}/, `/api-keys/${s.apiKey}`);
  }

  it('reads everything of the funded cluster, nothing of the other, and writes nothing', async () => {
    const doc = (await t.api(null).get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const bIds = Object.values(side.B);
    let cells = 0;
    const failures: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1')) continue;
      for (const method of Object.keys(operations)) {
        for (const s of ['A', 'B'] as const) {
          const target = url(path, side[s]) + (path.endsWith('/report') ? '?period=2026' : '');
          const res = await (t.api(funderKey) as any)[method](target).send(body(method, path, side[s]));
          cells += 1;
          const hasParams = path.includes('{');
          const keysOnly = path.startsWith('/api/v1/api-keys');
          let expected: number[];
          if (keysOnly) expected = [403];
          else if (method === 'get') expected = !hasParams || s === 'A' ? [200] : [404];
          else if (!hasParams) expected = [403];
          else expected = s === 'A' ? [403] : [404];
          if (!expected.includes(res.status))
            failures.push(`${method.toUpperCase()} ${path} (${s}): ${res.status}, expected ${expected.join('/')}`);
          if (res.status === 200 && bIds.some((id) => JSON.stringify(res.body ?? res.text).includes(id))) {
            failures.push(`${method.toUpperCase()} ${path} (${s}): shows a resource of the unfunded cluster`);
          }
        }
      }
    }
    process.stdout.write(`funder visibility: ${cells} cells checked\n`);
    expect(failures).toEqual([]);
    expect(cells).toBeGreaterThan(60);
  });
});
