import { WebhookWorker } from '../src/webhooks/webhook-worker.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';

const WEBHOOKS = 5;
const CLAIMERS = 8;

/**
 * The claim of due deliveries, as instances make it at the same moment: each claimer runs in a transaction of its
 * own on a connection of its own, exactly as two instances on one database would. No delivery may be taken twice,
 * and no webhook may get more than its two deliveries in flight, whoever claims.
 */
describe('claiming webhook deliveries at once', () => {
  let t: TestApp;
  let worker: WebhookWorker;
  beforeAll(async () => {
    // The worker does not run on its own here: the test makes the claims itself.
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_MAX_PER_KEY: '20', DB_POOL_SIZE: String(CLAIMERS + 2) });
    worker = t.app.get(WebhookWorker);
  });
  afterAll(() => t.close());

  it(`${CLAIMERS} claims at once take each due delivery once, at most 2 a webhook`, async () => {
    for (let round = 0; round < 3; round++) {
      const cluster = await createCluster(t);
      for (let i = 0; i < WEBHOOKS; i++) {
        expect(
          (
            await t
              .api()
              .post('/api/v1/webhooks')
              .send({ url: `http://127.0.0.1:9/hook/${round}/${i}`, clusterIds: [cluster.id] })
          ).status,
        ).toBe(201);
      }
      for (let i = 0; i < 6; i++) await createGoal(t, cluster.id);
      while (await worker.dispatch()) {
        // until the feed is passed
      }
      const claims = await Promise.all(Array.from({ length: CLAIMERS }, () => worker.claimDue(100)));
      const claimed = claims.flat();
      const ids = claimed.map((c) => c.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.length - new Set(ids).size).toBe(0); // none taken twice
      const perWebhook = new Map<string, number>();
      for (const c of claimed) perWebhook.set(c.webhook_id, (perWebhook.get(c.webhook_id) ?? 0) + 1);
      expect(Math.max(...perWebhook.values())).toBeLessThanOrEqual(2);
      // Let the leases go, so the next round starts from nothing in flight.
      await t.dataSource.query(`UPDATE webhook_delivery SET state = 'failed', locked_until = NULL WHERE state = 'pending'`);
    }
  });
});
