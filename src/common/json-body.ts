import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { parse as secureJsonParse } from 'secure-json-parse';
import { DomainError } from './domain-error.js';

/** Objects and arrays inside one another, the outermost counting as 1. Anything deeper is refused. */
export const MAX_JSON_DEPTH = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function malformed(detail: string, field: string, message: string): DomainError {
  return new DomainError('malformed-json', HttpStatus.BAD_REQUEST, detail, [{ field, message }]);
}

/** The `charset` parameter of a Content-Type header, lower-cased and unquoted; undefined without one. */
export function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  for (const parameter of contentType.split(';').slice(1)) {
    const eq = parameter.indexOf('=');
    if (eq < 0 || parameter.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    let value = parameter.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    return value.toLowerCase();
  }
  return undefined;
}

const join = (path: string, segment: string | number) => (path ? `${path}.${segment}` : String(segment));

/**
 * Walks a parsed document without recursion: refuses nesting deeper than
 * MAX_JSON_DEPTH (class-transformer and class-validator recurse and would
 * overflow the stack) and strings or keys holding a lone UTF-16 surrogate
 * (a `\ud800` escape, which no UTF-8 text can carry).
 */
export function checkJsonDocument(document: unknown): void {
  if (typeof document === 'string') {
    if (!document.isWellFormed())
      throw malformed('The body holds a lone surrogate escape: text must be valid Unicode.', 'body', 'must be valid Unicode');
    return;
  }
  if (document === null || typeof document !== 'object') return;
  const pending: { value: object; depth: number; path: string }[] = [{ value: document, depth: 1, path: '' }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth, path } = next;
    if (depth > MAX_JSON_DEPTH) {
      // The top-level field (the full path of a depth bomb is as long as the bomb); the body itself when it is an array.
      const field = Array.isArray(document) ? 'body' : path.split('.')[0];
      throw new DomainError('validation', HttpStatus.BAD_REQUEST, `The body is nested deeper than ${MAX_JSON_DEPTH} levels.`, [
        { field, message: `must not nest objects and arrays more than ${MAX_JSON_DEPTH} levels deep` },
      ]);
    }
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [key, child] of entries) {
      if (typeof key === 'string' && !key.isWellFormed()) {
        throw malformed(
          'A property name holds a lone surrogate escape: text must be valid Unicode.',
          path || 'body',
          'property names must be valid Unicode',
        );
      }
      const childPath = join(path, key);
      if (typeof child === 'string') {
        if (!child.isWellFormed())
          throw malformed('A text holds a lone surrogate escape: text must be valid Unicode.', childPath, 'must be valid Unicode');
      } else if (child !== null && typeof child === 'object') {
        pending.push({ value: child, depth: depth + 1, path: childPath });
      }
    }
  }
}

/**
 * A JSON body as Styrman accepts it: UTF-8 (the only charset JSON may be sent
 * in, RFC 8259), well-formed, without prototype-poisoning keys (as Fastify's
 * own parser), no deeper than MAX_JSON_DEPTH and without lone surrogates.
 */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) throw malformed('The body is empty but Content-Type says JSON.', 'body', 'must be a JSON document');
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw malformed('The body is not valid UTF-8.', 'body', 'must be UTF-8 encoded');
  }
  let document: unknown;
  try {
    document = secureJsonParse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw malformed('The body is not valid JSON.', 'body', error instanceof Error ? error.message : 'must be a JSON document');
  }
  checkJsonDocument(document);
  return document;
}

/** Replaces Fastify's JSON parser with parseJsonBody, refusing (415) a charset other than UTF-8. */
export function useJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8') {
      done(
        new DomainError(
          'unsupported-media-type',
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          `Send JSON as UTF-8; charset=${charset} is not accepted.`,
          [{ field: 'header.Content-Type', message: 'charset must be utf-8' }],
        ),
        undefined,
      );
      return;
    }
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
