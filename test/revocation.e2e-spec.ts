import { createApp } from '../src/app.factory.js';
import { createHash } from 'node:crypto';
import { AuthService, KEY_CACHE_TTL_MS } from '../src/auth/auth.service.js';
import { validateEnvironment } from '../src/config/environment.js';
import request from 'supertest';
import { startTestApp, type TestApp } from './support/app.js';

/** Two instances on one database: a key revoked on one stops working on the other within the cache's few seconds. */
describe('revocation across instances', () => {
  let first: TestApp;
  let second: Awaited<ReturnType<typeof createApp>>;
  beforeAll(async () => {
    first = await startTestApp();
    second = await createApp(
      validateEnvironment({ LOG_LEVEL: 'silent', DATABASE_URL: first.databaseUrl, DEMO_DATA: 'false', ADMIN_API_KEY: first.adminKey }),
    );
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('takes effect at once where it was revoked and within seconds everywhere else', async () => {
    const viewer = await first.key('viewer');
    const onSecond = () => request(second.getHttpServer()).get('/api/v1/clusters').set('Authorization', `Bearer ${viewer.secret}`);
    expect((await onSecond()).status).toBe(200); // now cached on the second instance
    // Cached under the secret's SHA-256, never the secret itself.
    const auth: unknown = second.get(AuthService);
    const cached = [...(auth as { cache: Map<string, unknown> }).cache.keys()];
    expect(cached).toContain(createHash('sha256').update(viewer.secret).digest('base64'));
    expect(cached.some((k) => k.includes(viewer.secret))).toBe(false);
    expect((await first.api().delete(`/api/v1/api-keys/${viewer.id}`)).status).toBe(204);
    expect((await first.api(viewer.secret).get('/api/v1/clusters')).status).toBe(401);
    await new Promise((r) => setTimeout(r, KEY_CACHE_TTL_MS + 200));
    expect((await onSecond()).status).toBe(401);
  });
});
