import { startTestApp, type TestApp } from './support/app.js';
import { validRequest } from './support/fuzz-cases.js';
import {
  createFixture,
  type Document,
  type Fixture,
  fingerprint,
  operationsOf,
  type OperationInfo,
  type RawResponse,
  resolveShared,
  sendRaw,
} from './support/openapi.js';

type Side = 'A' | 'B';
type Caller = 'none' | 'revoked' | 'viewer' | 'funderA' | 'editorA' | 'admin';
type Kind = 'read' | 'write';
/** What a caller must get: 'allowed' is the 2xx the document gives for the route, exactly. */
type Outcome = 'allowed' | 401 | 403 | 404;

const CALLERS: Caller[] = ['none', 'revoked', 'viewer', 'funderA', 'editorA', 'admin'];
const SIDES: Side[] = ['A', 'B'];

/**
 * Cells: 6 callers × 2 sides × (66 operations + 4 more for the CSV and XLSX forms of the two reports + 4 more for the
 * CSV and SVG forms of the two status grids). A route that vanishes from the document (or one that appears) changes
 * this number, and the test says so.
 */
const EXPECTED_CELLS = 1260;

/**
 * Every operation of the application's own OpenAPI document (so a new route is
 * covered without touching this test) × every kind of caller × a resource of
 * cluster A and of cluster B. The editor edits A, the funder funds A.
 *
 * | caller   | read A  | read B  | write A                        | write B |
 * |----------|---------|---------|--------------------------------|---------|
 * | none     | 401     | 401     | 401                            | 401     |
 * | revoked  | 401     | 401     | 401                            | 401     |
 * | viewer   | allowed | allowed | 403                            | 403     |
 * | funderA  | allowed | 404     | 403                            | 404     |
 * | editorA  | allowed | 404     | allowed (403: admin-only ones) | 404     |
 * | admin    | allowed | allowed | allowed                        | allowed |
 *
 * Routes for admins only (API keys) answer 403 to every other key; collections
 * a role may not write to (POST /clusters, /funders, /api-keys) answer 403;
 * lists answer everyone with a key, filtered to what the caller may read; the
 * health checks answer everyone.
 *
 * An allowed cell must answer exactly the 2xx the document gives, on data the
 * cell creates for itself when it writes (a fresh cluster, plan, funder and
 * keys scoped to them), so no earlier cell's archiving can turn it into a 409.
 * A refused cell must change nothing (checked on the whole database). Every response to a caller that may not
 * read cluster B — JSON, CSV and SVG alike, read as raw text — must hold no id
 * and no name of any cluster, plan, funder or funding but the caller's own.
 */
const TABLE: Record<Caller, Record<`${Kind}${Side}`, Outcome>> = {
  none: { readA: 401, readB: 401, writeA: 401, writeB: 401 },
  revoked: { readA: 401, readB: 401, writeA: 401, writeB: 401 },
  viewer: { readA: 'allowed', readB: 'allowed', writeA: 403, writeB: 403 },
  funderA: { readA: 'allowed', readB: 404, writeA: 403, writeB: 404 },
  editorA: { readA: 'allowed', readB: 404, writeA: 'allowed', writeB: 404 },
  admin: { readA: 'allowed', readB: 'allowed', writeA: 'allowed', writeB: 'allowed' },
};

/** Acknowledging or returning a submitted report: for the funder it was submitted to (and admins). */
const FUNDER_DECISIONS = /^\/api\/v1\/report-submissions\/\{submissionId\}\/(acknowledge|return)$/;

/** Writes only admins make: editors get 403 on their own cluster's. */
const ADMIN_WRITES = [/^DELETE \/api\/v1\/clusters\/\{clusterId\}$/, /\/funders/, /\/fundings/];

