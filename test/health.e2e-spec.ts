import { getDataSourceToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Writable } from 'node:stream';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { validateEnvironment } from '../src/config/environment.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createTestDatabase, dropTestDatabase } from './support/database.js';
import { expectProblem } from './support/problem.js';
import { TcpProxy } from './support/tcp-proxy.js';

describe('health', () => {
  let t: TestApp;
  const logged: { level: number; msg?: string; url?: string; status?: number; context?: string }[] = [];
  beforeAll(async () => {
    t = await startTestApp(
      { LOG_LEVEL: 'info' },
      {
        logDestination: new Writable({
          write(chunk: Buffer, _encoding, callback) {
            for (const line of chunk.toString().split('\n').filter(Boolean)) logged.push(JSON.parse(line));
            callback();
          },
        }),
      },
    );
  });
  afterAll(() => t.close());

  it('is live and ready while the database answers', async () => {
    expect((await t.api(null).get('/health')).body).toEqual({ status: 'ok' });
    const ready = await t.api(null).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
  });

  it('is not ready (503) when the database refuses connections, and API requests get a 503 at once', async () => {
    // Forbid new connections to the test database and end the open ones: the database is "down" for this app.
    const name = new URL(t.databaseUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: process.env.STYRMAN_TEST_SERVER_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);

      expect((await t.api(null).get('/health')).status).toBe(200);
      const down = expectProblem(await t.api(null).get('/health/ready'), 503);
      expect(down.detail).toMatch(/^The database is not available/); // plain words, not "Service Unavailable Exception"
      const started = Date.now();
      const res = await t.api().get('/api/v1/clusters');
      expect([503]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(Date.now() - started).toBeLessThan(1000); // a refusal is answered at once, without waiting for the timeout

      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      const back = await t.api(null).get('/health/ready');
      expect(back.status).toBe(200);

      // In the log: the 503s at warn, the 200 at info.
      const ready = logged.filter((l) => l.msg === 'request' && l.url === '/health/ready');
      expect(ready.filter((l) => l.status === 503).map((l) => l.level)).toEqual([40]);
      expect(ready.filter((l) => l.status === 200).every((l) => l.level === 30)).toBe(true);
      // Route mapping was logged below info: not one "Mapped" line at this level.
      expect(logged.filter((l) => /Mapped \{/.test(l.msg ?? '')).length).toBe(0);
      expect(logged.some((l) => l.context === 'NestFactory')).toBe(true);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  });

  it('answers 503 after the 2 s connection timeout when the database host stops answering, and recovers without a restart', async () => {
    const databaseUrl = await createTestDatabase();
    const target = new URL(databaseUrl);
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port) });
    const adminKey = `sty_test_admin_${randomBytes(16).toString('hex')}`;
    const app = await createApp(
      validateEnvironment({ LOG_LEVEL: 'silent', DATABASE_URL: proxy.url(databaseUrl), ADMIN_API_KEY: adminKey, DEMO_DATA: 'false' }),
    );
    const pool = (app.get<DataSource>(getDataSourceToken()).driver as unknown as { master: pg.Pool }).master;
    const server = app.getHttpServer();
    const timed = async (test: request.Test) => {
      const started = Date.now();
      const res = await test;
      return { res, ms: Date.now() - started };
    };
    try {
      expect((await request(server).get('/api/v1/clusters').set('Authorization', `Bearer ${adminKey}`)).status).toBe(200);
      proxy.goAway();
      // The pool notices its connections were dropped: every request now needs a new one.
      for (let i = 0; pool.totalCount > 0; i++) {
        if (i > 200) throw new Error('the pool kept its dropped connections');
        await new Promise((r) => setTimeout(r, 10));
      }

      const api = await timed(request(server).get('/api/v1/clusters').set('Authorization', `Bearer ${adminKey}`));
      expectProblem(api.res, 503);
      // connectionTimeoutMillis is 2000: not at once (it did wait for the database), and long before the 35 s
      // query timeout (the upper bound leaves room for a loaded machine, not for another timeout).
      expect(api.ms).toBeGreaterThanOrEqual(1950);
      expect(api.ms).toBeLessThan(6000);

      const ready = await timed(request(server).get('/health/ready'));
      expectProblem(ready.res, 503);
      // The readiness ping gives up after 1.5 s.
      expect(ready.ms).toBeGreaterThanOrEqual(1450);
      expect(ready.ms).toBeLessThan(5500);
      expect((await request(server).get('/health')).status).toBe(200);

      proxy.comeBack();
      expect((await request(server).get('/health/ready')).status).toBe(200);
      expect((await request(server).get('/api/v1/clusters').set('Authorization', `Bearer ${adminKey}`)).status).toBe(200);
    } finally {
      proxy.comeBack();
      await app.close();
      await proxy.close();
      await dropTestDatabase(databaseUrl);
    }
  });
});
