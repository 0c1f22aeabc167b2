import Fastify from 'fastify';
import { useETags } from './etag.js';

/** A Fastify server with the ETag hook, a route marked as `@WithETag()` marks it and the same route unmarked. */
async function server(body: unknown, status = 200) {
  const fastify = Fastify();
  useETags(fastify);
  const handler = (_: unknown, reply: { code: (status: number) => void }) => {
    reply.code(status);
    return Promise.resolve(body);
  };
  fastify.get('/marked', { config: { styrmanETag: true } }, handler);
  fastify.post('/marked', { config: { styrmanETag: true } }, handler);
  fastify.get('/plain', handler);
  await fastify.ready();
  return fastify;
}

async function answer(body: unknown, url: string, headers: Record<string, string> = {}, method: 'GET' | 'POST' = 'GET', status = 200) {
  const fastify = await server(body, status);
  try {
    const res = await fastify.inject({ method, url, headers });
    return { status: res.statusCode, etag: res.headers.etag, body: res.body, type: res.headers['content-type'] };
  } finally {
    await fastify.close();
  }
}

describe('the ETag hook', () => {
  it('tags a versioned body and a page of a route marked @WithETag(), and answers a matching If-None-Match with 304', async () => {
    expect((await answer({ id: 'a', version: 3 }, '/marked')).etag).toBe('"3"');
    const page = await answer({ items: [1] }, '/marked');
    expect(page.etag).toMatch(/^"[\w-]{27}"$/);
    expect(page.body).toBe('{"items":[1]}');
    expect(await answer({ id: 'a', version: 3 }, '/marked', { 'if-none-match': '"3"' })).toEqual({
      status: 304,
      etag: '"3"',
      body: '',
      type: undefined,
    });
    expect((await answer({ items: [1] }, '/marked', { 'if-none-match': page.etag! })).status).toBe(304);
  });

  it('answers 200 with the body when If-None-Match names another tag; a write gets its ETag but never a 304', async () => {
    expect(await answer({ id: 'a', version: 3 }, '/marked', { 'if-none-match': '"2"' })).toMatchObject({ status: 200, etag: '"3"' });
    const written = await answer({ id: 'a', version: 3 }, '/marked', { 'if-none-match': '"3"' }, 'POST', 201);
    expect(written).toMatchObject({ status: 201, etag: '"3"', body: '{"id":"a","version":3}' });
    // A page answered to a write is not a representation to tag.
    expect((await answer({ items: [] }, '/marked', {}, 'POST')).etag).toBeUndefined();
  });

  it('leaves a route without @WithETag() and an answer that is not 2xx alone, whatever their body holds', async () => {
    expect(await answer({ id: 'a', version: 3 }, '/plain', { 'if-none-match': '"3"' })).toMatchObject({ status: 200, etag: undefined });
    expect((await answer({ items: [] }, '/plain')).etag).toBeUndefined();
    expect(await answer({ version: 3 }, '/marked', { 'if-none-match': '"3"' }, 'GET', 409)).toMatchObject({ status: 409, etag: undefined });
  });
});
