import pg from 'pg';
import { startTestApp, type TestApp } from './support/app.js';
import { expectProblem } from './support/problem.js';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'error' });
  });
  afterAll(() => t.close());

  it('is live and ready while the database answers', async () => {
    expect((await t.api(null).get('/health')).body).toEqual({ status: 'ok' });
    const ready = await t.api(null).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
  });

  it('is not ready (503) when the database goes away, and API requests get a quick 503, never a hang', async () => {
    // Forbid new connections to the test database and end the open ones: the database is "down" for this app.
    const name = new URL(t.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.STYRMAN_TEST_SERVER_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);

      expect((await t.api(null).get('/health')).status).toBe(200);
      expectProblem(await t.api(null).get('/health/ready'), 503);
      const started = Date.now();
      const res = await t.api().get('/api/v1/clusters');
      expect([503]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(Date.now() - started).toBeLessThan(5000);

      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      const back = await t.api(null).get('/health/ready');
      expect(back.status).toBe(200);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  });
});
