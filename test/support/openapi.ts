import { randomBytes } from 'node:crypto';
import type request from 'supertest';
import type { TestApp } from './app.js';
import { createActivity, createActor, createCluster, createFruit, createGoal, createRisk } from './factories.js';

/** The parts of the application's OpenAPI document the schema-driven suites read. */
export interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
  security?: unknown[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: Schema;
}

export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  nullable?: boolean;
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  example?: unknown;
  default?: unknown;
  description?: string;
}

export const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** One operation of the document, with what the suites need to call it. */
export interface OperationInfo {
  method: (typeof METHODS)[number];
  path: string;
  operation: Operation;
  /** The one 2xx status the document gives for success. */
  success: number;
  /** The request body's schema, resolved; undefined when the operation takes none. */
  body?: Schema;
  pathParameters: Parameter[];
  queryParameters: Parameter[];
}

export function operationsOf(doc: Document): OperationInfo[] {
  const result: OperationInfo[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const successes = Object.keys(operation.responses).filter((s) => /^2\d\d$/.test(s));
      if (successes.length !== 1) throw new Error(`${method} ${path} documents ${successes.length} successes`);
      const bodySchema = operation.requestBody?.content['application/json']?.schema;
      result.push({
        method,
        path,
        operation,
        success: Number(successes[0]),
        body: bodySchema ? resolve(doc, bodySchema) : undefined,
        pathParameters: (operation.parameters ?? []).filter((p) => p.in === 'path'),
        queryParameters: (operation.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => ({ ...p, schema: resolve(doc, p.schema) })),
      });
    }
  }
  return result;
}

/** `{ nullable: true, enum: [null] }`: the "or null" of a nullable reference written as `anyOf`. */
function isNullOnly(schema: Schema): boolean {
  return schema.nullable === true && schema.enum?.length === 1 && schema.enum[0] === null;
}

/**
 * A schema with its `$ref` followed and a single `allOf` merged with what stands beside it (`nullable`,
 * `description`); a nullable reference (`anyOf: [{ $ref }, { nullable, enum: [null] }]`) becomes the
 * referenced schema with `nullable: true`.
 */
export function resolve(doc: Document, schema: Schema): Schema {
  if (schema.$ref) return resolve(doc, doc.components.schemas[schema.$ref.split('/').pop()!]);
  if (schema.anyOf) {
    const { anyOf, ...own } = schema;
    const values = anyOf.filter((s) => !isNullOnly(s));
    if (values.length !== 1) throw new Error(`no fuzzing for anyOf ${JSON.stringify(schema)}`);
    return { ...resolve(doc, values[0]), ...own, ...(values.length < anyOf.length ? { nullable: true } : {}) };
  }
  if (schema.allOf?.length === 1) {
    const { allOf, ...own } = schema;
    return { ...resolve(doc, allOf[0]), ...own };
  }
  if (schema.properties) {
    const properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(doc, v)]));
    return { ...schema, properties };
  }
  if (schema.items) return { ...schema, items: resolve(doc, schema.items) };
  return schema;
}

/**
 * Fresh data for one operation (or one matrix cell): a cluster with a plan (a long-term goal, a short-term goal
 * with an indicator and a measurement, an activity, a fruit, a risk), an actor, a funder funding it, and a viewer key. Every name
 * ends in a random token, so no name is part of another's and a scan for them finds only them.
 */
export interface Fixture {
  cluster: string;
  clusterName: string;
  funder: string;
  funderName: string;
  funding: string;
  programme: string;
  goal: string;
  goalTitle: string;
  longGoal: string;
  activity: string;
  activityTitle: string;
  fruit: string;
  fruitWhat: string;
  risk: string;
  riskTitle: string;
  actor: string;
  actorName: string;
  apiKey: string;
  /** A report link made by the admin key to the cluster's report. */
  reportLink: string;
  /** The cluster's report for 2026-Q2, submitted to the funder by the admin key (the examples submit 2026-Q3). */
  submission: string;
  /** A webhook of the admin key, and a delivery of it (a ping). */
  webhook: string;
  delivery: string;
  /** A subscription of the admin key (pending: nothing is sent, the worker is off in tests). */
  subscription: string;
  /** The period of the cluster's narrative (the one path parameter that is no id). */
  narrativePeriod: string;
  /** A common indicator definition (an admin's): public, like every definition, so no secret of the fixture. */
  definition: string;
}

