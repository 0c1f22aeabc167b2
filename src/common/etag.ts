import {
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { map, type Observable } from 'rxjs';
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

export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  checkIfNoneMatch(header);
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/** A strong ETag of a representation without a version: a digest of its bytes. */
export function digestETag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** A page of a list (`{ items: [...] , ... }`), as every list and the events feed answer. */
function isPage(body: unknown): boolean {
  return typeof body === 'object' && body !== null && Array.isArray((body as { items?: unknown }).items);
}

const WITH_ETAG = 'styrman:with-etag';

/**
 * Marks a route whose answer carries an ETag: `"<version>"` for a versioned
 * resource, a digest of the content for a page of a list; a GET or HEAD whose
 * `If-None-Match` names the current one is answered 304.
 */
export const WithETag = (): MethodDecorator => SetMetadata(WITH_ETAG, true);

/**
 * Serves the routes marked `@WithETag()`: a versioned resource with
 * `ETag: "<version>"`, a page of a list with an ETag of the page's content;
 * answers a GET whose `If-None-Match` names the current one with 304. Other
 * routes pass through untouched, whatever their body holds.
 */
@Injectable()
export class ETagInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.reflector.get<boolean | undefined>(WITH_ETAG, context.getHandler())) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | null)?.version;
        const isRead = request.method === 'GET' || request.method === 'HEAD';
        if (typeof version !== 'number' && !(isRead && isPage(body) && !reply.hasHeader('etag'))) return body;
        const etag = typeof version === 'number' ? etagOf(version) : digestETag(JSON.stringify(body));
        void reply.header('etag', etag);
        const ifNoneMatch = request.headers['if-none-match'];
        if ((request.method === 'GET' || request.method === 'HEAD') && matchesIfNoneMatch(ifNoneMatch, etag)) {
          void reply.code(304);
          return undefined;
        }
        return body;
      }),
    );
  }
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
