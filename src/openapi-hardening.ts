import type { OpenAPIObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

type Schema = Record<string, unknown>;
type Operation = { security?: unknown[]; parameters?: unknown[]; responses: Record<string, Record<string, unknown>> };

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } };
const ref = (kind: 'headers' | 'responses' | 'parameters', name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** Headers every answer to a request with a valid key carries. */
const HEADERS = {
  'RateLimit-Limit': {
    description: 'Requests this key may make a minute.',
    schema: { type: 'integer', format: 'int32', maximum: 1_000_000 },
  },
  'RateLimit-Remaining': { description: 'Requests left in this minute.', schema: { type: 'integer', format: 'int32', maximum: 1_000_000 } },
  'RateLimit-Reset': { description: 'Seconds until the minute is over.', schema: { type: 'integer', format: 'int32', maximum: 60 } },
  'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', format: 'int32', maximum: 3600 } },
};
const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': ref('headers', 'RateLimit-Limit'),
  'RateLimit-Remaining': ref('headers', 'RateLimit-Remaining'),
  'RateLimit-Reset': ref('headers', 'RateLimit-Reset'),
};

/** Answers some or all operations can give, whatever they do: written once, referenced by each. */
const RESPONSES: Record<string, { status: string; description: string; headers?: Record<string, unknown> }> = {
  BadParameter: { status: '400', description: 'A parameter is malformed (an id that is not a UUID, say).', headers: RATE_LIMIT_HEADERS },
  TooManyRequests: {
    status: '429',
    description:
      'Too many requests from this key: in a minute, in progress at once (MAX_IN_FLIGHT_PER_KEY), or held at once (`GET /events?wait=`: EVENTS_MAX_WAITERS_PER_KEY); or failed attempts from this address.',
    headers: { ...RATE_LIMIT_HEADERS, 'Retry-After': ref('headers', 'Retry-After') },
  },
  InternalError: { status: '500', description: 'A bug on our side; quote the correlationId when you report it.' },
  HeadersTooLarge: {
    status: '431',
    description: 'The request line and headers together are over 64 KB (every query this document allows fits).',
  },
  IdempotencyInProgress: {
    status: '409',
    description: 'A request with this Idempotency-Key is still being processed.',
    headers: RATE_LIMIT_HEADERS,
  },
  IdempotencyKeyReused: { status: '422', description: 'This Idempotency-Key was used with another request.', headers: RATE_LIMIT_HEADERS },
};

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Any unique string (a UUID, say) to make a retry safe: the first response is stored for 24 hours and replayed to retries ' +
    'with the same key and body; another body with the same key is a 422. A response that carries a secret ' +
    '(a new API key) is not stored: its retry answers 409 naming what the first request created.',
  schema: { type: 'string', maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
};

/** The longest a string of each format can be; free text is capped at the longest text Styrman accepts. */
function maxLengthFor(format: unknown): number {
  switch (format) {
    case 'uuid':
      return 36;
    case 'date':
      return 10;
    case 'date-time':
      return 32;
    case 'uri':
      return 2048;
    default:
      return 100_000;
  }
}

/** Bounds every string, array and integer that has none, wherever it stands in the document. */
function bound(node: unknown, components: Record<string, Schema>): void {
  if (Array.isArray(node)) {
    node.forEach((n) => bound(n, components));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Schema;
  if (schema.type === 'string' && schema.maxLength === undefined && schema.enum === undefined && schema.const === undefined) {
    schema.maxLength = maxLengthFor(schema.format);
  }
  if (schema.type === 'array' && schema.maxItems === undefined) schema.maxItems = 1000;
  if (schema.type === 'integer') {
    schema.format ??= 'int32';
    schema.minimum ??= 0;
    schema.maximum ??= 2_147_483_647;
  }
  // A nullable reference: the generator writes { nullable, allOf: [$ref] }, which a strict OpenAPI 3.0 validator reads as
  // not nullable (null fails the referenced schema). Say it as "the reference, or null" instead.
  if (schema.nullable === true && Array.isArray(schema.allOf) && schema.allOf.length === 1) {
    const ref = (schema.allOf[0] as Schema).$ref;
    const target = typeof ref === 'string' ? components[ref.split('/').pop()!] : undefined;
    if (target?.type) {
      delete schema.nullable;
      delete schema.type;
      schema.anyOf = [schema.allOf[0], { type: target.type, nullable: true, enum: [null] }];
      delete schema.allOf;
    }
  }
  for (const value of Object.values(schema)) bound(value, components);
}

/** The component schemas a schema refers to, directly or through others. */
function referenced(node: unknown, components: Record<string, Schema>, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => referenced(n, components, found));
  else if (typeof node === 'object' && node !== null) {
    const ref = (node as Schema).$ref;
    if (typeof ref === 'string') {
      const name = ref.split('/').pop()!;
      if (!found.has(name)) {
        found.add(name);
        referenced(components[name], components, found);
      }
    }
    for (const value of Object.values(node)) referenced(value, components, found);
  }
  return found;
}

