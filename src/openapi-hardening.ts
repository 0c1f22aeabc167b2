import type { OpenAPIObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

type Schema = Record<string, unknown>;
type Operation = { security?: unknown[]; parameters?: unknown[]; responses: Record<string, Record<string, unknown>> };

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } };
const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': {
    description: 'Requests this key may make a minute.',
    schema: { type: 'integer', format: 'int32', maximum: 1_000_000 },
  },
  'RateLimit-Remaining': { description: 'Requests left in this minute.', schema: { type: 'integer', format: 'int32', maximum: 1_000_000 } },
  'RateLimit-Reset': { description: 'Seconds until the minute is over.', schema: { type: 'integer', format: 'int32', maximum: 60 } },
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

/** `period` and `from` / `to` are two ways to give a report's period: one or the other. */
const PERIOD_EXCLUSIVE = ' Give either `period`, or `from` and `to`: never both (400).';

/**
 * Documents what holds for every operation, in one place rather than on each
 * route: 500 (a bug, with a correlation id), and for operations behind an API
 * key the rate limit (RateLimit-* headers, 429 with Retry-After). Then bounds
 * every string, array and integer, so that clients and fuzzers know the limits.
 */
export function hardenDocument(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(pathItem as Record<string, Operation>)) {
      const responses = operation.responses;
      if (method === 'post' && operation.security?.length) {
        operation.parameters = [
          ...(operation.parameters ?? []),
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'Any unique string (a UUID, say) to make a retry safe: the first response is stored for 24 hours and replayed to retries ' +
              'with the same key and body; another body with the same key is a 422. A response that carries a secret ' +
              '(a new API key) is not stored: its retry answers 409 naming what the first request created.',
            schema: { type: 'string', maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
          },
        ];
        responses['409'] ??= { description: 'A request with this Idempotency-Key is still being processed.', content: PROBLEM };
        responses['422'] ??= { description: 'This Idempotency-Key was used with another request.', content: PROBLEM };
      }
      if (operation.parameters?.length) {
        responses['400'] ??= { description: 'A parameter is malformed (an id that is not a UUID, say).', content: PROBLEM };
      }
      responses['500'] ??= { description: 'A bug on our side; quote the correlationId when you report it.', content: PROBLEM };
      if (!operation.security || operation.security.length === 0) {
        operation.security = []; // said explicitly: no key needed
        continue;
      }
      if (method !== 'get') {
        responses['403'] ??= { description: 'The key may read this but not change it (a viewer or funder key, say).', content: PROBLEM };
      }
      responses['429'] ??= {
        description: 'Too many requests from this key (or failed attempts from this address).',
        headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', format: 'int32', maximum: 3600 } } },
        content: PROBLEM,
      };
      for (const [status, response] of Object.entries(responses)) {
        if (/^[24]/.test(status)) response.headers = { ...RATE_LIMIT_HEADERS, ...(response.headers as object | undefined) };
      }
    }
  }
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem as Record<string, Operation>)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const content = response.content as Record<string, Schema> | undefined;
        const problem = content?.['application/problem+json'];
        // A copy: responses share their content objects.
        if (problem && problem.example === undefined) {
          response.content = { ...content, 'application/problem+json': { ...problem, example: problemExample(status) } };
        }
      }
      const parameters = (operation.parameters ?? []) as { name?: string; in?: string; description?: string }[];
      const names = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));
      if (names.has('period') && names.has('from') && names.has('to')) {
        for (const p of parameters) {
          if (p.in === 'query' && ['period', 'from', 'to'].includes(p.name ?? '') && !p.description?.includes(PERIOD_EXCLUSIVE)) {
            p.description = `${p.description ?? ''}${PERIOD_EXCLUSIVE}`.trim();
          }
        }
      }
    }
  }
  // Every server is meant for the clients of this API.
  for (const server of document.servers ?? []) (server as unknown as Schema)['x-internal'] = false;
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  bound(document.paths, schemas);
  bound(document.components, schemas);
  return document;
}
