import type request from 'supertest';
import type { TestApp } from './app.js';
import { createActivity, createCluster, createFruit, createGoal } from './factories.js';

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

/** A schema with its `$ref` followed and a single `allOf` merged with what stands beside it (`nullable`, `description`). */
export function resolve(doc: Document, schema: Schema): Schema {
  if (schema.$ref) return resolve(doc, doc.components.schemas[schema.$ref.split('/').pop()!]);
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

/** Fresh data for one operation (or one matrix cell): a cluster with a plan, a funder funding it, an API key. */
export interface Fixture {
  cluster: string;
  clusterName: string;
  funder: string;
  funderName: string;
  funding: string;
  goal: string;
  longGoal: string;
  activity: string;
  fruit: string;
  apiKey: string;
  [name: string]: string;
}

let fixtures = 0;

export async function createFixture(t: TestApp, label: string): Promise<Fixture> {
  const n = ++fixtures;
  const cluster = await createCluster(t, { name: `${label} cluster ${n}`, focusArea: `${label} focus ${n}` });
  const funderRes = await t
    .api()
    .post('/api/v1/funders')
    .send({ name: `${label} funder ${n}`, kind: 'private' });
  if (funderRes.status !== 201) throw new Error(`funder: ${funderRes.status} ${JSON.stringify(funderRes.body)}`);
  const fundingRes = await t
    .api()
    .post(`/api/v1/funders/${funderRes.body.id}/fundings`)
    .send({ clusterId: cluster.id, programme: `${label} programme ${n}`, amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' });
  if (fundingRes.status !== 201) throw new Error(`funding: ${fundingRes.status} ${JSON.stringify(fundingRes.body)}`);
  const longGoal = await createGoal(t, cluster.id, { title: `${label} effect ${n}`, horizon: 'long_term' });
  const goal = await createGoal(t, cluster.id, {
    title: `${label} result ${n}`,
    contributesToGoalId: longGoal.id,
    indicator: { unit: 'firms', baseline: 0, target: 10 },
  });
  const measurement = await t.api().post(`/api/v1/goals/${goal.id}/measurements`).send({ value: 3, measuredOn: '2026-01-15' });
  if (measurement.status !== 201) throw new Error(`measurement: ${measurement.status} ${JSON.stringify(measurement.body)}`);
  return {
    cluster: cluster.id,
    clusterName: cluster.name,
    funder: funderRes.body.id,
    funderName: funderRes.body.name,
    funding: fundingRes.body.id,
    goal: goal.id,
    longGoal: longGoal.id,
    activity: (await createActivity(t, cluster.id, { title: `${label} activity ${n}`, goalId: goal.id })).id,
    fruit: (await createFruit(t, cluster.id, { what: `${label} fruit ${n}` })).id,
    apiKey: (await t.key('viewer', { name: `${label} key ${n}` })).id,
  };
}

/** Which fixture a path parameter names: the resource segment before it (`/goals/{goalId}` → goal). */
const RESOURCE_OF_SEGMENT: Record<string, keyof Fixture> = {
  clusters: 'cluster',
  goals: 'goal',
  activities: 'activity',
  'low-hanging-fruits': 'fruit',
  funders: 'funder',
  fundings: 'funding',
  'api-keys': 'apiKey',
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
  return { status: res.status, headers: res.headers as Record<string, string>, text, body: parsed };
}
