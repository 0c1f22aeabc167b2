import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';

/** Lists answer with an ETag of the page and honour If-None-Match; keyed answers are private to the key. */
describe('list ETags and cache headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  it('a list page has an ETag; If-None-Match with it is a 304 until the page changes', async () => {
    const cluster = await createCluster(t);
    await createGoal(t, cluster.id);
    const url = `/api/v1/clusters/${cluster.id}/goals`;
    const first = await t.api().get(url).expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect((await t.api().get(url).expect(200)).headers.etag).toBe(etag); // the same page, the same tag
    const unchanged = await t.api().get(url).set('If-None-Match', etag).expect(304);
    expect(unchanged.text).toBe('');
    await createGoal(t, cluster.id);
    const changed = await t.api().get(url).set('If-None-Match', etag).expect(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body.items).toHaveLength(2);
    // Another page of the same list has a tag of its own.
    expect((await t.api().get(`${url}?limit=1`).expect(200)).headers.etag).not.toBe(changed.headers.etag);
    // The events feed too.
    const events = await t.api().get('/api/v1/events?limit=5').expect(200);
    await t.api().get('/api/v1/events?limit=5').set('If-None-Match', events.headers.etag).expect(304);
  });

  it('keyed answers are Cache-Control: private and vary by the key headers; a handler’s own Cache-Control stays', async () => {
    const cluster = await createCluster(t, { publicBadge: true });
    for (const res of [
      await t.api().get('/api/v1/clusters').expect(200),
      await t.api().get(`/api/v1/clusters/${cluster.id}`).expect(200),
      await t.api().get('/api/v1/clusters/not-a-uuid').expect(400),
      await t.api(null).get('/api/v1/clusters').set('X-API-Key', t.adminKey).expect(200),
    ]) {
      expect(res.headers['cache-control']).toBe('private');
      expect(res.headers.vary).toMatch(/Authorization, X-API-Key/);
    }
    const badge = await t.api().get(`/api/v1/clusters/${cluster.id}/badge.svg`).expect(200);
    expect(badge.headers['cache-control']).toBe('private, max-age=60');
    expect(badge.headers.vary).toMatch(/X-API-Key/);
    // Without a key: nothing is added.
    const open = await t.api(null).get(`/api/v1/clusters/${cluster.id}/badge.svg`).expect(200);
    expect(open.headers['cache-control']).toBe('public, max-age=60');
    expect(open.headers.vary ?? '').not.toMatch(/X-API-Key/);
  });
});
