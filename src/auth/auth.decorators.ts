import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ProblemResponse } from '../common/api-responses.js';
import { type Resource, resourceLabel } from './access.js';
import type { Caller, Role } from './role.js';

export const AUTH_METADATA = 'styrman:auth';

export type AuthRequirement =
  | { kind: 'public' }
  /**
   * Any valid key of one of `roles` (all roles when empty); `optional` lets a
   * request without a key through as anonymous. A key of another role gets 403,
   * or 404 when it may not even read the resource the path parameter names.
   */
  | { kind: 'key'; roles: readonly Role[]; optional?: boolean; resource?: { kind: Resource; param: string } }
  /** An admin key, or `Authorization: Bearer <METRICS_TOKEN>` when that is set (a scraper needs no API key). */
  | { kind: 'metrics' };

/**
 * The path parameter naming the resource a route acts on, and its kind: a
 * caller whose role may not call the route but who cannot read the resource
 * either gets 404, as on a read, rather than 403.
 */
export type ResourceParam = [param: string, kind: Resource];

export type AuthOptions =
  /** The roles that may call the route; any other key gets 403 (404 if it may not read `resource`). */
  | { roles: readonly Role[]; resource?: ResourceParam; write?: never }
  /**
   * A write to a cluster's plan: open to admin keys and to editor keys of that
   * cluster (which the service checks), 403 for read-only keys (viewer,
   * funder) that may read the resource, 404 for those that may not.
   */
  | { write: true; resource: ResourceParam; roles?: never };

/** Who may write a cluster's plan. */
const PLAN_WRITERS: readonly Role[] = ['admin', 'editor'];

function rolesText(roles: readonly Role[]): string {
  return roles.length === 1 ? `${roles[0]} keys` : `${roles.slice(0, -1).join(', ')} and ${roles[roles.length - 1]} keys`;
}

/**
 * Requires an API key and carries the route's role rule: the guard enforces
 * it (403 for other roles; 404 instead when the caller may not read the
 * resource either), and the OpenAPI document states it (the security
 * requirement, 401, and with roles 403 and `x-roles`: who may call the route), so the
 * document and the guard cannot disagree. `@Auth()` is any key: the service
 * filters what it reads to what the caller may see.
 *
 * `@Auth('admin')` is short for `@Auth({ roles: ['admin'] })`.
 */
export function Auth(...args: Role[] | [AuthOptions]): MethodDecorator & ClassDecorator {
  const options: AuthOptions = typeof args[0] === 'object' ? args[0] : { roles: args as Role[] };
  const roles = options.write ? PLAN_WRITERS : options.roles;
  const resource = options.resource ? { param: options.resource[0], kind: options.resource[1] } : undefined;
  const decorators = [
    SetMetadata(AUTH_METADATA, { kind: 'key', roles, resource } satisfies AuthRequirement),
    ApiBearerAuth('bearer'),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse(ProblemResponse('The API key is missing, unknown or revoked.')),
  ];
  // Who may call the route; without roles, any key may, and sees what it may read.
  if (roles.length > 0) decorators.push(ApiExtension('x-roles', [...roles]));
  if (options.write) {
    decorators.push(ApiForbiddenResponse(ProblemResponse('The key may read this but not change it (a viewer or funder key).')));
  } else if (roles.length > 0) {
    const unreadable = resource ? `; a key that may not read the ${resourceLabel(resource.kind)} gets 404` : '';
    decorators.push(ApiForbiddenResponse(ProblemResponse(`Only ${rolesText(roles)} may call this${unreadable}.`)));
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
/** For an admin key or the METRICS_TOKEN (`GET /metrics`). */
export function MetricsAccess(): MethodDecorator & ClassDecorator {
  return SetMetadata(AUTH_METADATA, { kind: 'metrics' } satisfies AuthRequirement);
}

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
