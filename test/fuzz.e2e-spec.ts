import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { startTestApp, type TestApp } from './support/app.js';
import { CATEGORIES, type Category, casesFor, type FuzzCase, type FuzzRequest } from './support/fuzz-cases.js';
import {
  createFixture,
  type Document,
  fingerprint,
  type Fixture,
  operationsOf,
  type OperationInfo,
  type RawResponse,
  resolveShared,
  sendRaw,
} from './support/openapi.js';

/** Operations in the document: a route that silently vanishes (or appears untested) changes this. */
const DOCUMENT_OPERATIONS = 117;
/** What DELETE removes for good (personal data: a subscription's address) instead of archiving. */
const REMOVED_FOR_GOOD = new Set(['/api/v1/subscriptions/{subscriptionId}']);
const SEED = 20261127;
/** Writes that succeed once on the same data: a second submission for the period, or a second decision, is a 409. */
const ONCE_ONLY =
  /^post \/api\/v1\/(clusters\/\{clusterId\}\/report-submissions|report-submissions\/\{submissionId\}\/(acknowledge|return))$/;

/**
 * Schema-driven fuzzing of every operation of the application's own OpenAPI
 * document (see support/fuzz-cases.ts for what is generated). Each operation
 * gets fresh data of its own, so archiving in one never breaks another.
 *
 * - a valid request (a body with every field, generated from the schema) must
 *   answer the 2xx the document gives, and read back what it sent;
 * - valid-but-odd values (unicode, the longest strings, boundary numbers,
 *   `null` where the document says nullable, far dates the document allows)
 *   must be accepted and read back intact;
 * - every hostile variant must be refused with problem details naming the
 *   field it broke in `errors[].field`, and change nothing.
 */
