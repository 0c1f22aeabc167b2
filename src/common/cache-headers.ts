import type { FastifyInstance } from 'fastify';

/**
 * Answers to a request that carries an API key depend on the key: shared
 * caches must not keep them (`Cache-Control: private`, unless the handler
 * chose its own, such as a kept report's `max-age`), and caches that do
 * must key them by the credentials (`Vary: Authorization, X-API-Key`).
 */
export function useKeyedCacheHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (request.headers.authorization === undefined && request.headers['x-api-key'] === undefined) return payload;
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'private');
    const vary = reply.getHeader('vary');
    const present = (typeof vary === 'string' ? vary : Array.isArray(vary) ? vary.join(',') : '').toLowerCase();
    const missing = ['Authorization', 'X-API-Key'].filter((h) => !present.split(',').some((v) => v.trim() === h.toLowerCase()));
    if (missing.length > 0) void reply.header('vary', present ? `${String(vary)}, ${missing.join(', ')}` : missing.join(', '));
    return payload;
  });
}
