import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hash } from 'node:crypto';
import { validationProblem } from './validation.js';

/** The strong ETag of a versioned resource. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The longest `If-Match` or `If-None-Match` accepted. */
export const CONDITION_MAX_LENGTH = 200;
/** `If-Match`: `*`, or versions as strong (or weak, which never match) entity tags. */
export const IF_MATCH_PATTERN = String.raw`^(\*|(W/)?"\d{1,9}"(\s*,\s*(W/)?"\d{1,9}")*)$`;
/** `If-None-Match`: `*`, or entity tags (RFC 9110 §8.8.3: visible ASCII but the double quote). */
export const IF_NONE_MATCH_PATTERN = String.raw`^(\*|(W/)?"[\x21\x23-\x7e]*"(\s*,\s*(W/)?"[\x21\x23-\x7e]*")*)$`;
const IF_NONE_MATCH = new RegExp(IF_NONE_MATCH_PATTERN);

/**
 * `If-None-Match` as sent, checked like `If-Match`: a malformed or over-long one is a 400 naming it, never silently
 * a condition that cannot match.
 */
export function checkIfNoneMatch(header: string | string[] | undefined): void {
  if (header === undefined) return;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.length > CONDITION_MAX_LENGTH || !IF_NONE_MATCH.test(value.trim())) {
    throw validationProblem([
      { field: 'header.If-None-Match', message: `must be entity tags such as "3" or *, at most ${CONDITION_MAX_LENGTH} characters` },
    ]);
  }
}

/**
 * Parses `If-Match` into the versions it names: `undefined` when absent or `*`
 * (any version will do). Weak tags never match (RFC 9110 §13.1.1).
 */
export function parseIfMatch(header: string | undefined): number[] | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  if (header.length > CONDITION_MAX_LENGTH) {
    throw validationProblem([{ field: 'header.If-Match', message: `must be at most ${CONDITION_MAX_LENGTH} characters` }]);
  }
  const tags = header
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const versions = tags.map((tag) => {
    const match = /^"(\d{1,9})"$/.exec(tag);
    if (match) return Number(match[1]);
    if (/^W\/"\d{1,9}"$/.test(tag)) return -1;
    throw validationProblem([{ field: 'header.If-Match', message: 'must be an ETag such as "3" or *' }]);
  });
  if (versions.length === 0) {
    throw validationProblem([{ field: 'header.If-Match', message: 'must be an ETag such as "3" or *' }]);
  }
  return versions;
}

/** The versions named by `If-Match`, or undefined when the request does not condition on one. */
export const IfMatch = createParamDecorator((_: unknown, ctx: ExecutionContext): number[] | undefined => {
  const header = ctx.switchToHttp().getRequest<FastifyRequest>().headers['if-match'];
  return parseIfMatch(Array.isArray(header) ? header.join(',') : header);
});

type PreSerializationDone = (error: Error | null, payload?: unknown) => void;

export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  checkIfNoneMatch(header);
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A strong ETag of a representation without a version: a digest of its bytes. */
export function digestETag(body: string): string {
  return `"${hash('sha256', body, 'base64url').slice(0, 27)}"`;
}

/** A page of a list (`{ items: [...] , ... }`), as every list and the events feed answer. */
function isPage(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Array.isArray((body as { items?: unknown }).items);
}

/** The Fastify route option (`config`) that `@WithETag()` sets and the hook reads. */
const WITH_ETAG = 'styrmanETag';

/**
 * Marks a route whose answer carries an ETag: `"<version>"` for a versioned
 * resource, a digest of the content for a page of a list; a GET or HEAD whose
 * `If-None-Match` names the current one is answered 304.
 */
export const WithETag = (): MethodDecorator => RouteConfig({ [WITH_ETAG]: true });

/**
 * Serves the routes marked `@WithETag()`, as a Fastify hook on the handler's answer before it is serialised (no
 * interceptor around the handler, so a read passes through none): a 2xx versioned resource gets
 * `ETag: "<version>"`, a 2xx page of a list read by GET or HEAD an ETag of the page's JSON, which is then the very
 * text sent (serialised once); a GET or HEAD whose `If-None-Match` names the current one is answered 304 without a
 * body. Other routes and answers (problem details among them) pass through untouched, whatever their body holds. A
 * malformed `If-None-Match` is thrown, and answered as problem details by the application's error handler.
 */
export function useETags(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (request: FastifyRequest, reply: FastifyReply, body: unknown, done: PreSerializationDone) => {
    const config = request.routeOptions.config as unknown as Record<string, unknown> | undefined;
    if (config?.[WITH_ETAG] !== true || reply.statusCode < 200 || reply.statusCode >= 300) return done(null, body);
    const version = (body as { version?: unknown } | null)?.version;
    const isRead = request.method === 'GET' || request.method === 'HEAD';
    let json: string | undefined;
    let etag: string;
    if (typeof version === 'number') etag = etagOf(version);
    else if (isRead && isPage(body) && !reply.hasHeader('etag')) {
      json = JSON.stringify(body);
      etag = digestETag(json);
    } else return done(null, body);
    void reply.header('etag', etag);
    if (isRead) {
      const ifNoneMatch = request.headers['if-none-match'];
      let notModified: boolean;
      try {
        notModified = matchesIfNoneMatch(ifNoneMatch, etag);
      } catch (error) {
        return done(error as Error);
      }
      if (notModified) {
        // As an empty answer would go: no body, no Content-Type, no Content-Length.
        void reply
          .code(304)
          .removeHeader('content-type')
          .serializer((() => null) as never);
        return done(null, body);
      }
    }
    if (json !== undefined) {
      const text = json;
      void reply.serializer(() => text);
    }
    done(null, body);
  });
}

/** Sets a content-derived ETag on a representation without a version (lists, dashboards) and answers 304. */
export function conditionalGet(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  void reply.header('etag', etag);
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
    void reply.code(304);
    return true;
  }
  return false;
}
