import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';

describe('errors are problem details', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: String(64 * 1024) });
  });
  afterAll(() => t.close());

  const countClusters = async () => Number((await t.dataSource.query('SELECT count(*)::int AS n FROM cluster'))[0].n);

  it('malformed JSON: 400 naming the body, nothing written', async () => {
    const before = await countClusters();
    const res = await t.api().post('/api/v1/clusters').set('Content-Type', 'application/json').send('{"name": "Findit",');
    const body = expectProblem(res, 400, 'body');
    expect(body.type).toContain('malformed-json');
    expect(await countClusters()).toBe(before);
  });

  it('a body that is not JSON: 415', async () => {
    const res = await t.api().post('/api/v1/clusters').set('Content-Type', 'text/plain').send('name=Findit');
    expectProblem(res, 415, 'header.Content-Type');
    const form = await t.api().post('/api/v1/clusters').type('form').send({ name: 'Findit', region: 'X', phase: 'initiation' });
    expectProblem(form, 415);
  });

  it('a body over the limit: 413', async () => {
    const res = await t
      .api()
      .post('/api/v1/clusters')
      .send({ name: 'Big', region: 'X', phase: 'initiation', vision: 'x'.repeat(100 * 1024) });
    expectProblem(res, 413);
    expect(await t.dataSource.query(`SELECT 1 FROM cluster WHERE name = 'Big'`)).toHaveLength(0);
  });

  it('an unknown route: 404', async () => {
    expectProblem(await t.api().get('/api/v1/nothing-here'), 404);
    expectProblem(await t.api(null).get('/nothing-here'), 404);
  });

  it('wrong types, unknown fields, bad enums and long strings: 400 naming each field', async () => {
    const res = await t
      .api()
      .post('/api/v1/clusters')
      .send({ name: 42, region: 'r'.repeat(201), phase: 'growth', publicBadge: 'yes', colour: 'red' });
    const body = expectProblem(res, 400);
    const fields = (body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['colour', 'name', 'phase', 'publicBadge', 'region']);
  });

  it('blank names, NUL characters and nested objects where strings belong: 400', async () => {
    expectProblem(await t.api().post('/api/v1/clusters').send({ name: '   ', region: 'X', phase: 'initiation' }), 400, 'name');
    expectProblem(await t.api().post('/api/v1/clusters').send({ name: 'A\u0000B', region: 'X', phase: 'initiation' }), 400, 'name');
    expectProblem(
      await t
        .api()
        .post('/api/v1/clusters')
        .send({ name: { a: 1 }, region: 'X', phase: 'initiation' }),
      400,
      'name',
    );
    expectProblem(
      await t
        .api()
        .post('/api/v1/clusters')
        .send([{ name: 'A', region: 'X', phase: 'initiation' }]),
      400,
    );
    expectProblem(await t.api().post('/api/v1/clusters').send({ name: null, region: 'X', phase: 'initiation' }), 400, 'name');
  });

  it('a bad UUID in the path: 400 naming the parameter', async () => {
    expectProblem(await t.api().get('/api/v1/clusters/not-a-uuid'), 400, 'clusterId');
  });

  it('an unknown UUID: 404', async () => {
    expectProblem(await t.api().get('/api/v1/clusters/7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b'), 404);
  });

  it('limit and offset out of range, unknown query parameters: 400', async () => {
    expectProblem(await t.api().get('/api/v1/clusters?limit=0'), 400, 'limit');
    expectProblem(await t.api().get('/api/v1/clusters?limit=201'), 400, 'limit');
    expectProblem(await t.api().get('/api/v1/clusters?limit=ten'), 400, 'limit');
    expectProblem(await t.api().get('/api/v1/clusters?offset=-1'), 400, 'offset');
    expectProblem(await t.api().get('/api/v1/clusters?sort=colour'), 400, 'sort');
    expectProblem(await t.api().get('/api/v1/clusters?colour=red'), 400, 'colour');
  });

  it('a unique violation from PostgreSQL: 409 naming the field', async () => {
    await createCluster(t, { name: 'Smart Textiles' });
    const res = await t.api().post('/api/v1/clusters').send({ name: 'smart textiles', region: 'Västra Götaland', phase: 'formation' });
    expectProblem(res, 409, 'name');
  });

  it('a malformed If-Match: 400 naming the header', async () => {
    const cluster = await createCluster(t);
    const res = await t.api().patch(`/api/v1/clusters/${cluster.id}`).set('If-Match', 'three').send({ region: 'X' });
    expectProblem(res, 400, 'header.If-Match');
  });

  it('answers with a request id, and takes a sane one from the caller', async () => {
    const res = await t.api().get('/api/v1/clusters').set('X-Request-Id', 'dashboard-42');
    expect(res.headers['x-request-id']).toBe('dashboard-42');
    const generated = await t.api().get('/api/v1/clusters').set('X-Request-Id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers', async () => {
    const res = await t.api(null).get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // The directives app.factory.ts sets (Swagger UI needs inline scripts and styles), on helmet's defaults.
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';" +
        "img-src 'self' data:;object-src 'none';script-src 'self' 'unsafe-inline';script-src-attr 'none';" +
        "style-src 'self' 'unsafe-inline';upgrade-insecure-requests",
    );
  });
});
