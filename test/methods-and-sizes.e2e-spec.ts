import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';

/** RFC 9110: a method a path does not have is a 405 naming those it has; a request too large for the server, a 431. */
describe('methods and sizes', () => {
  let t: TestApp;
  let base: string;
  let goal: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    goal = await createGoal(t, (await createCluster(t)).id);
  });
  afterAll(() => t.close());

  const send = (method: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${t.adminKey}`, ...headers } });

  it.each([
    ['PUT', '/api/v1/goals/{id}', 'DELETE, GET, HEAD, PATCH'],
    ['PATCH', '/api/v1/clusters', 'GET, HEAD, POST'],
    ['DELETE', '/api/v1/dashboard', 'GET, HEAD'],
    ['POST', '/health', 'GET, HEAD'],
  ])('%s %s: 405 with Allow: %s, as problem details', async (method, path, allow) => {
    const res = await send(method, path.replace('{id}', goal.id));
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe(allow);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 405, type: 'https://styrman.dev/problems/method-not-allowed' });
  });

  it('a path that does not exist is still a 404, whatever the method', async () => {
    expect((await send('PUT', '/api/v1/nothing-here')).status).toBe(404);
    expect((await send('GET', '/api/v1/nothing-here')).status).toBe(404);
  });

  it('serves the longest query the document allows (2000 four-byte characters in types: 24 KB encoded)', async () => {
    const types = encodeURIComponent('𝔸'.repeat(2000));
    expect(types.length).toBeGreaterThan(16 * 1024); // over Node's default header limit
    const res = await send('GET', `/api/v1/events?types=${types}`);
    expect(res.status).toBe(400); // read, and refused as an unknown type: not a 431
    expect(((await res.json()) as any).errors[0].field).toBe('types');
  });

  it('answers a request line over 64 KB with 431', async () => {
    const res = await send('GET', `/api/v1/clusters?q=${'a'.repeat(70 * 1024)}`);
    expect(res.status).toBe(431);
  });
});

describe('conditional headers', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t);
  });
  afterAll(() => t.close());

  it('If-Match and If-None-Match alike: entity tags up to 200 characters, else a 400 naming the header', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `"${i}"`).join(', ');
    expect(long.length).toBeGreaterThan(200);
    for (const [header, value] of [
      ['If-None-Match', long],
      ['If-None-Match', 'not-a-tag'],
    ]) {
      const res = await t.api().get(`/api/v1/clusters/${cluster.id}`).set(header, value);
      expect([res.status, res.body.errors?.[0]?.field]).toEqual([400, `header.${header}`]);
    }
    for (const value of [long, 'not-a-tag']) {
      const res = await t.api().patch(`/api/v1/clusters/${cluster.id}`).set('If-Match', value).send({ region: 'Skåne' });
      expect([res.status, res.body.errors?.[0]?.field]).toEqual([400, 'header.If-Match']);
    }
    const etag = (await t.api().get(`/api/v1/clusters/${cluster.id}`)).headers.etag;
    expect((await t.api().get(`/api/v1/clusters/${cluster.id}`).set('If-None-Match', `W/"x", ${etag}`)).status).toBe(304);
  });
});