describe('schema-driven fuzzing of every operation', () => {
  let t: TestApp;
  let doc: Document;

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_PER_MINUTE: '0',
      AUTH_FAILURES_PER_MINUTE: '0',
      BODY_LIMIT_BYTES: String(1024 * 1024),
      LOG_LEVEL: 'silent',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      // Each run of the fixture makes webhooks and subscriptions of the same keys.
      WEBHOOK_MAX_PER_KEY: '1000',
      EMAIL_MAX_SUBSCRIPTIONS_PER_KEY: '1000',
    });
    doc = resolveShared((await t.api(null).get('/docs-json')).body as Document);
    await run();
    // Some 2 600 requests on 85 operations: about a minute alone, more beside other suites on a small machine.
  }, 300_000);
  afterAll(() => t.close());

  async function send(op: OperationInfo, req: FuzzRequest): Promise<RawResponse> {
    const test = (t.api() as any)[op.method](req.url);
    // Raw bodies go out byte for byte (superagent would otherwise serialise a Buffer as JSON).
    if (req.raw !== undefined)
      return sendRaw(
        test.set('Content-Type', req.contentType ?? 'application/json').serialize((raw: unknown) => raw),
        req.raw,
      );
    return sendRaw(test, req.body);
  }

  /** A field's value in a resource, by path (`indicator.unit`). */
  function valueAt(resource: Record<string, any>, path: string): unknown {
    return path.split('.').reduce<any>((node, key) => (node === null || node === undefined ? undefined : node[key]), resource);
  }

  /** Values the API returns in its own form: amounts as decimal strings ("1500.50", "0.00"), compared as numbers. */
  function same(sent: unknown, got: unknown): boolean {
    const decimal = /^\d+\.\d{2}$/;
    if (
      typeof got === 'string' &&
      decimal.test(got) &&
      (typeof sent === 'number' || (typeof sent === 'string' && /^\d+(\.\d+)?$/.test(sent)))
    )
      return got === Number(sent).toFixed(2) || (typeof sent === 'string' && got === sent);
    return JSON.stringify(sent) === JSON.stringify(got);
  }

  /**
   * What a write left behind, read again with fresh GETs: the resource (by the
   * id it answered with, or the path written to), and for plan items their
   * newest history entry (where a status update's comment and a creation's
   * statusComment live).
   */
  async function readBack(op: OperationInfo, url: string, res: RawResponse): Promise<Record<string, any>> {
    const path = url.split('?')[0];
    const get = async (p: string) => {
      const r = await sendRaw(t.api().get(p));
      if (r.status !== 200) throw new Error(`GET ${p} after ${op.method} ${op.path}: ${r.status}`);
      return r.body as Record<string, any>;
    };
    let resource: Record<string, any>;
    if (op.method === 'patch' || op.method === 'put') resource = await get(path);
    else if (path.endsWith('/status-updates')) resource = await get(path.replace(/\/status-updates$/, ''));
    else if (path.endsWith('/measurements')) resource = (await get(path)).items.find((m: { id: string }) => m.id === res.body.id);
    else if (path === '/api/v1/reports/links') resource = await get(`${path}/${res.body.id}`);
    else if (/\/report-submissions\/[0-9a-f-]{36}\/(acknowledge|return)$/.test(path)) {
      // A decision's comment is the submission's decisionComment.
      const submission = await get(path.replace(/\/(acknowledge|return)$/, ''));
      resource = { ...submission, comment: submission.decisionComment };
    } else {
      const collection = path.split('/').at(-1)!;
      resource = await get(`/api/v1/${collection}/${res.body.id}`);
    }
    // Plan items keep a status update's comment (and a creation's statusComment) in their history.
    const itemUrl =
      op.method === 'patch'
        ? path
        : path.endsWith('/status-updates')
          ? path.replace(/\/status-updates$/, '')
          : `/api/v1/${path.split('/').at(-1)}/${res.body?.id}`;
    if (/^\/api\/v1\/(goals|activities|low-hanging-fruits|risks)\/[0-9a-f-]{36}$/.test(itemUrl)) {
      const newest = (await get(`${itemUrl}/status-updates`)).items[0];
      resource = { ...resource, comment: newest?.comment, statusComment: newest?.comment };
    }
    return resource;
  }

  /** What the run found, filled by run() in beforeAll and read by the tests below. */
  const found = {
    operations: 0,
    expectedValid: 0,
    expectedHostile: 0,
    sentValid: 0,
    succeeded: 0,
    sentHostile: 0,
    refusedRight: 0,
    fiveHundreds: 0,
    acceptedInvalid: 0,
    failures: {} as Record<Category, string[]>,
  };

  async function run(): Promise<void> {
    const operations = operationsOf(doc);
    // A fixed seed: fast-check gives every free-text field the same random texts with a NUL each run.
    const randomTexts = fc.sample(
      fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `${s}\u0000`),
      { seed: SEED, numRuns: 3 },
    );
    const plan = operations.map((op) => ({ op, cases: casesFor(op, randomTexts) }));
    found.operations = operations.length;
    found.expectedValid = plan.flatMap((p) => p.cases).filter((c) => c.expect.kind === 'accept').length;
    found.expectedHostile = plan.flatMap((p) => p.cases).filter((c) => c.expect.kind === 'refuse').length;
    const all: string[] = [];
    const fail = (c: FuzzCase, what: string) => {
      const line = `[${c.expect.category}] ${c.label}: ${what}`;
      all.push(line);
      (found.failures[c.expect.category] ??= []).push(line);
    };

    for (const { op, cases } of plan) {
      const shared: Fixture = await createFixture(t, op.operation.operationId);
      for (const c of cases) {
        // A write that can succeed only once on its data (a report submitted for a period, then decided) gets fresh data for each accepted case.
        const fx =
          c.expect.kind === 'accept' && ONCE_ONLY.test(`${op.method} ${op.path}`)
            ? await createFixture(t, op.operation.operationId)
            : shared;
        const req = c.build(fx);
        const before = c.expect.kind === 'refuse' ? await fingerprint(t) : '';
        let res: RawResponse;
        try {
          res = await send(op, req);
        } catch (error) {
          fail(c, `no response: ${(error as Error).message}`);
          continue;
        }
        const summary = `${res.status} ${res.text.slice(0, 300)}`;
        if (res.status >= 500) found.fiveHundreds += 1;
        if (c.expect.kind === 'accept') {
          found.sentValid += 1;
          if (res.status !== op.success) {
            fail(c, `expected ${op.success}, got ${summary}`);
            continue;
          }
          const problems = await readBackProblems(op, req, res, req.readBack ?? c.expect.readBack).catch((error: Error) => [
            `reading it back failed: ${error.message}`,
          ]);
          if (problems.length > 0) fail(c, `not read back intact: ${problems.join('; ')}`);
          else found.succeeded += 1;
        } else {
          found.sentHostile += 1;
          const fields: string[] = (res.body?.errors ?? []).map((e: { field: string }) => e.field);
          const names = (f: string | undefined) =>
            f !== undefined && fields.some((g) => g === f || g.startsWith(`${f}.`) || g.startsWith(`${f}[`) || f.startsWith(`${g}.`));
          const problemJson = /^application\/problem\+json/.test(res.headers['content-type'] ?? '');
          const changed = (await fingerprint(t)) !== before;
          if (res.status < 400) {
            found.acceptedInvalid += 1;
            fail(c, `accepted${changed ? ' and changed data' : ''}: ${summary}`);
          } else if (!c.expect.statuses.includes(res.status)) fail(c, `expected ${c.expect.statuses.join('/')}, got ${summary}`);
          else if (!problemJson) fail(c, `${res.status} without problem details`);
          else if (c.expect.field !== undefined && !names(c.expect.field) && !names(c.expect.alsoField))
            fail(c, `refused, but errors[].field names ${JSON.stringify(fields)}, not ${c.expect.field}: ${summary}`);
          else if (changed) fail(c, `refused with ${res.status} but changed data`);
          else found.refusedRight += 1;
        }
      }
    }

    process.stdout.write(
      `fuzz: ${found.operations} of ${countOperations(doc)} operations, ${found.succeeded} valid requests 2xx, ${found.sentHostile} hostile requests, ` +
        `${found.refusedRight} refused for the right field, ${all.length} failures (${found.fiveHundreds} 5xx, ${found.acceptedInvalid} accepted-invalid)\n`,
    );
    // FUZZ_FAILURES_FILE=/tmp/fuzz.txt keeps the whole list, one failure a line, for reading at leisure.
    if (process.env.FUZZ_FAILURES_FILE) writeFileSync(process.env.FUZZ_FAILURES_FILE, all.join('\n'));
  }

  /** For an accepted request: what was sent and is not read back as sent. */
  async function readBackProblems(
    op: OperationInfo,
    req: FuzzRequest,
    res: RawResponse,
    readBackList: [string, unknown][],
  ): Promise<string[]> {
    const problems: string[] = [];
    if (op.method === 'get') {
      for (const [path, value] of readBackList) {
        const got = valueAt(res.body, path.replace(/^query\./, ''));
        if (!same(value, got)) problems.push(`${path}: sent ${JSON.stringify(value)}, read ${JSON.stringify(got)}`);
      }
    } else if (op.method === 'delete' && REMOVED_FOR_GOOD.has(op.path)) {
      const after = await sendRaw(t.api().get(req.url));
      if (after.status !== 404) problems.push(`not removed: GET answers ${after.status} ${after.text.slice(0, 200)}`);
    } else if (op.method === 'delete') {
      const after = await sendRaw(t.api().get(req.url));
      if (after.status !== 200 || (after.body.archivedAt ?? after.body.revokedAt ?? null) === null)
        problems.push(`not archived: GET answers ${after.status} ${after.text.slice(0, 200)}`);
    } else if (req.body !== undefined) {
      const read = await readBack(op, req.url, res);
      // Everything the valid body sent, and the odd value on top.
      for (const [path, value] of [...leaves(req.body as Record<string, unknown>), ...readBackList]) {
        const got = valueAt(read, path);
        if (!same(value, got))
          problems.push(`${path}: sent ${JSON.stringify(value)?.slice(0, 80)}, read ${JSON.stringify(got)?.slice(0, 80)}`);
      }
    }
    return problems;
  }

  it(`covers all ${DOCUMENT_OPERATIONS} operations of the document and sends exactly the requests it generated`, () => {
    expect(countOperations(doc)).toBe(DOCUMENT_OPERATIONS);
    expect(found.operations).toBe(countOperations(doc));
    expect({ valid: found.sentValid, hostile: found.sentHostile }).toEqual({ valid: found.expectedValid, hostile: found.expectedHostile });
  });

  it('never answers 5xx and never accepts a hostile request', () => {
    expect({ fiveHundreds: found.fiveHundreds, acceptedInvalid: found.acceptedInvalid }).toEqual({ fiveHundreds: 0, acceptedInvalid: 0 });
  });

  it.each(Object.entries(CATEGORIES))('%s: %s', (category) => {
    expect(found.failures[category as Category] ?? []).toEqual([]);
  });

  it('counts every valid request as 2xx and every hostile one as refused for the right field', () => {
    expect(found.succeeded).toBe(found.expectedValid);
    expect(found.refusedRight).toBe(found.sentHostile);
  });
});

/** Every operation under every path of the document, counted independently of operationsOf. */
function countOperations(doc: Document): number {
  return Object.values(doc.paths).reduce(
    (n, item) =>
      n + Object.keys(item).filter((m) => ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(m)).length,
    0,
  );
}

/** A body's values by path (`indicator.unit`), arrays and nulls as leaves. */
function leaves(body: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(body).flatMap(([k, v]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? leaves(v as Record<string, unknown>, path)
      : [[path, v] as [string, unknown]];
  });
}
