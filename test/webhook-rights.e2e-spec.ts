import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { Receiver } from './support/receiver.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every delivery attempt, retries included, checks that the webhook's key may still read the event's subject. */
describe('webhook deliveries and the rights of their key', () => {
  let t: TestApp;
  let receiver: Receiver;
  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_PER_MINUTE: '0',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_WORKER: 'true',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s',
    });
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  async function delivery(hookId: string, key: string, done: (d: Record<string, any>) => boolean): Promise<Record<string, any>> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [d] = (await t.api(key).get(`/api/v1/webhooks/${hookId}/deliveries`).expect(200)).body.items;
      if (d && done(d)) return d;
      if (Date.now() > deadline) throw new Error(`no such delivery: ${JSON.stringify(d)}`);
      await sleep(50);
    }
  }

  it("a funder key's failing delivery is skipped, never sent again, once the funding is archived", async () => {
    const cluster = await createCluster(t);
    const funder = (await t.api().post('/api/v1/funders').send({ name: 'Region Västra', kind: 'regional_council' }).expect(201)).body;
    const funding = (
      await t
        .api()
        .post(`/api/v1/funders/${funder.id}/fundings`)
        .send({ clusterId: cluster.id, programme: 'P', amount: 1000, startsOn: '2026-01-01', endsOn: '2026-12-31' })
        .expect(201)
    ).body;
    const key = (await t.key('funder', { funderId: funder.id })).secret;
    receiver.answer = (_r, _i, res) => {
      res.statusCode = 500;
      res.end();
    };
    const hook = (
      await t
        .api(key)
        .post('/api/v1/webhooks')
        .send({ url: receiver.url, types: ['goal.created'] })
        .expect(201)
    ).body;
    await createGoal(t, cluster.id);
    await receiver.waitFor(() => receiver.received.length >= 1);
    await t.api().delete(`/api/v1/fundings/${funding.id}`).expect(204);
    receiver.answer = (_r, _i, res) => {
      res.statusCode = 200;
      res.end();
    };

    // The retry a second later finds that the key may no longer read the goal.
    const skipped = await delivery(hook.id, key, (d) => d.state !== 'pending');
    expect(skipped).toMatchObject({ state: 'skipped', attempt: 1, nextAttemptAt: null, deliveredAt: null });
    expect(skipped.error).toMatch(/may no longer read/);
    // A retry by hand: skipped again, never sent.
    await t.api(key).post(`/api/v1/webhooks/${hook.id}/deliveries/${skipped.id}/retry`).expect(202);
    await delivery(hook.id, key, (d) => d.state === 'skipped');
    await sleep(300);
    expect(receiver.received).toHaveLength(1);
    expect((await t.api(key).get(`/api/v1/webhooks/${hook.id}/deliveries?state=skipped`).expect(200)).body.total).toBe(1);
  });
});
