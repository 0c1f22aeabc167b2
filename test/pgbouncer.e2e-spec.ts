import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../src/app.factory.js';
import { validateEnvironment } from '../src/config/environment.js';
import { FeedSignal } from '../src/events/feed-signal.js';
import { TEST_WEBHOOK_SECRET_KEY } from './support/app.js';
import { createTestDatabase, dropTestDatabase } from './support/database.js';
import { PgBouncer } from './support/pgbouncer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Styrman behind a real PgBouncer in transaction mode (Debian's 1.18: no named
 * prepared statements, no session state kept between transactions). The
 * pooled DATABASE_URL serves every query; the feed's LISTEN needs a session of
 * its own and goes to DATABASE_DIRECT_URL. (The other suites that touch
 * sessions run through PgBouncer as a whole with `npm run test:pgbouncer`.)
 */
describe('through PgBouncer in transaction mode', () => {
  let bouncer: PgBouncer;
  let databaseUrl: string;
  let pooled: string;
  const apps: NestFastifyApplication[] = [];
  const adminKey = `sty_test_admin_${randomBytes(16).toString('hex')}`;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    bouncer = await PgBouncer.start(databaseUrl, { poolSize: 4 });
    pooled = bouncer.url(new URL(databaseUrl).pathname.slice(1));
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await bouncer.stop();
    await dropTestDatabase(databaseUrl);
  });

  const start = async (direct: string | undefined) => {
    const app = await createApp(
      validateEnvironment({
        LOG_LEVEL: 'silent',
        WEBHOOK_WORKER: 'false',
        WEBHOOK_SECRET_KEY: TEST_WEBHOOK_SECRET_KEY,
        SIGNING_KEY: '6f'.repeat(32),
        DATABASE_URL: pooled,
        DATABASE_DIRECT_URL: direct,
        ADMIN_API_KEY: adminKey,
        DEMO_DATA: 'false',
        RATE_LIMIT_PER_MINUTE: '0',
      }),
    );
    apps.push(app);
    return app;
  };

  /** Whether the instance's feed signal hears a commit's NOTIFY (no reader waits, so no periodic check runs). */
  const hearsCommits = async (app: NestFastifyApplication): Promise<boolean> => {
    const signal = app.get(FeedSignal);
    const before = signal.mark();
    const res = await request(app.getHttpServer())
      .post('/api/v1/clusters')
      .set('Authorization', `Bearer ${adminKey}`)
      .send({ name: `Kluster ${randomBytes(3).toString('hex')}`, region: 'Skåne', phase: 'initiation' });
    expect(res.status).toBe(201);
    for (let i = 0; i < 100 && signal.mark() === before; i++) await sleep(20);
    return signal.mark() !== before;
  };

  it('serves writes, reads and the feed through the pooler; the LISTEN connection goes to DATABASE_DIRECT_URL and hears commits', async () => {
    const app = await start(databaseUrl);
    const api = () => request(app.getHttpServer());
    const auth = { Authorization: `Bearer ${adminKey}` };
    // More concurrent requests than the pooler has server connections: transactions share them.
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api()
          .post('/api/v1/clusters')
          .set(auth)
          .set('Idempotency-Key', `k-${i}`)
          .send({ name: `Kluster ${i}`, region: 'Skåne', phase: 'initiation' }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(Array(12).fill(201));
    const replay = await api()
      .post('/api/v1/clusters')
      .set(auth)
      .set('Idempotency-Key', 'k-0')
      .send({ name: 'Kluster 0', region: 'Skåne', phase: 'initiation' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const feed = await api().get('/api/v1/events?limit=100').set(auth);
    expect(feed.status).toBe(200);
    expect(feed.body.items.filter((e: { type: string }) => e.type === 'cluster.created')).toHaveLength(12);
    expect(await hearsCommits(app)).toBe(true);

    // The LISTEN session is on the server itself, not on one of the pooler's connections.
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN styrman_revision'`,
      );
      expect(rows[0].n).toBeGreaterThanOrEqual(1);
    } finally {
      await admin.end();
    }
  });

  it('a LISTEN sent through the pooler hears nothing: without DATABASE_DIRECT_URL pointing past it, long-polls would wait for the periodic check', async () => {
    const app = await start(pooled);
    expect(await hearsCommits(app)).toBe(false);
  });
});
