import ExcelJS from 'exceljs';
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
 * Cells: 6 callers × 2 sides × (114 operations + 4 more for the CSV and XLSX forms of the two reports + 4 more for the
 * CSV and SVG forms of the two status grids). A route that vanishes from the document (or one that appears) changes
 * this number, and the test says so.
 */
const EXPECTED_CELLS = 1524;

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

/** Indicator definitions: every key reads them (the common ones and every funder's own), so none is a 404. */
const DEFINITIONS = /^\/api\/v1\/indicator-definitions(\/|$)/;
/** Added up over every cluster (or a region's): admin and viewer keys only. */
const ALL_TOTALS = '/api/v1/indicator-totals';

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
  if (op.path === ALL_TOTALS) return caller === 'viewer' ? 'allowed' : 403;
  if (DEFINITIONS.test(op.path)) {
    if (kind === 'read') return 'allowed';
    // A funder key defines its own; only an admin changes or archives a common definition (the fixture's).
    return caller === 'funderA' && op.method === 'post' ? 'allowed' : 403;
  }
  // The same for subscriptions to emails.
  if (op.path === '/api/v1/subscriptions' && op.method === 'post') return 'allowed';
  if (op.path.startsWith('/api/v1/subscriptions/')) return 404;
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
  // A comparison of the plan from the start of the year to today: it holds the fixture's items, added today.
  const bounds: Record<string, string> = op.queryParameters.some((p) => p.name === 'from' && p.required)
    ? { from: `${new Date().getUTCFullYear()}-01-01`, to: new Date().toISOString().slice(0, 10) }
    : {};
  return format ? format.schema.enum!.map((f) => ({ ...period, format: String(f) })) : [{ ...bounds }];
}

/** The ids and names a fixture's data can be recognised by in any response. */
/**
 * Reads whose answer rightly holds none of a fixture's ids or names: the health checks, a badge (an SVG with a status
 * word), a status history (its entries have ids of their own, and the fixture's status words), the chain of
 * statements (hashes only) and the public signing keys.
 */
const SHOWS_NO_FIXTURE =
  /^\/(health(\/ready)?|\.well-known\/styrman-keys|api\/v1\/statements|api\/v1\/clusters\/\{clusterId\}\/badge(\.svg)?|api\/v1\/[a-z-]+\/\{[a-zA-Z]+\}\/status-updates|api\/v1\/indicator-definitions.*|api\/v1\/(funders\/\{funderId\}\/)?indicator-totals)$/;

/**
 * Lists the fixture rightly leaves empty, so an empty page is right there: nothing was recorded after its submission
 * (late entries), no submission is due of a fixture made today, no plan item is stale yet, and a key that is not
 * the admin has no webhooks or subscriptions of its own.
 */
const EMPTY_FOR_THE_FIXTURE =
  /^\/api\/v1\/(report-submissions\/\{submissionId\}\/late-entries|(funders\/\{funderId\}|clusters\/\{clusterId\})\/submissions-due|needs-update|webhooks|subscriptions)$/;

function tokensOf(fx: Fixture): string[] {
  // The fixture's indicator definition is a common one, public to every key by the contract: no secret of the fixture.
  return Object.entries(fx)
    .filter(([key]) => key !== 'definition')
    .map(([, value]) => value as string);
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
      EMAIL_MAX_SUBSCRIPTIONS_PER_KEY: '1000',
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
    // Some 1 400 cells, one after another: on a busy machine more than the default minute.
  }, 180_000);
  afterAll(() => t.close());

  /**
   * An allowed cell answered its 2xx: did it do what it says? A read must show the data it was asked for (the
   * target fixture's own ids or names; a read without parameters, those of a fixture the caller may read); a
   * write must have changed the data, and a PATCH must read back, for the same caller, at the version it answered.
   * Null when right, else what is wrong.
   */
  async function allowedButWrong(
    op: OperationInfo,
    key: string | null,
    url: string,
    res: RawResponse,
    target: Fixture,
    own: Fixture,
    before: string,
  ): Promise<string | null> {
    if (op.method === 'get') {
      if (SHOWS_NO_FIXTURE.test(op.path)) return null;
      const readable = op.path.includes('{') ? [target] : key === sharedEditorA || key === sharedFunderA ? [own] : fixtures;
      const shows = (text: string) => readable.some((fx) => tokensOf(fx).some((token) => text.includes(token)));
      if (shows(await textOf(key, url, res))) return null;
      // The generated filters (a state, a period) may rightly match nothing: the same read without them must show it.
      const [path, query] = url.split('?');
      const format = new URLSearchParams(query ?? '').get('format');
      const plain = format ? `${path}?format=${format}` : path;
      if (plain !== url && shows(await textOf(key, plain))) return null;
      // A CSV has a row per plan item: of a period before the fixture's items existed (the submitted 2026-Q2), the
      // header only. Its JSON form names the cluster.
      if (format === 'csv' && shows(await textOf(key, `${path}?format=json`))) return null;
      if (EMPTY_FOR_THE_FIXTURE.test(op.path) && (res.body as { total?: number } | undefined)?.total === 0) return null;
      return `answered ${res.status} without any of the fixture's ids or names: ${res.text.slice(0, 160)}`;
    }
    if ((await fingerprint(t)) === before) return `answered ${res.status} but changed nothing`;
    if (op.method === 'patch') {
      const read = await sendRaw(t.api(key).get(url));
      if (read.status !== 200 || read.body?.version !== res.body?.version)
        return `read back ${read.status} at version ${read.body?.version}, answered version ${res.body?.version}`;
    }
    return null;
  }

  /** A read's answer as text: a workbook's cells joined (its XML is zipped), anything else as it came. */
  async function textOf(key: string | null, url: string, answered?: RawResponse): Promise<string> {
    if (answered && !/spreadsheetml/.test(answered.headers['content-type'] ?? '')) return answered.text;
    const res = await t
      .api(key)
      .get(url)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    const bytes = res.body as Buffer;
    if (!/spreadsheetml/.test(res.headers['content-type'] ?? '')) return bytes.toString('utf8');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
    return cells.join('\n');
  }

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
            // Defining an indicator changes no fixture: it may share them (and the funder's key defines for the shared funder A).
            const fresh = op.method !== 'get' && want === 'allowed' && op.path !== '/api/v1/indicator-definitions';
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
            const before = op.method === 'get' && want === 'allowed' ? '' : await fingerprint(t);
            const res: RawResponse = await sendRaw((t.api(key) as any)[op.method](request.url), request.body);
            found.cells += 1;

            if (want === 'allowed') {
              const wrong = res.status === op.success ? await allowedButWrong(op, key, request.url, res, target, own, before) : null;
              if (res.status !== op.success)
                found.allowedFailures.push(`${label}: ${res.status}, expected ${op.success} ${res.text.slice(0, 200)}`);
              else if (wrong) found.allowedFailures.push(`${label}: ${wrong}`);
              else found.allowed += 1;
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
