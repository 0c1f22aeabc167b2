import { randomBytes } from 'node:crypto';
import { resolveShared } from './support/openapi.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createActor, createCluster, createFruit, createGoal, createRisk } from './support/factories.js';
import { expectProblem } from './support/problem.js';

type Schema = {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  additionalProperties?: boolean;
};
type Parameter = { name: string; in: string; schema?: Schema; description?: string };
type Response = { description: string; content?: Record<string, { schema?: Schema; example?: Record<string, unknown> }> };
type Operation = {
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, Response>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** Whether a schema, as the document states it, admits null. */
function admitsNull(schema: Schema, doc: Document): boolean {
  if (schema.$ref) return admitsNull(doc.components.schemas[schema.$ref.split('/').pop()!], doc);
  if (schema.allOf) return schema.allOf.every((s) => admitsNull(s, doc)) && (schema.type === undefined || schema.nullable === true);
  if (schema.anyOf || schema.oneOf) return (schema.anyOf ?? schema.oneOf)!.some((s) => admitsNull(s, doc));
  if (schema.enum && !schema.enum.includes(null)) return false;
  return schema.nullable === true || schema.type === 'null';
}

/**
 * The document and the validation agree both ways: null for an optional
 * request field is accepted exactly where the document marks it nullable,
 * and an empty list parameter is refused like a malformed one.
 */
describe('the OpenAPI document and the validation', () => {
  let t: TestApp;
  let doc: Document;
  let ids: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' }); // webhook URLs are not resolved
    doc = resolveShared((await t.api(null).get('/docs-json')).body as Document);
    const cluster = await createCluster(t);
    const funder = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency', reportingPeriod: 'quarterly' }))
      .body;
    const funding = (
      await t
        .api()
        .post(`/api/v1/funders/${funder.id}/fundings`)
        .send({ clusterId: cluster.id, programme: 'Vinnväxt', amount: 1000, startsOn: '2026-01-01', endsOn: '2026-12-31' })
    ).body;
    // The funding counts as recorded when it started, so that a past quarter can be submitted to the funder.
    await t.dataSource.query(
      `INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, recorded_at)
       SELECT pg_current_xact_id()::text::bigint, 'funding', t.id, t.cluster_id, t.version, 'created', to_jsonb(t), 'Test', '2026-01-01T00:00:00Z'
       FROM funding t WHERE t.id = $1`,
      [funding.id],
    );
    const submission = (
      await t.api().post(`/api/v1/clusters/${cluster.id}/report-submissions`).send({ funderId: funder.id, period: '2026-Q1' })
    ).body;
    ids = {
      submissionId: submission.id,
      clusterId: cluster.id,
      goalId: (await createGoal(t, cluster.id, { indicator: { unit: 'firms', baseline: 0, target: 10 } })).id,
      activityId: (await createActivity(t, cluster.id)).id,
      id: (await createFruit(t, cluster.id)).id,
      riskId: (await createRisk(t, cluster.id)).id,
      actorId: (await createActor(t, cluster.id)).id,
      funderId: funder.id,
      fundingId: funding.id,
      webhookId: (await t.api().post('/api/v1/webhooks').send({ url: 'https://hooks.example.org/styrman' })).body.id,
      subscriptionId: (
        await t
          .api()
          .post('/api/v1/subscriptions')
          .send({ email: 'anna@example.org', language: 'sv', topics: ['red_status'] })
      ).body.id,
      period: '2026-H1',
      definitionId: (
        await t.api().post('/api/v1/indicator-definitions').send({ code: 'DOC', name: 'Pilots', unit: 'pilots', aggregation: 'sum' })
      ).body.id,
    };
  });
  afterAll(() => t.close());

  /** A valid body for every operation that takes one, so that the one null sent is the only thing wrong (or not). */
  const validBodies: Record<string, () => Record<string, unknown>> = {
    'post /api/v1/clusters': () => ({ name: `Cluster ${randomBytes(4).toString('hex')}`, region: 'Gävleborg', phase: 'initiation' }),
    'patch /api/v1/clusters/{clusterId}': () => ({}),
    'post /api/v1/clusters/{clusterId}/goals': () => ({ title: 'Goal', horizon: 'long_term' }),
    'patch /api/v1/goals/{goalId}': () => ({}),
    'post /api/v1/goals/{goalId}/status-updates': () => ({ status: 'green' }),
    'post /api/v1/goals/{goalId}/measurements': () => ({ value: 3, measuredOn: '2026-01-15' }),
    'post /api/v1/clusters/{clusterId}/activities': () => ({ title: 'Activity' }),
    'patch /api/v1/activities/{activityId}': () => ({}),
    'post /api/v1/activities/{activityId}/status-updates': () => ({ status: 'green' }),
    'post /api/v1/clusters/{clusterId}/low-hanging-fruits': () => ({ what: 'Fruit', when: '2030-01-01' }),
    'patch /api/v1/low-hanging-fruits/{id}': () => ({}),
    'post /api/v1/low-hanging-fruits/{id}/status-updates': () => ({ status: 'green' }),
    'post /api/v1/clusters/{clusterId}/risks': () => ({ title: 'Risk', likelihood: 2, impact: 3 }),
    'patch /api/v1/risks/{riskId}': () => ({}),
    'post /api/v1/risks/{riskId}/status-updates': () => ({ status: 'green' }),
    'post /api/v1/clusters/{clusterId}/actors': () => ({ name: 'Organisation', kind: 'company', core: 'inner' }),
    'patch /api/v1/actors/{actorId}': () => ({}),
    'post /api/v1/funders': () => ({ name: 'Region Gävleborg', kind: 'regional_council' }),
    'patch /api/v1/funders/{funderId}': () => ({}),
    'post /api/v1/funders/{funderId}/fundings': () => ({
      clusterId: ids.clusterId,
      programme: 'Regional fund',
      amount: 10,
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    }),
    'patch /api/v1/fundings/{fundingId}': () => ({}),
    'post /api/v1/api-keys': () => ({ name: 'Dashboard', role: 'viewer' }),
    'post /api/v1/reports/links': () => ({ path: `/api/v1/clusters/${ids.clusterId}/report?period=2026` }),
    'post /api/v1/clusters/{clusterId}/report-submissions': () => ({ funderId: ids.funderId, period: '2026-Q2' }),
    'post /api/v1/report-submissions/{submissionId}/acknowledge': () => ({}),
    'post /api/v1/report-submissions/{submissionId}/return': () => ({ comment: 'Please complete' }),
    'post /api/v1/webhooks': () => ({ url: 'https://hooks.example.org/styrman' }),
    'put /api/v1/clusters/{clusterId}/narratives/{period}': () => ({ summary: 'Ett halvår av mobilisering.' }),
    'patch /api/v1/webhooks/{webhookId}': () => ({}),
    'post /api/v1/indicator-definitions': () => ({
      code: `D-${randomBytes(4).toString('hex')}`,
      name: 'Pilots',
      unit: 'pilots',
      aggregation: 'sum',
    }),
    'patch /api/v1/indicator-definitions/{definitionId}': () => ({}),
    'post /api/v1/subscriptions': () => ({ email: 'anna@example.org', language: 'sv', topics: ['submission_due'] }),
  };

  function operations(): { key: string; path: string; method: 'post' | 'patch'; op: Operation }[] {
    return Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.requestBody)
        .map(([method, op]) => ({ key: `${method} ${path}`, path, method: method as 'post' | 'patch', op })),
    );
  }

  it('has a valid body here for every operation that takes one', () => {
    expect(
      operations()
        .map((o) => o.key)
        .sort(),
    ).toEqual(Object.keys(validBodies).sort());
  });

  it('null for an optional field: 2xx where the document says nullable, else 400 naming the field; never a 5xx', async () => {
    const outcomes: string[] = [];
    let nullable = 0;
    for (const { key, path, method, op } of operations()) {
      const schema = op.requestBody!.content['application/json'].schema;
      const body = schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema;
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]);
      for (const [field, property] of Object.entries(body.properties ?? {})) {
        if (body.required?.includes(field)) continue;
        const agent = t.api();
        const res = await agent[method](url).send({ ...validBodies[key](), [field]: null });
        const expected = admitsNull(property, doc) ? '2xx' : '400';
        const got = res.status >= 200 && res.status < 300 ? '2xx' : String(res.status);
        const named = got !== '400' || (res.body.errors ?? []).some((e: { field: string }) => e.field === field);
        if (expected === '2xx') nullable++;
        if (got !== expected || !named) outcomes.push(`${key} ${field}: null → ${res.status} (document: ${expected})`);
      }
    }
    expect(outcomes).toEqual([]);
    expect(nullable).toBeGreaterThan(10); // the walk did reach the nullable fields
  });

  /** The request body's schema of an operation, its reference followed. */
  const bodySchema = (op: Operation): Schema => {
    const schema = op.requestBody!.content['application/json'].schema;
    return schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema;
  };
  const urlOf = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]);

  /** Whether a string schema, as the document states it, admits `value`. */
  const schemaAdmits = (schema: Schema, value: string): boolean =>
    (schema.minLength === undefined || [...value].length >= schema.minLength) &&
    (schema.maxLength === undefined || [...value].length <= schema.maxLength) &&
    (schema.pattern === undefined || new RegExp(schema.pattern).test(value));

  it('texts: every value the schema refuses (blank, invisible only, control or bidirectional characters) is a 400 naming the field, every one it admits is accepted', async () => {
    const outcomes: string[] = [];
    let probed = 0;
    for (const { key, path, method, op } of operations()) {
      for (const [field, property] of Object.entries(bodySchema(op).properties ?? {})) {
        if (property.type !== 'string' || property.format || property.enum) continue;
        const unique = randomBytes(3).toString('hex');
        const probes = [
          '',
          '   ',
          '\u200b\u2060',
          '\u00a0\ufeff ',
          'a\u0001b',
          `tab\there ${unique}`,
          `line\nbreak ${unique}`,
          `a\u202eb ${unique}`,
        ];
        probes.push(`Plain ${unique}`, `  padded ${unique}  `);
        for (const value of probes) {
          const agent = t.api();
          const res = await agent[method](urlOf(path)).send({ ...validBodies[key](), [field]: value });
          const admitted = schemaAdmits(property, value);
          // A value the document admits may still meet a rule of the data's state (a second decision, a name taken):
          // a 409 or 422 the operation documents.
          const stateful = admitted && [409, 422].includes(res.status) && op.responses[String(res.status)] !== undefined;
          const got =
            (res.status >= 200 && res.status < 300) || stateful ? 'accepted' : res.status === 400 ? 'refused' : String(res.status);
          const named = got !== 'refused' || (res.body.errors ?? []).some((e: { field: string }) => e.field === field);
          if (got !== (admitted ? 'accepted' : 'refused') || !named)
            outcomes.push(`${key} ${field}=${JSON.stringify(value)}: ${res.status} (document: ${admitted ? 'admits' : 'refuses'})`);
          probed++;
        }
      }
    }
    expect(outcomes).toEqual([]);
    expect(probed).toBeGreaterThan(100); // the walk did reach the texts
  });

  it('closed bodies: every request schema says additionalProperties: false, and an unknown field is a 400 naming it', async () => {
    const outcomes: string[] = [];
    for (const { key, path, method, op } of operations()) {
      if (bodySchema(op).additionalProperties !== false) outcomes.push(`${key}: the schema does not say additionalProperties: false`);
      const agent = t.api();
      const res = await agent[method](urlOf(path)).send({ ...validBodies[key](), unknownField: 1 });
      if (res.status !== 400 || !(res.body.errors ?? []).some((e: { field: string }) => e.field === 'unknownField'))
        outcomes.push(`${key}: an unknown field → ${res.status}`);
    }
    expect(outcomes).toEqual([]);
  });

  it('an empty limit or offset on every list: 400 naming the parameter', async () => {
    const lists = Object.entries(doc.paths).flatMap(([path, item]) =>
      item.get?.parameters?.some((p) => p.name === 'offset') ? [path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name])] : [],
    );
    expect(lists.length).toBeGreaterThanOrEqual(7);
    for (const url of lists) {
      expectProblem(await t.api().get(`${url}?offset=`), 400, 'offset');
      expectProblem(await t.api().get(`${url}?limit=`), 400, 'limit');
      expect((await t.api().get(`${url}?offset=0&limit=1`)).status).toBe(200);
    }
  });

  describe('the document itself', () => {
    it('is OpenAPI 3.0, and says nullable in a way strict validators read: the goal indicator and latest measurement admit null', () => {
      expect(doc.openapi).toMatch(/^3\.0\./);
      const goal = doc.components.schemas.GoalResponse.properties!;
      for (const name of ['indicator', 'latestMeasurement']) {
        const property = goal[name];
        // nullable beside allOf: [$ref] is not nullable to a strict validator (null fails the $ref).
        expect(property.allOf).toBeUndefined();
        expect(admitsNull(property, doc)).toBe(true);
        expect(JSON.stringify(property)).toContain('"$ref"');
      }
      const bad: string[] = [];
      const walk = (node: unknown, where: string): void => {
        if (typeof node !== 'object' || node === null) return;
        const s = node as Schema;
        if (s.nullable === true && s.allOf) bad.push(where);
        for (const [k, v] of Object.entries(node)) walk(v, `${where}.${k}`);
      };
      walk(doc, '#');
      expect(bad).toEqual([]);
    });

    it('gives 401, 429 and 500 (and every other problem) an example of their own status', () => {
      let seen = 0;
      for (const item of Object.values(doc.paths)) {
        for (const op of Object.values(item)) {
          for (const [status, response] of Object.entries(op.responses)) {
            const problem = response.content?.['application/problem+json'];
            if (!problem) continue;
            expect(problem.example).toMatchObject({ status: Number(status), type: expect.stringMatching(/^https:\/\//) });
            seen++;
          }
        }
      }
      expect(seen).toBeGreaterThan(100);
      const clusters = doc.paths['/api/v1/clusters'].get.responses;
      expect(clusters['401'].content!['application/problem+json'].example).toMatchObject({ status: 401, title: 'Unauthorized' });
      expect(clusters['429'].content!['application/problem+json'].example).toMatchObject({ status: 429 });
      expect(clusters['500'].content!['application/problem+json'].example).toMatchObject({
        status: 500,
        correlationId: expect.any(String),
      });
    });

    it('tags operations only with the declared tags (no stray "Dashboard" section in Swagger UI)', () => {
      const declared = (doc as unknown as { tags: { name: string }[] }).tags.map((tag) => tag.name);
      const used = new Set(Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((op) => op.tags ?? [])));
      expect([...used].filter((tag) => !declared.includes(tag))).toEqual([]);
      expect(doc.paths['/api/v1/dashboard'].get.tags).toEqual(['dashboard']);
    });

    it('says on both reports that period and from/to exclude each other', () => {
      for (const path of ['/api/v1/clusters/{clusterId}/report', '/api/v1/funders/{funderId}/report']) {
        const parameters = doc.paths[path].get.parameters!;
        for (const name of ['period', 'from', 'to']) {
          const description = parameters.find((p) => p.name === name)?.description ?? '';
          expect(description).toMatch(/not (both|together)|exclude|either/i);
        }
      }
    });
  });
});
