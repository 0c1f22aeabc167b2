import { type CanActivate, type ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/domain-error.js';
import { validationProblem } from '../common/validation.js';
import { isUUID as isUuid } from 'class-validator';
import { createHash, timingSafeEqual } from 'node:crypto';
import { resourceLabel } from './access.js';
import { AUTH_METADATA, type AuthRequirement } from './auth.decorators.js';
import { Environment } from '../config/environment.js';
import { AuthService } from './auth.service.js';
import { RateLimiter } from './rate-limiter.js';
import { withArticle } from '../common/text.js';

const UNAUTHORIZED = 'A valid API key is required: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>".';
/** What Swagger UI sends when "Bearer sty_…" is pasted into its bearer field, which adds "Bearer " itself. */
const DOUBLED_BEARER = /^\s*Bearer\s+Bearer\s/i;
const DOUBLED =
  'The Authorization header says "Bearer Bearer <key>": the word "Bearer" came twice. ' +
  'In Swagger UI\'s Authorize dialog, paste the key without the word "Bearer" (it adds "Bearer " itself); ' +
  'elsewhere send "Authorization: Bearer <key>".';

/** Reads the API key from `Authorization: Bearer` or `X-API-Key`. */
export function extractKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header.trim() : undefined;
}

/** Compares two secrets in time that does not depend on where they differ. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function tooManyRequests(reply: FastifyReply, retryAfter: number, detail: string): DomainError {
  void reply.header('retry-after', retryAfter);
  return new DomainError('too-many-requests', HttpStatus.TOO_MANY_REQUESTS, `${detail} Retry after ${retryAfter} s.`);
}

/**
 * The one guard: every route needs a key unless marked @Public(). A missing,
 * unknown or revoked key gets the same 401; a key whose role the route does
 * not allow gets 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly perKey: RateLimiter;
  private readonly failuresPerIp: RateLimiter;
  /** Requests in progress now, per key (none listed: none). */
  private readonly inFlight = new Map<string, number>();
  private readonly maxInFlight: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    env: Environment,
  ) {
    this.perKey = new RateLimiter(env.RATE_LIMIT_PER_MINUTE);
    this.failuresPerIp = new RateLimiter(env.AUTH_FAILURES_PER_MINUTE);
    this.metricsToken = env.METRICS_TOKEN;
    this.maxInFlight = env.MAX_IN_FLIGHT_PER_KEY;
  }

  private readonly metricsToken: string | undefined;

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<AuthRequirement | undefined>(AUTH_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]) ?? { kind: 'key', roles: ['admin'] }; // an undecorated route is admin-only, never open
    if (requirement.kind === 'public') return true;
    if (requirement.kind === 'metrics') {
      const given = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
      if (this.metricsToken && typeof given === 'string' && sameSecret(given.replace(/^\s*Bearer\s+/i, '').trim(), this.metricsToken)) {
        return true;
      }
      return this.checkKey(context, { kind: 'key', roles: ['admin'] });
    }
    return this.checkKey(context, requirement);
  }

  private async checkKey(context: ExecutionContext, requirement: Extract<AuthRequirement, { kind: 'key' }>): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const secret = extractKey(request);
    if (!secret && requirement.optional) return true;
    const caller = secret && secret.length <= 200 ? await this.auth.resolve(secret) : undefined;
    if (!caller) {
      // Only failures count, per address: one that keeps failing gets 429 instead of 401 for the rest of the
      // window. The key is checked first, so a valid key from the same address (another user behind the same
      // proxy) is never refused for others' failures; guessing a 256-bit key is hopeless either way.
      const failures = this.failuresPerIp.hit(request.ip);
      if (!failures.allowed) {
        throw tooManyRequests(reply, failures.resetSeconds, 'Too many requests without a valid API key from this address.');
      }
      void reply.header('www-authenticate', 'Bearer realm="styrman"');
      const doubled = DOUBLED_BEARER.test(request.headers.authorization ?? '');
      throw new DomainError('unauthorized', HttpStatus.UNAUTHORIZED, doubled ? DOUBLED : UNAUTHORIZED);
    }
    request.caller = caller;
    const quota = this.perKey.hit(caller.keyId);
    if (this.perKey.limit > 0) {
      void reply
        .header('ratelimit-limit', this.perKey.limit)
        .header('ratelimit-remaining', quota.remaining)
        .header('ratelimit-reset', quota.resetSeconds);
    }
    if (!quota.allowed) throw tooManyRequests(reply, quota.resetSeconds, `This key may make ${this.perKey.limit} requests a minute.`);
    this.enter(caller.keyId, request, reply);
    if (requirement.roles.length > 0 && !requirement.roles.includes(caller.role)) {
      const resource = requirement.resource;
      if (resource) {
        const id = (request.params as Record<string, string | undefined>)[resource.param] ?? '';
        // A malformed id is the 400 the route's parameter pipe would give; an unreadable resource the 404 a read would.
        if (!isUuid(id)) throw validationProblem([{ field: resource.param, message: `${resource.param} must be a UUID` }]);
        if (!(await this.auth.mayRead(caller, resource.kind, id))) throw DomainError.notFound(`The ${resourceLabel(resource.kind)}`);
      }
      throw DomainError.forbidden(
        `This operation is for ${requirement.roles.join(' or ')} keys; this key is ${withArticle(`${caller.role} key`)}.`,
      );
    }
    return true;
  }

  /**
   * Counts the request as in progress for its key until its response is written or its client is gone (the
   * response's `close` covers both); one more than MAX_IN_FLIGHT_PER_KEY is a 429. A rate per minute does not
   * bound this: slow requests (long-polls, reports) pile up within a minute's budget.
   */
  private enter(keyId: string, request: FastifyRequest, reply: FastifyReply): void {
    if (request.raw.socket?.destroyed || reply.raw.writableFinished) return; // already gone: nothing to count
    const now = this.inFlight.get(keyId) ?? 0;
    if (now >= this.maxInFlight) {
      throw tooManyRequests(reply, 1, `This key has ${now} requests in progress, the most it may have at once (MAX_IN_FLIGHT_PER_KEY).`);
    }
    this.inFlight.set(keyId, now + 1);
    reply.raw.once('close', () => {
      const left = (this.inFlight.get(keyId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(keyId, left);
      else this.inFlight.delete(keyId);
    });
  }
}
