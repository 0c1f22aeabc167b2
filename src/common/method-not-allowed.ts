import type { FastifyInstance } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem-details.js';

interface Route {
  pattern: RegExp;
  methods: Set<string>;
}

/** `/api/v1/goals/:goalId` as a pattern for the paths it serves; null for wildcard routes (static files). */
function patternOf(url: string): RegExp | null {
  if (url.includes('*')) return null;
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * A method a path does not have is 405 with `Allow` naming those it has (RFC 9110 §15.5.6), not a 404 that says the
 * path does not exist. Routes are collected as they are registered (call before the application's routes are), and
 * only a request that matched no route (the 404 handler's) is looked at, so a matched request pays nothing.
 */
export function useMethodNotAllowed(fastify: FastifyInstance): void {
  const routes = new Map<string, Route>();
  fastify.addHook('onRoute', (options) => {
    const pattern = patternOf(options.url);
    if (!pattern) return;
    const route = routes.get(options.url) ?? { pattern, methods: new Set<string>() };
    for (const method of [options.method].flat()) route.methods.add(method.toUpperCase());
    routes.set(options.url, route);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.url !== undefined) return done();
    const path = request.url.split('?')[0];
    const allowed = new Set<string>();
    for (const route of routes.values()) if (route.pattern.test(path)) route.methods.forEach((m) => allowed.add(m));
    if (allowed.size === 0 || allowed.has(request.method)) return done();
    const allow = [...allowed].sort().join(', ');
    void reply
      .code(405)
      .header('allow', allow)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send({
        type: problemType('method-not-allowed'),
        title: STATUS_CODES[405],
        status: 405,
        detail: `${request.method} is not a method of this path; it allows ${allow}.`,
      });
  });
}