export async function createFixture(t: TestApp, label: string): Promise<Fixture> {
  const name = (what: string) => `${label} ${what} ${randomBytes(5).toString('hex')}`;
  const ok = (what: string, res: request.Response, status = 201) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>;
  };
  const cluster = await createCluster(t, { name: name('cluster'), focusArea: name('focus') });
  const funder = ok(
    'funder',
    await t
      .api()
      .post('/api/v1/funders')
      .send({ name: name('funder'), kind: 'private', reportingPeriod: 'quarterly' }),
  );
  const funding = ok(
    'funding',
    await t
      .api()
      .post(`/api/v1/funders/${funder.id}/fundings`)
      .send({ clusterId: cluster.id, programme: name('programme'), amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' }),
  );
  // The funding counts as recorded when it started, so that the cluster's past quarters can be submitted to the funder.
  await t.dataSource.query(
    `INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, recorded_at)
     SELECT pg_current_xact_id()::text::bigint, 'funding', t.id, t.cluster_id, t.version, 'created', to_jsonb(t), 'Fixture', '2026-01-01T00:00:00Z'
     FROM funding t WHERE t.id = $1`,
    [funding.id],
  );
  const longGoal = await createGoal(t, cluster.id, { title: name('effect'), horizon: 'long_term' });
  const goal = await createGoal(t, cluster.id, {
    title: name('result'),
    contributesToGoalId: longGoal.id,
    indicator: { unit: 'firms', baseline: 0, target: 10 },
  });
  ok('measurement', await t.api().post(`/api/v1/goals/${goal.id}/measurements`).send({ value: 3, measuredOn: '2026-01-15' }));
  const activity = await createActivity(t, cluster.id, { title: name('activity'), goalId: goal.id });
  const fruit = await createFruit(t, cluster.id, { what: name('fruit') });
  const risk = await createRisk(t, cluster.id, { title: name('risk'), goalId: goal.id, likelihood: 4, impact: 4 });
  const actor = await createActor(t, cluster.id, { name: name('actor') });
  // The fuzzing app allows private addresses (WEBHOOK_ALLOW_PRIVATE), so no name is resolved; its worker is off.
  const definition = ok(
    'indicator definition',
    await t
      .api()
      .post('/api/v1/indicator-definitions')
      .send({ code: `FX-${randomBytes(5).toString('hex')}`, name: name('definition'), unit: 'firms', aggregation: 'sum' }),
  ).id as string;
  const webhook = ok('webhook', await t.api().post('/api/v1/webhooks').send({ url: 'https://hooks.example.org/styrman' })).id as string;
  return {
    cluster: cluster.id,
    clusterName: cluster.name,
    funder: funder.id,
    funderName: funder.name,
    funding: funding.id,
    programme: funding.programme,
    goal: goal.id,
    goalTitle: goal.title,
    longGoal: longGoal.id,
    activity: activity.id,
    activityTitle: activity.title,
    fruit: fruit.id,
    fruitWhat: fruit.what,
    risk: risk.id,
    riskTitle: risk.title,
    actor: actor.id,
    actorName: actor.name,
    apiKey: (await t.key('viewer', { name: name('key') })).id,
    webhook,
    delivery: ok('ping', await t.api().post(`/api/v1/webhooks/${webhook}/ping`), 202).id as string,
    subscription: ok(
      'subscription',
      await t
        .api()
        .post('/api/v1/subscriptions')
        .send({ email: `${label.replace(/\W/g, '').toLowerCase()}@example.org`, language: 'en', topics: ['red_status'] }),
    ).id as string,
    reportLink: ok(
      'report link',
      await t
        .api()
        .post('/api/v1/reports/links')
        .send({ path: `/api/v1/clusters/${cluster.id}/report?period=2026` }),
    ).id as string,
    definition,
    narrativePeriod: ok(
      'narrative',
      await t
        .api()
        .put(`/api/v1/clusters/${cluster.id}/narratives/2026-H1`)
        .send({ summary: name('narrative') }),
      200,
    ).period as string,
    submission: ok(
      'report submission',
      await t.api().post(`/api/v1/clusters/${cluster.id}/report-submissions`).send({ funderId: funder.id, period: '2026-Q2' }),
    ).id as string,
  };
}

/**
 * Tables whose rows change without a request asking: the webhook dispatcher's cursor moves as the feed grows, and a
 * report kept at its first pull gets its brotli bytes a moment later, in the background (a cache of bytes that never
 * change: what a request may do to it is pinned by the kept-report suites).
 */
const NOT_WRITTEN_BY_REQUESTS = new Set(['migrations', 'webhook_dispatch', 'kept_report']);

/**
 * What every table of the schema holds, as one string: a refused request must leave it unchanged (rows, versions,
 * the history, webhooks and their deliveries, idempotency keys). Every table is
 * included as it is found in the catalogue, so a table added later is covered without a change here.
 */
export async function fingerprint(t: TestApp): Promise<string> {
  const tables = (
    await t.dataSource.query<{ name: string }[]>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
    )
  )
    .map((r) => r.name)
    .filter((name) => !NOT_WRITTEN_BY_REQUESTS.has(name));
  const [row] = await t.dataSource.query(
    `SELECT ${tables
      // A row inserted or updated gets its transaction's id as xmin, newer than every row before: the newest xmin and
      // the count change with every insert, update and delete.
      .map((name) => `(SELECT count(*) || ':' || coalesce(max(x.xmin::text::bigint), 0) FROM "${name}" x) AS "${name}"`)
      .join(', ')}`,
  );
  return JSON.stringify(row);
}