function expected(caller: Caller, op: OperationInfo, side: Side): Outcome {
  if (!op.operation.security || op.operation.security.length === 0) return 'allowed'; // the health checks
  // Making a link to a report is reading it: whoever may read the report may link to it.
  const makesLink = op.method === 'post' && op.path === '/api/v1/reports/links';
  const kind: Kind = op.method === 'get' || makesLink ? 'read' : 'write';
  const base = TABLE[caller][`${kind}${side}`];
  if (base === 401 || caller === 'admin') return base;
  if (makesLink) return base;
  // A report link (the fixture's is the admin's) is read and revoked by its maker or an admin; to anyone else it is not there.
  if (op.path === '/api/v1/reports/links/{id}') return 404;
  if (op.path.startsWith('/api/v1/api-keys')) return 403;
  // Any key may make webhooks of its own; the fixture's webhook is the admin's, and to anyone else it is not there.
  if (op.path === '/api/v1/webhooks' && op.method === 'post') return 'allowed';
  if (op.path.startsWith('/api/v1/webhooks/')) return 404;
  const hasParams = op.path.includes('{');
  if (kind === 'read' && !hasParams) return 'allowed';
  if (kind === 'write' && !hasParams) return 403;
  if (caller === 'editorA' && kind === 'write' && side === 'A' && ADMIN_WRITES.some((r) => r.test(`${op.method.toUpperCase()} ${op.path}`)))
    return 403;
  // A funder decides on the reports submitted to it; the cluster's editor may read them but not decide.
  if (kind === 'write' && side === 'A' && FUNDER_DECISIONS.test(op.path)) {
    if (caller === 'funderA') return 'allowed';
    if (caller === 'editorA') return 403;
  }
  return base;
}

/**
 * The requests of one operation: one, or one per `format` (JSON and CSV reports). Reports cover this year, so
 * that they hold the fixtures' data (made today), not an empty past quarter.
 */
function variantsOf(op: OperationInfo): Record<string, string>[] {
  const format = op.queryParameters.find((p) => p.name === 'format' && p.schema.enum);
  const period: Record<string, string> = op.queryParameters.some((p) => p.name === 'period')
    ? { period: String(new Date().getUTCFullYear()) }
    : {};
  return format ? format.schema.enum!.map((f) => ({ ...period, format: String(f) })) : [{}];
}

/** The ids and names a fixture's data can be recognised by in any response. */
function tokensOf(fx: Fixture): string[] {
  return Object.values(fx);
}