/**
 * Request bodies are closed: the validation refuses a field it does not know (400 naming it), so every object
 * schema a request body uses says `additionalProperties: false`. Schemas that answers use too are left open (an
 * answer may gain fields), and a request body must not share one with them.
 */
function closeRequestBodies(
  paths: Record<string, Record<string, Operation & { requestBody?: unknown }>>,
  components: Record<string, Schema>,
): void {
  const requests = new Set<string>();
  const responses = new Set<string>();
  for (const item of Object.values(paths))
    for (const operation of Object.values(item)) {
      referenced(operation.requestBody, components, requests);
      referenced(operation.responses, components, responses);
    }
  for (const name of requests) {
    const schema = components[name];
    if (schema?.type !== 'object' || !schema.properties) continue;
    if (responses.has(name)) throw new Error(`${name} is used by a request body and an answer: give the request a class of its own`);
    schema.additionalProperties = false;
  }
}

/** An example of each problem status, so that a 401 or a 500 does not show the example of a 400. */
const PROBLEM_EXAMPLES: Record<string, Record<string, unknown>> = {
  '400': {
    detail: 'The request has 1 invalid field: name.',
    errors: [{ field: 'name', message: 'name must not be blank (nor only invisible characters)' }],
  },
  '401': { detail: 'A valid API key is required: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>".' },
  '403': { detail: 'This operation is for admin or editor keys; this key is a viewer key.' },
  '404': { detail: 'The cluster was not found.' },
  '409': { detail: 'The cluster is archived; everything in it is read-only.' },
  '412': {
    detail: 'If-Match does not name the current version ("4"): someone changed it since you read it. Fetch it again and retry.',
  },
  '413': { detail: 'The request body is larger than this service accepts.' },
  '415': {
    detail: 'Send the request body as application/json.',
    errors: [{ field: 'header.Content-Type', message: 'must be application/json' }],
  },
  '422': {
    detail: 'A red status needs a comment that says why, for whoever reads the history later.',
    errors: [{ field: 'comment', message: 'A red status needs a comment that says why, for whoever reads the history later.' }],
  },
  '429': { detail: 'This key may make 1200 requests a minute. Retry after 17 s.' },
  '431': { detail: 'The request line or headers are too large.' },
  '500': {
    detail: 'Something went wrong on our side. Quote the correlation id when you report it.',
    correlationId: '5f0c2a8e-3b1d-4d8e-9a47-2c6b1e0f7d3a',
  },
  '503': { detail: 'The database is not available; retry shortly.' },
};

const PROBLEM_TYPES: Record<string, string> = {
  '400': 'validation',
  '401': 'unauthorized',
  '403': 'forbidden',
  '404': 'not-found',
  '409': 'conflict',
  '412': 'precondition-failed',
  '413': 'payload-too-large',
  '415': 'unsupported-media-type',
  '422': 'unprocessable',
  '429': 'too-many-requests',
  '431': 'headers-too-large',
  '500': 'internal',
  '503': 'service-unavailable',
};

function problemExample(status: string): Record<string, unknown> {
  const code = Number(status);
  return {
    type: `https://styrman.dev/problems/${PROBLEM_TYPES[status] ?? 'validation'}`,
    title: STATUS_CODES[code] ?? 'Error',
    status: code,
    ...(PROBLEM_EXAMPLES[status] ?? { detail: STATUS_CODES[code] ?? 'Error' }),
  };
}

/** The content with an example of the status on its problem+json, if that has none. */
function withExample(content: Record<string, Schema>, status: string): Record<string, Schema> {
  const problem = content['application/problem+json'];
  if (!problem || problem.example !== undefined) return content;
  return { ...content, 'application/problem+json': { ...problem, example: problemExample(status) } };
}

/**
 * Says where to get each UUID in a path that does not say it yet: the list the id comes from, found among the
 * document's own GET operations — for `/activities/{activityId}`, `GET /api/v1/clusters/{clusterId}/activities`
 * (a list within a cluster), else `GET /api/v1/activities`, else any other list that ends in `/activities`
 * (`/funders/{funderId}/fundings`). A new kind of item needs nothing here.
 */
