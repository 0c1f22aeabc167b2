import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';

/** What a client is told: replays of secret-bearing POSTs name the right resource; a revoked key's webhook refuses work. */
describe('webhook messages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(() => t.close());

  it('a replayed Idempotency-Key on POST /webhooks and POST /reports/links names the webhook or the link made', async () => {
    const hook = await t.api().post('/api/v1/webhooks').set('Idempotency-Key', 'hook-1').send({ url: 'http://127.0.0.1:9/h' }).expect(201);
    const again = await t.api().post('/api/v1/webhooks').set('Idempotency-Key', 'hook-1').send({ url: 'http://127.0.0.1:9/h' });
    expectProblem(again, 409, 'header.Idempotency-Key');
    expect(again.body.detail).toContain(`created webhook ${hook.body.id}`);
    expect(again.body.detail).toContain('POST /webhooks/{id}/secret');
    expect(again.body.detail).not.toMatch(/API key/);

    const renewed = await t.api().post(`/api/v1/webhooks/${hook.body.id}/secret`).set('Idempotency-Key', 'secret-1').expect(200);
    const renewedAgain = await t.api().post(`/api/v1/webhooks/${hook.body.id}/secret`).set('Idempotency-Key', 'secret-1');
    expectProblem(renewedAgain, 409, 'header.Idempotency-Key');
    expect(renewedAgain.body.detail).toContain(`made a new secret for webhook ${renewed.body.id}`);

    const cluster = await createCluster(t);
    const path = `/api/v1/clusters/${cluster.id}/report?period=2026`;
    const link = await t.api().post('/api/v1/reports/links').set('Idempotency-Key', 'link-1').send({ path }).expect(201);
    const linkAgain = await t.api().post('/api/v1/reports/links').set('Idempotency-Key', 'link-1').send({ path });
    expectProblem(linkAgain, 409, 'header.Idempotency-Key');
    expect(linkAgain.body.detail).toContain(`created report link ${link.body.id}`);
    expect(linkAgain.body.detail).not.toMatch(/API key/);

    const key = await t.api().post('/api/v1/api-keys').set('Idempotency-Key', 'key-1').send({ name: 'k', role: 'viewer' }).expect(201);
    const keyAgain = await t.api().post('/api/v1/api-keys').set('Idempotency-Key', 'key-1').send({ name: 'k', role: 'viewer' });
    expect(keyAgain.body.detail).toContain(`created API key ${key.body.id}`);
  });

  it("an admin's retry or ping of a revoked key's webhook is a 409, and queues nothing", async () => {
    const key = await t.key('viewer');
    const hook = (await t.api(key.secret).post('/api/v1/webhooks').send({ url: 'http://127.0.0.1:9/h' }).expect(201)).body;
    const ping = (await t.api(key.secret).post(`/api/v1/webhooks/${hook.id}/ping`).expect(202)).body;
    await t.api().delete(`/api/v1/api-keys/${key.id}`).expect(204);

    const refused = await t.api().post(`/api/v1/webhooks/${hook.id}/ping`);
    expectProblem(refused, 409);
    expect(refused.body.detail).toMatch(/API key is revoked/);
    expectProblem(await t.api().post(`/api/v1/webhooks/${hook.id}/deliveries/${ping.id}/retry`), 409);
    const log = (await t.api().get(`/api/v1/webhooks/${hook.id}/deliveries`).expect(200)).body;
    expect(log.total).toBe(1);
  });
});