describe('authorization matrix over every route', () => {
  let t: TestApp;
  let doc: Document;
  const shared: Partial<Record<Side, Fixture>> = {};
  /** Every fixture made so far: what a caller may not read is searched for among them. */
  const fixtures: Fixture[] = [];
  let revokedKey: string;
  let viewerKey: string;
  let sharedEditorA: string;
  let sharedFunderA: string;
  /** What the run found, filled by run() in beforeAll and read by the tests below. */
  const found = {
    computedCells: 0,
    cells: 0,
    allowed: 0,
    refused: 0,
    allowedFailures: [] as string[],
    refusalFailures: [] as string[],
    leaks: [] as string[],
  };

  async function fixture(label: string): Promise<Fixture> {
    const fx = await createFixture(t, label);
    fixtures.push(fx);
    return fx;
  }

  beforeAll(async () => {
    // Hundreds of refused requests come from one address here: the rate limits are tested elsewhere.
    // Webhook URLs are not resolved (WEBHOOK_ALLOW_PRIVATE), and none is delivered (the worker is off in tests).
    t = await startTestApp({
      AUTH_FAILURES_PER_MINUTE: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      // Every cell that creates a webhook makes one more of the same keys.
      WEBHOOK_MAX_PER_KEY: '1000',
    });
    doc = resolveShared((await t.api(null).get('/docs-json')).body as Document);
    shared.A = await fixture('Shared A');
    shared.B = await fixture('Shared B');
    const revoked = await t.key('viewer');
    await t.api().delete(`/api/v1/api-keys/${revoked.id}`);
    revokedKey = revoked.secret;
    viewerKey = (await t.key('viewer')).secret;
    sharedEditorA = (await t.key('editor', { clusterIds: [shared.A.cluster] })).secret;
    sharedFunderA = (await t.key('funder', { funderId: shared.A.funder })).secret;
    await run();
  });
  afterAll(() => t.close());

  async function run(): Promise<void> {
    const operations = operationsOf(doc);
    found.computedCells = CALLERS.length * SIDES.length * operations.reduce((n, op) => n + variantsOf(op).length, 0);

    for (const caller of CALLERS) {
      for (const op of operations) {
        for (const side of SIDES) {
          for (const query of variantsOf(op)) {
            const label = `${caller} ${op.method.toUpperCase()} ${op.path}${query.format ? `?format=${query.format}` : ''} (${side})`;
            const want = expected(caller, op, side);
            // An allowed write gets fresh data (and, for the editor of A, a key scoped to it); reads and refused writes
            // share two fixtures that no cell may change.
            const fresh = op.method !== 'get' && want === 'allowed';
            const target = fresh ? await fixture(`${caller} ${side}`) : shared[side]!;
            let own: Fixture = shared.A!;
            let key: string | null;
            switch (caller) {
              case 'none':
                key = null;
                break;
              case 'revoked':
                key = revokedKey;
                break;
              case 'viewer':
                key = viewerKey;
                break;
              case 'admin':
                key = t.adminKey;
                break;
              case 'editorA':
              case 'funderA':
                if (fresh && side === 'A') {
                  own = target;
                  key =
                    caller === 'editorA'
                      ? (await t.key('editor', { clusterIds: [target.cluster] })).secret
                      : (await t.key('funder', { funderId: target.funder })).secret;
                } else key = caller === 'editorA' ? sharedEditorA : sharedFunderA;
                break;
            }
            const request = validRequest(op, target, query);
            const before = want === 'allowed' ? '' : await fingerprint(t);
            const res: RawResponse = await sendRaw((t.api(key) as any)[op.method](request.url), request.body);
            found.cells += 1;

            if (want === 'allowed') {
              if (res.status === op.success) found.allowed += 1;
              else found.allowedFailures.push(`${label}: ${res.status}, expected ${op.success} ${res.text.slice(0, 200)}`);
            } else if (res.status !== want) {
              found.refusalFailures.push(`${label}: ${res.status}, expected ${want} ${res.text.slice(0, 200)}`);
            } else if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) {
              found.refusalFailures.push(`${label}: ${res.status} without problem details`);
            } else if ((await fingerprint(t)) !== before) {
              found.refusalFailures.push(`${label}: refused with ${res.status} but changed data`);
            } else found.refused += 1;

            // Nothing of another cluster reaches a caller that may not read it: not in lists, counts, reports
            // (JSON or CSV), badges or the dashboard, nor in the text of a refusal.
            if (caller !== 'viewer' && caller !== 'admin') {
              const visible = caller === 'none' || caller === 'revoked' ? [] : tokensOf(own);
              const hidden = fixtures.filter((fx) => fx !== own || visible.length === 0).flatMap(tokensOf);
              const shown = hidden.filter((token) => !visible.includes(token) && res.text.includes(token));
              if (shown.length > 0) {
                found.leaks.push(`${label}: shows ${shown.slice(0, 3).join(', ')} (${res.headers['content-type']})`);
              }
            }
          }
        }
      }
    }
    process.stdout.write(
      `matrix: ${found.cells} cells, ${found.allowed} allowed and succeeded, ${found.refused} refused as expected, ${found.leaks.length} leaks\n`,
    );
  }

  it(`has ${EXPECTED_CELLS} cells: every caller × every operation of the document × both clusters`, () => {
    expect(found.cells).toBe(found.computedCells);
    expect(found.cells).toBe(EXPECTED_CELLS);
    expect(found.allowed + found.refused + found.allowedFailures.length + found.refusalFailures.length).toBe(found.cells);
  });

  it('lets every allowed cell succeed with the 2xx its route documents, on data of its own', () => {
    expect(found.allowedFailures).toEqual([]);
  });

  it('refuses every other cell with the 401, 403 or 404 of the table, as problem details, changing nothing', () => {
    expect(found.refusalFailures).toEqual([]);
  });

  it('shows no caller an id or name it may not read, in any body (JSON, CSV, SVG, problem details)', () => {
    expect(found.leaks).toEqual([]);
  });

  it('refuses fields a caller may not set (mass assignment)', async () => {
    const A = shared.A!;
    const B = shared.B!;
    for (const [path, field] of [
      [`/api/v1/activities/${A.activity}`, { version: 9 }],
      [`/api/v1/activities/${A.activity}`, { status: 'red' }],
      [`/api/v1/activities/${A.activity}`, { clusterId: B.cluster }],
      [`/api/v1/goals/${A.goal}`, { clusterId: B.cluster }],
      [`/api/v1/goals/${A.goal}`, { archivedAt: null }],
      [`/api/v1/clusters/${A.cluster}`, { archivedAt: null }],
      [`/api/v1/clusters/${A.cluster}`, { id: B.cluster }],
    ] as const) {
      const res = await t.api(sharedEditorA).patch(path).send(field);
      expect([res.status, path, field]).toEqual([400, path, field]);
    }
    const status = await t
      .api(sharedEditorA)
      .post(`/api/v1/activities/${A.activity}/status-updates`)
      .send({ status: 'green', authorKeyId: A.apiKey });
    expect(status.status).toBe(400);
    expect((await t.api(sharedEditorA).post('/api/v1/api-keys').send({ name: 'x', role: 'admin' })).status).toBe(403);
  });
});
