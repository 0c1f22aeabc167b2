import type { OpenAPIObject } from '@nestjs/swagger';

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
  // A nullable reference ({ nullable, allOf: [$ref] }) needs the type of what it refers to beside `nullable`.
  if (schema.nullable === true && schema.type === undefined && Array.isArray(schema.allOf) && schema.allOf.length === 1) {
    const ref = (schema.allOf[0] as Schema).$ref;
    const target = typeof ref === 'string' ? components[ref.split('/').pop()!] : undefined;
    if (target?.type) schema.type = target.type;
    if (Array.isArray(target?.enum)) schema.maxLength = Math.max(...target.enum.map((v) => String(v).length));
  }
  for (const value of Object.values(schema)) bound(value, components);
}

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
              'with the same key and body; another body with the same key is a 422.',
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
  // Every server is meant for the clients of this API.
  for (const server of document.servers ?? []) (server as unknown as Schema)['x-internal'] = false;
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  bound(document.paths, schemas);
  bound(document.components, schemas);
  return document;
}