/** Which fixture a path parameter names: the resource segment before it (`/goals/{goalId}` → goal). */
const RESOURCE_OF_SEGMENT: Record<string, keyof Fixture> = {
  clusters: 'cluster',
  goals: 'goal',
  activities: 'activity',
  'low-hanging-fruits': 'fruit',
  risks: 'risk',
  actors: 'actor',
  funders: 'funder',
  fundings: 'funding',
  'api-keys': 'apiKey',
  links: 'reportLink',
  'report-submissions': 'submission',
  webhooks: 'webhook',
  deliveries: 'delivery',
  subscriptions: 'subscription',
  narratives: 'narrativePeriod',
  'indicator-definitions': 'definition',
};

/** The path with its parameters filled from the fixture; `override` replaces one parameter's value. */
export function fillPath(path: string, fx: Fixture, override?: { name: string; value: string }): string {
  return path.replace(/\/([^/]+)\/\{([^}]+)\}/g, (_, segment: string, name: string) => {
    if (override?.name === name) return `/${segment}/${encodeURIComponent(override.value)}`;
    const key = RESOURCE_OF_SEGMENT[segment];
    if (!key) throw new Error(`no fixture for {${name}} after /${segment}`);
    return `/${segment}/${fx[key]}`;
  });
}

/** A response read as raw text whatever its type (JSON, CSV, SVG), with the JSON parsed when it is JSON. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: any;
}

export async function sendRaw(test: request.Test, body?: unknown): Promise<RawResponse> {
  const res = await test
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => callback(null, Buffer.concat(chunks).toString('utf8')));
    })
    .send(body as string | object | undefined);
  const text = typeof res.body === 'string' ? res.body : '';
  let parsed: unknown;
  if (/json/.test(res.headers['content-type'] ?? '') && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/**
 * The document with the shared responses, parameters and headers it
 * references (`#/components/responses/...` and so on) copied in where they are
 * referenced, so that a test reads each operation as a client resolving the
 * references would. Schema references are left as they are. An unresolvable
 * reference throws.
 */
export function resolveShared<T>(doc: T): T {
  const components = (doc as { components?: Record<string, Record<string, unknown>> }).components ?? {};
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      const match = /^#\/components\/(responses|parameters|headers)\/([^/]+)$/.exec(ref);
      if (match) {
        const target = components[match[1]]?.[match[2]];
        if (target === undefined) throw new Error(`${ref} names nothing in the document`);
        return walk(target);
      }
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]));
  };
  return walk(doc) as T;
}
