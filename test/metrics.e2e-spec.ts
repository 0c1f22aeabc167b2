import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Environment } from '../src/config/environment.js';
import { ReportLimiter } from '../src/reports/deliver/report-limiter.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';

const TOKEN = 'metrics-token-for-the-scraper';

/** The value of one series in a Prometheus text exposition (0 when absent). */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '0', WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(() => t.close());

  const scrape = () => t.api(null).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);

  it('is for an admin key or the METRICS_TOKEN: 401 without either, 403 for another role', async () => {
    const byToken = await scrape();
    expect(byToken.status).toBe(200);
    expect(byToken.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((await t.api().get('/metrics')).status).toBe(200);
    expectProblem(await t.api(null).get('/metrics'), 401);
    expectProblem(await t.api(null).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`), 401);
    const viewer = await t.key('viewer');
    expectProblem(await t.api(viewer.secret).get('/metrics'), 403);
    // Not under /api/v1, and not in the OpenAPI document.
    expect((await t.api().get('/api/v1/metrics')).status).toBe(404);
    const doc = (await t.api(null).get('/docs-json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.includes('metrics'))).toEqual([]);
  });

  it('counts requests by route pattern and status, with a duration histogram', async () => {
    const route = 'method="GET",route="/api/v1/clusters/:clusterId",status="404"';
    const before = (await scrape()).text;
    const id = randomUUID();
    for (let i = 0; i < 3; i++) expect((await t.api().get(`/api/v1/clusters/${id}`)).status).toBe(404);
    await t.api().get('/no/such/route');
    const after = (await scrape()).text;
    expect(value(after, `styrman_http_requests_total{${route}}`) - value(before, `styrman_http_requests_total{${route}}`)).toBe(3);
    expect(value(after, `styrman_http_request_duration_seconds_count{${route}}`)).toBe(
      value(after, `styrman_http_requests_total{${route}}`),
    );
    expect(after).toMatch(new RegExp(`styrman_http_request_duration_seconds_bucket\\{le="0.1",${route.replace(/[/:]/g, '\\$&')}\\}`));
    // The raw URL is never a label: not the id, not a route that does not exist.
    expect(after).not.toContain(id);
    expect(after).not.toContain('/no/such/route');
    expect(value(after, 'styrman_http_requests_total{method="GET",route="(unmatched)",status="404"}')).toBeGreaterThanOrEqual(1);
  });

  it('shows the database pool, the process memory, report builds and kept-report hits', async () => {
    const text = (await scrape()).text;
    expect(
      value(text, 'styrman_db_pool_connections{state="idle"}') + value(text, 'styrman_db_pool_connections{state="in_use"}'),
    ).toBeGreaterThan(0);
    expect(text).toMatch(/^styrman_db_pool_connections\{state="waiting"\} \d+$/m);
    expect(value(text, 'styrman_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);

    const cluster = await createCluster(t, { name: 'Metered' });
    const report = `/api/v1/clusters/${cluster.id}/report?period=2026-Q1`;
    const before = (await scrape()).text;
    expect((await t.api().get(report)).status).toBe(200);
    expect((await t.api().get(report)).status).toBe(200);
    expect((await t.api().get(report)).status).toBe(200);
    const after = (await scrape()).text;
    const moved = (series: string) => value(after, series) - value(before, series);
    expect(moved('styrman_report_builds_total{kind="kept"}')).toBe(1);
    expect(moved('styrman_kept_report_hits_total')).toBe(2);
  });

  it('shows the events waiters held', async () => {
    const next = (await t.api().get('/api/v1/events?limit=200')).body.next as string;
    const held = t.api().get(`/api/v1/events?after=${next}&wait=5`);
    const done = held.then((r) => r.status);
    let waiters = 0;
    for (let i = 0; i < 50 && waiters === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      waiters = value((await scrape()).text, 'styrman_events_waiters');
    }
    expect(waiters).toBe(1);
    await createCluster(t, { name: 'Wakes the waiter' });
    expect(await done).toBe(200);
    expect(value((await scrape()).text, 'styrman_events_waiters')).toBe(0);
  });

  it('shows the reports being built and those waiting for a slot', async () => {
    const limiter = t.app.get(ReportLimiter);
    const concurrency = t.app.get(Environment).REPORT_CONCURRENCY;
    const slots = async () => {
      const text = (await scrape()).text;
      return [value(text, 'styrman_report_slots{state="building"}'), value(text, 'styrman_report_slots{state="waiting"}')];
    };
    expect(await slots()).toEqual([0, 0]);
    // Every slot held and one more report asking, as in a burst of large reports.
    const releases: (() => void)[] = [];
    const held = Array.from({ length: concurrency + 1 }, () => limiter.run(() => new Promise<void>((resolve) => releases.push(resolve))));
    for (let i = 0; i < 100 && releases.length < concurrency; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await slots()).toEqual([concurrency, 1]);
    // Each freed slot goes to the one waiting, which is then let go too.
    for (let i = 0; i < 100 && releases.length > 0; i++) {
      releases.shift()!();
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(held);
    expect(await slots()).toEqual([0, 0]);
  });

  it('shows webhook deliveries by state and the age of the oldest pending one', async () => {
    const created = await t.api().post('/api/v1/webhooks').send({ url: 'http://127.0.0.1:9/hook' });
    expect(created.status).toBe(201);
    for (const [state, age] of [
      ['pending', '90 seconds'],
      ['pending', '5 seconds'],
      ['failed', '10 minutes'],
    ]) {
      await t.dataSource.query(
        `INSERT INTO webhook_delivery (webhook_id, event_id, event_type, payload, state, created_at)
         VALUES ($1, gen_random_uuid(), 'cluster.created', '{}', $2, clock_timestamp() - $3::interval)`,
        [created.body.id, state, age],
      );
    }
    const text = (await scrape()).text;
    expect(value(text, 'styrman_webhook_deliveries{state="pending"}')).toBe(2);
    expect(value(text, 'styrman_webhook_deliveries{state="failed"}')).toBe(1);
    const oldest = value(text, 'styrman_webhook_oldest_pending_delivery_seconds');
    expect(oldest).toBeGreaterThanOrEqual(90);
    expect(oldest).toBeLessThan(600);
  });

  it('shows emails of the outbox by state: every pending one, the others of the last hour', async () => {
    const zero = (await scrape()).text;
    for (const state of ['pending', 'sent', 'failed', 'skipped'])
      expect(zero).toMatch(new RegExp(`^styrman_emails\\{state="${state}"\\} \\d+$`, 'm'));
    // A subscription: its confirmation is pending (no worker runs here).
    const sub = await t
      .api()
      .post('/api/v1/subscriptions')
      .send({ email: 'metrics@example.org', language: 'en', topics: ['red_status'] });
    expect(sub.status).toBe(201);
    for (const [n, [state, age]] of [
      ['sent', '10 minutes'],
      ['sent', '50 minutes'],
      ['failed', '20 minutes'],
      ['skipped', '2 hours'],
      ['sent', '3 hours'],
      ['pending', '5 hours'],
    ].entries()) {
      await t.dataSource.query(
        `INSERT INTO email (subscription_id, topic, dedupe_key, subject, text, html, state, created_at)
         VALUES ($1, 'red_status', $2, 'Red', '', '', $3, clock_timestamp() - $4::interval)`,
        [sub.body.id, `metrics:${n}`, state, age],
      );
    }
    const text = (await scrape()).text;
    const moved = (state: string) => value(text, `styrman_emails{state="${state}"}`) - value(zero, `styrman_emails{state="${state}"}`);
    expect([moved('pending'), moved('sent'), moved('failed'), moved('skipped')]).toEqual([2, 2, 1, 0]);
  });
});

describe('GET /metrics without a METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('takes no bearer token but an admin key', async () => {
    expectProblem(await request(t.app.getHttpServer()).get('/metrics').set('Authorization', 'Bearer '), 401);
    expect((await t.api().get('/metrics')).status).toBe(200);
  });
});