function describePathIds(paths: Record<string, Record<string, Operation>>): void {
  const lists = Object.keys(paths).filter((p) => paths[p].get && !p.endsWith('}'));
  for (const [path, pathItem] of Object.entries(paths)) {
    for (const operation of Object.values(pathItem)) {
      for (const parameter of (operation.parameters ?? []) as Schema[]) {
        const schema = parameter.schema as Schema | undefined;
        if (parameter.in !== 'path' || parameter.description || schema?.format !== 'uuid') continue;
        const segments = path.split('/');
        const at = segments.indexOf(`{${String(parameter.name)}}`);
        if (at < 1) continue;
        const collection = segments[at - 1];
        const prefix = segments.slice(0, segments.indexOf(collection)).join('/');
        const from =
          [`${prefix}/clusters/{clusterId}/${collection}`, `${prefix}/${collection}`].find((p) => lists.includes(p)) ??
          lists.find((p) => p.endsWith(`/${collection}`));
        if (from) parameter.description = `A UUID: the \`id\` of an item from GET ${from}.`;
      }
    }
  }
}

/**
 * Adds what holds for every operation, written once in `components` and
 * referenced from each operation: 500 (a bug, with a correlation id); 400 for
 * a malformed parameter; for operations behind an API key the rate limit
 * (RateLimit-* headers on every 2xx and 4xx answer, 429 with Retry-After);
 * for POSTs behind a key the Idempotency-Key header and its 409 and 422. Role
 * rules (401, 403, who may call) come from each route's `@Auth`. Then gives
 * every problem answer an example of its own status, and bounds every string,
 * array and integer, so that clients and fuzzers know the limits.
 *
 * The bounds stay a rule over the whole document rather than annotations on
 * each DTO: they are one rule by format (a UUID is 36 characters, a date 10,
 * free text at most the longest text Styrman accepts), they hold for response
 * fields as much as for request fields (some 200 of them), and a field that
 * has a tighter bound of its own (`@MaxLength`, an enum) keeps it.
 */
export function hardenDocument(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {}) as Record<string, Record<string, unknown>>;
  components.headers = { ...HEADERS };
  components.parameters = { IdempotencyKey: IDEMPOTENCY_KEY };
  components.responses = Object.fromEntries(
    Object.entries(RESPONSES).map(([name, { status, description, headers }]) => [
      name,
      { description, ...(headers ? { headers } : {}), content: withExample(PROBLEM, status) },
    ]),
  );
  describePathIds(document.paths as Record<string, Record<string, Operation>>);
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(pathItem as Record<string, Operation>)) {
      const responses = operation.responses;
      const withKey = (operation.security?.length ?? 0) > 0;
      if (method === 'post' && withKey) {
        operation.parameters = [...(operation.parameters ?? []), ref('parameters', 'IdempotencyKey')];
        responses['409'] ??= ref('responses', 'IdempotencyInProgress');
        responses['422'] ??= ref('responses', 'IdempotencyKeyReused');
      }
      if (operation.parameters?.length) responses['400'] ??= ref('responses', 'BadParameter');
      responses['431'] ??= ref('responses', 'HeadersTooLarge');
      responses['500'] ??= ref('responses', 'InternalError');
      if (!withKey) {
        operation.security = []; // said explicitly: no key needed
        continue;
      }
      // Who may write is each route's own rule: a write behind a key that does not say it is a mistake in the code.
      if (method !== 'get' && !responses['403']) {
        throw new Error(
          `${method.toUpperCase()} ${path}: say who may make this write, with @Auth({ roles }) or @Auth({ write: true, resource })`,
        );
      }
      responses['429'] ??= ref('responses', 'TooManyRequests');
      for (const [status, response] of Object.entries(responses)) {
        if (/^[24]/.test(status) && response.$ref === undefined) {
          response.headers = { ...RATE_LIMIT_HEADERS, ...(response.headers as object | undefined) };
        }
      }
    }
  }
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem as Record<string, Operation>)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const content = response.content as Record<string, Schema> | undefined;
        // A copy: responses share their content objects.
        if (content) response.content = withExample(content, status);
      }
    }
  }
  // Every server is meant for the clients of this API.
  for (const server of document.servers ?? []) (server as unknown as Schema)['x-internal'] = false;
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  closeRequestBodies(document.paths as Record<string, Record<string, Operation>>, schemas);
  bound(document.paths, schemas);
  bound(document.components, schemas);
  return document;
}
