import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createFruit, createGoal } from './support/factories.js';

type Side = 'A' | 'B';
type Caller = 'none' | 'revoked' | 'viewer' | 'funderA' | 'editorA' | 'admin';
type Kind = 'read' | 'write';
/** What a caller may get: 'ok' is any answer but 401, 403 and 404 (a success, or a 4xx about the input or state). */
type Outcome = 'ok' | 401 | 403 | 404;

/**
 * Every route of the application's own OpenAPI document (so a new route is
 * covered without touching this test) × every kind of caller × a resource of
 * cluster A and of cluster B. The editor edits A, the funder funds A.
 *
 * The expected outcome of each cell, in one table:
 *
 * | caller   | read A | read B | write A                    | write B |
 * |----------|--------|--------|----------------------------|---------|
 * | none     | 401    | 401    | 401                        | 401     |
 * | revoked  | 401    | 401    | 401                        | 401     |
 * | viewer   | ok     | ok     | 403                        | 403     |
 * | funderA  | ok     | 404    | 403                        | 404     |
 * | editorA  | ok     | 404    | ok (403: admin-only routes) | 404     |
 * | admin    | ok     | ok     | ok                         | ok      |
 *
 * Routes for admins only (API keys) answer 403 to every other key; collections
 * a role may not write to (POST /clusters, POST /funders) answer 403.
 */
const TABLE: Record<Caller, Record<`${Kind}${Side}`, Outcome>> = {
  none: { readA: 401, readB: 401, writeA: 401, writeB: 401 },
  revoked: { readA: 401, readB: 401, writeA: 401, writeB: 401 },
  viewer: { readA: 'ok', readB: 'ok', writeA: 403, writeB: 403 },
  funderA: { readA: 'ok', readB: 404, writeA: 403, writeB: 404 },
  editorA: { readA: 'ok', readB: 404, writeA: 'ok', writeB: 404 },
  admin: { readA: 'ok', readB: 'ok', writeA: 'ok', writeB: 'ok' },
};

/** Writes only admins make: editors get 403 on their own cluster's. */
const ADMIN_WRITES = [/^POST \/api\/v1\/clusters$/, /^DELETE \/api\/v1\/clusters\/\{clusterId\}$/, /\/funders/, /\/fundings/];

describe('authorization matrix over every route', () => {
  let t: TestApp;
  const keys: Partial<Record<Caller, string | null>> = { none: null };
  const side: Record<Side, Record<string, string>> = { A: {}, B: {} };

  beforeAll(async () => {
    // Hundreds of refused requests come from one address here: the failed-authentication limit is tested elsewhere.
    t = await startTestApp({ AUTH_FAILURES_PER_MINUTE: '0' });
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
    const revoked = await t.key('viewer');
    await t.api().delete(`/api/v1/api-keys/${revoked.id}`);
    keys.revoked = revoked.secret;
    keys.viewer = (await t.key('viewer')).secret;
    keys.funderA = (await t.key('funder', { funderId: side.A.funder })).secret;
    keys.editorA = (await t.key('editor', { clusterIds: [side.A.cluster] })).secret;
    keys.admin = t.adminKey;
  });
  afterAll(() => t.close());

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
    if (path.endsWith('/clusters')) return { name: `C ${Math.random()}`, region: 'R', phase: 'initiation' };
    if (path.endsWith('/api-keys')) return { name: 'K', role: 'viewer' };
    return {};
  }

  function expected(caller: Caller, method: string, path: string, s: Side): Outcome {
    const kind: Kind = method === 'get' ? 'read' : 'write';
    const base = TABLE[caller][`${kind}${s}`];
    if (base === 401 || caller === 'admin') return base;
    if (path.startsWith('/api/v1/api-keys')) return 403;
    const hasParams = path.includes('{');
    if (kind === 'read' && !hasParams) return 'ok'; // lists, filtered to what the caller may read
    if (kind === 'write' && !hasParams) return caller === 'editorA' && !/\/(clusters|funders)$/.test(path) ? 'ok' : 403;
    if (caller === 'editorA' && kind === 'write' && s === 'A' && ADMIN_WRITES.some((r) => r.test(`${method.toUpperCase()} ${path}`)))
      return 403;
    return base;
  }

  it('gives every caller exactly what the table says, and shows nobody what they may not read', async () => {
    const doc = (await t.api(null).get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const order: Caller[] = ['none', 'revoked', 'viewer', 'funderA', 'editorA', 'admin'];
    let cells = 0;
    const failures: string[] = [];
    for (const caller of order) {
      for (const [path, operations] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/v1')) continue;
        for (const method of Object.keys(operations)) {
          for (const s of ['A', 'B'] as const) {
            const target = url(path, side[s]) + (path.endsWith('/report') ? '?period=2026' : '');
            const res = await (t.api(keys[caller] ?? null) as any)[method](target).send(body(method, path, side[s]));
            cells += 1;
            const want = expected(caller, method, path, s);
            const got: Outcome = [401, 403, 404].includes(res.status) ? (res.status as Outcome) : 'ok';
            if (got !== want || res.status >= 500) {
              failures.push(`${caller} ${method.toUpperCase()} ${path} (${s}): ${res.status}, expected ${want}`);
            }
            // Nothing of cluster B reaches a caller that may not read it: not in lists, counts, reports or the dashboard.
            const mayReadB = caller === 'viewer' || caller === 'admin';
            if (
              !mayReadB &&
              res.status < 300 &&
              Object.values(side.B).some((id) => JSON.stringify(res.body ?? res.text ?? '').includes(id))
            ) {
              failures.push(`${caller} ${method.toUpperCase()} ${path} (${s}): shows a resource of cluster B`);
            }
          }
        }
      }
    }
    process.stdout.write(`authorization matrix: ${cells} cells checked, ${failures.length} failed\n`);
    expect(failures).toEqual([]);
    expect(cells).toBeGreaterThan(400);
  });

  it('refuses fields a caller may not set (mass assignment)', async () => {
    const editor = keys.editorA!;
    for (const [path, field] of [
      [`/api/v1/activities/${side.A.activity}`, { version: 9 }],
      [`/api/v1/activities/${side.A.activity}`, { status: 'red' }],
      [`/api/v1/activities/${side.A.activity}`, { clusterId: side.B.cluster }],
      [`/api/v1/goals/${side.A.goal}`, { clusterId: side.B.cluster }],
      [`/api/v1/goals/${side.A.goal}`, { archivedAt: null }],
      [`/api/v1/clusters/${side.A.cluster}`, { archivedAt: null }],
      [`/api/v1/clusters/${side.A.cluster}`, { id: side.B.cluster }],
    ] as const) {
      const res = await t.api(editor).patch(path).send(field);
      expect([res.status, path, field]).toEqual([400, path, field]);
    }
    const status = await t
      .api(editor)
      .post(`/api/v1/activities/${side.A.activity}/status-updates`)
      .send({ status: 'green', authorKeyId: side.A.apiKey });
    expect(status.status).toBe(400);
    expect((await t.api(editor).post('/api/v1/api-keys').send({ name: 'x', role: 'admin' })).status).toBe(403);
  });
});
