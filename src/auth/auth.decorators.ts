import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ProblemResponse } from '../common/api-responses.js';
import type { Caller, Role } from './role.js';

export const AUTH_METADATA = 'styrman:auth';

export type AuthRequirement =
  | { kind: 'public' }
  /** Any valid key; `optional` lets a request without a key through as anonymous. */
  | { kind: 'key'; roles: readonly Role[]; optional?: boolean };

/**
 * Requires an API key, of one of `roles` when given (any other role: 403),
 * and documents the security requirement in OpenAPI, so that the document and
 * the guard cannot disagree. Without roles, any key passes the guard and the
 * service decides per resource (404 when the caller may not read it, 403 when
 * it may read but not change it).
 */
export function Auth(...roles: Role[]): MethodDecorator & ClassDecorator {
  const decorators = [
    SetMetadata(AUTH_METADATA, { kind: 'key', roles } satisfies AuthRequirement),
    ApiBearerAuth('bearer'),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse(ProblemResponse('The API key is missing, unknown or revoked.')),
  ];
  if (roles.length > 0) {
    decorators.push(ApiForbiddenResponse(ProblemResponse(`Only these roles may call this: ${roles.join(', ')}.`)));
  }
  return applyDecorators(...decorators);
}

/** A key is read when sent, but not needed (public badges). */
export function OptionalAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(AUTH_METADATA, { kind: 'key', roles: [], optional: true } satisfies AuthRequirement),
    ApiBearerAuth('bearer'),
    ApiSecurity('api-key'),
    ApiSecurity({}),
  );
}

/** No key needed (health checks). */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(AUTH_METADATA, { kind: 'public' } satisfies AuthRequirement);
}

/** The caller the guard resolved from the API key. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<FastifyRequest>().caller;
  if (!caller) throw new Error('CurrentCaller used on a route without @Auth()');
  return caller;
});

/** The caller if a key was sent, for routes with @OptionalAuth(). */
export const OptionalCaller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Caller | undefined => ctx.switchToHttp().getRequest<FastifyRequest>().caller,
);

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}
