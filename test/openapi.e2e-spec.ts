import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/app.js';
import { resolveShared } from './support/openapi.js';

type Operation = { summary?: string; description?: string; tags?: string[]; security?: unknown[]; responses: Record<string, unknown> };

describe('the OpenAPI document', () => {
  let t: TestApp;
  let served: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    t = await startTestApp();
    served = (await t.api(null).get('/docs-json')).body;
  });
  afterAll(() => t.close());

  it('served at /docs-json is the committed openapi.json (regenerate with npm run openapi)', async () => {
    const committed = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'openapi.json'), 'utf8'));
    expect(served).toEqual(committed);
  });

  it('gives every operation a summary and a tag, and every /api/v1 operation the key requirement and its 401', () => {
    const operations = Object.entries(served.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(5);
    for (const { path, op } of operations) {
      expect(op.summary).toBeTruthy();
      expect(op.tags?.length).toBeGreaterThan(0);
      if (path.startsWith('/api/v1')) {
        // The badge may also be fetched without a key (an empty requirement) when the cluster makes it public.
        const optional = path.endsWith('/badge.svg') ? [{}] : [];
        expect(op.security).toEqual([{ bearer: [] }, { 'api-key': [] }, ...optional]);
        expect(op.responses['401']).toBeDefined();
      }
    }
  });

  it('speaks to cluster staff: short summaries, mechanics only in a "Details" paragraph, status updates once, tags named after the kinds', () => {
    const operations = Object.entries(served.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        at: `${method.toUpperCase()} ${path}`,
        op: op,
      })),
    );
    // What a cluster leader reads first: no HTTP caching, compression, SQL or settings; those come after "Details:".
    const mechanics = /ETag|If-Match|If-None-Match|brotli|gzip|\bSQL\b|\bstatement\b|REPORT_[A-Z_]+|Content-Digest/;
    const plain = operations
      .map(({ at, op }) => ({ at, first: (op.description ?? '').split('\n\nDetails:')[0] }))
      .filter(({ first }) => mechanics.test(first));
    expect(plain).toEqual([]);
    expect(operations.filter(({ op }) => (op.summary ?? '').length > 80).map(({ at }) => at)).toEqual([]);
    // A status update is listed once, under "status"; every other operation of an item under its kind, so that the
    // filter box (which matches tags) finds "risk" operations by typing "risk".
    const statusOps = operations.filter(({ at }) => at.includes('/status-updates'));
    expect(statusOps.length).toBe(8);
    for (const { at, op } of statusOps) expect({ at, tags: op.tags }).toEqual({ at, tags: ['status'] });
    const risks = operations.filter(({ op }) => op.tags?.some((tag) => tag.includes('risk'))).map(({ at }) => at);
    expect(risks).toEqual(expect.arrayContaining(['GET /api/v1/clusters/{clusterId}/risks', 'PATCH /api/v1/risks/{riskId}']));
    for (const kind of ['goals', 'activities', 'low-hanging-fruits', 'risks']) {
      expect(operations.filter(({ op }) => op.tags?.includes(kind)).length).toBeGreaterThanOrEqual(5);
    }
  });

  it('writes "an" before a vowel in summaries ("The revisions of an activity", never "a activity")', () => {
    const summaries = Object.values(served.paths).flatMap((item) => Object.values(item).map((op) => op.summary ?? ''));
    expect(summaries).toContain('The revisions of an activity, newest first');
    expect(summaries.filter((s) => /\ba [aeiou]/i.test(s))).toEqual([]);
  });

  it('writes what every operation shares once, in components, and every operation refers to it', () => {
    const doc = served as unknown as {
      paths: Record<string, Record<string, { parameters?: unknown[]; responses: Record<string, { headers?: Record<string, unknown> }> }>>;
      components: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.components.headers)).toEqual(
      expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After']),
    );
    expect(doc.components.parameters.IdempotencyKey).toMatchObject({ name: 'Idempotency-Key', in: 'header' });
    let references = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const response of Object.values(op.responses)) {
          for (const [name, header] of Object.entries(response.headers ?? {})) {
            // A rate-limit header is never a copy: always a reference to the one definition.
            if (name.startsWith('RateLimit-'))
              expect([path, method, header]).toEqual([path, method, { $ref: `#/components/headers/${name}` }]);
          }
        }
        if (path.startsWith('/api/v1')) {
          expect(op.responses['429']).toEqual({ $ref: '#/components/responses/TooManyRequests' });
          references += 1;
        }
        if (method === 'post' && path.startsWith('/api/v1')) {
          expect(op.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
        }
      }
    }
    expect(references).toBeGreaterThan(20);
    // Every reference names something: resolving them all throws on none, and gives the 429 its headers.
    const resolved = resolveShared(doc);
    expect(Object.keys(resolved.paths['/api/v1/clusters'].get.responses['429'].headers ?? {})).toEqual([
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'Retry-After',
    ]);
  });

  describe('as Swagger UI fills in "Try it out"', () => {
    type Param = {
      name: string;
      in: string;
      description?: string;
      example?: unknown;
      examples?: unknown;
      schema?: Record<string, unknown>;
    };
    const parameters = () =>
      Object.entries(served.paths).flatMap(([path, item]) =>
        Object.entries(item).flatMap(([method, op]) =>
          ((op as { parameters?: (Param | { $ref: string })[] }).parameters ?? [])
            .filter((p): p is Param => !('$ref' in p))
            .map((p) => ({ at: `${method.toUpperCase()} ${path} ${p.in} ${p.name}`, p })),
        ),
      );

    it('pre-fills no query parameter: examples are in the descriptions, so nothing filters until the user types', () => {
      const query = parameters().filter(({ p }) => p.in === 'query');
      expect(query.length).toBeGreaterThan(20);
      const withExample = query
        .filter(
          ({ p }) =>
            p.example !== undefined || p.examples !== undefined || p.schema?.example !== undefined || p.schema?.examples !== undefined,
        )
        .map(({ at }) => at);
      expect(withExample).toEqual([]);
      const activities = served.paths['/api/v1/clusters/{clusterId}/activities'].get as unknown as { parameters: Param[] };
      expect(activities.parameters.find((p) => p.name === 'q')?.description).toContain('e.g. `survey`');
    });

    it('types every path id as a UUID and says where to get it (a period as a period)', () => {
      const path = parameters().filter(({ p }) => p.in === 'path');
      expect(path.length).toBeGreaterThan(30);
      for (const { at, p } of path) {
        // The one path parameter that is no id: a period narrative's period, as in reports.
        if (p.name === 'period') {
          expect([at, p.schema?.pattern]).toEqual([at, '^\\d{4}(-(Q[1-4]|H[12]))?$']);
          continue;
        }
        expect([at, p.schema?.format]).toEqual([at, 'uuid']);
        expect([at, p.description]).toEqual([at, expect.stringMatching(/from (GET \/api\/v1\/\S+|POST \/api\/v1\/reports\/links)/)]);
      }
      const changeStatus = served.paths['/api/v1/activities/{activityId}/status-updates'].post as unknown as { parameters: Param[] };
      expect(changeStatus.parameters.find((p) => p.name === 'activityId')?.description).toContain(
        'from GET /api/v1/clusters/{clusterId}/activities',
      );
    });

    it('offers a status update of { status, comment } only: an example never changes the state', () => {
      const posts = Object.entries(served.paths).filter(([path, item]) => path.endsWith('/status-updates') && item.post);
      expect(posts.length).toBeGreaterThanOrEqual(3);
      for (const [path, item] of posts) {
        const body = (
          item.post as unknown as { requestBody: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } }
        ).requestBody.content['application/json'];
        const values = Object.values(body.examples ?? {}).map((e) => e.value);
        expect([path, values]).toEqual([path, [{ status: 'yellow', comment: 'Two key firms have not signed up yet' }]]);
      }
    });
  });
});
