import { createServer, type Server } from 'node:http';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { Receiver } from './support/receiver.js';

const HANGING = 40;

/** An endpoint that reads each request and never answers; it counts the requests open per path. */
class BlackHole {
  private server?: Server;
  readonly open = new Map<string, number>();
  most = 0;
  received = 0;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = req.url ?? '';
      this.received += 1;
      const n = (this.open.get(path) ?? 0) + 1;
      this.open.set(path, n);
      this.most = Math.max(this.most, n);
      res.on('close', () => this.open.set(path, (this.open.get(path) ?? 1) - 1));
      req.resume();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  url(i: number): string {
    return `http://127.0.0.1:${this.port}/hole/${i}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Fair use of the webhook worker: webhooks of one key to an endpoint that never answers take two slots each,
 * and another key's webhook to a healthy endpoint is delivered within 5 s of its event whatever they do.
 */
describe('webhook delivery is fair', () => {
  let t: TestApp;
  let hole: BlackHole;
  let receiver: Receiver;
  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_PER_MINUTE: '0',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_WORKER: 'true',
      WEBHOOK_POLL_MS: '200',
      WEBHOOK_TIMEOUT_MS: '10000',
      WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s',
      WEBHOOK_MAX_PER_KEY: String(HANGING),
    });
    hole = await new BlackHole().start();
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await t.close();
    await hole.close();
    await receiver.close();
  });

  it('a key may have WEBHOOK_MAX_PER_KEY webhooks; the next POST is a 409, a deleted one frees its place', async () => {
    const key = (await t.key('viewer')).secret;
    const made: string[] = [];
    for (let i = 0; i < HANGING; i++) {
      made.push((await t.api(key).post('/api/v1/webhooks').send({ url: receiver.url }).expect(201)).body.id);
    }
    expectProblem(await t.api(key).post('/api/v1/webhooks').send({ url: receiver.url }), 409);
    expect((await t.api(key).get('/api/v1/webhooks?limit=200').expect(200)).body.total).toBe(HANGING);
    await t.api(key).delete(`/api/v1/webhooks/${made[0]}`).expect(204);
    made.push((await t.api(key).post('/api/v1/webhooks').send({ url: receiver.url }).expect(201)).body.id);
    // Another key has places of its own.
    await t
      .api((await t.key('viewer')).secret)
      .post('/api/v1/webhooks')
      .send({ url: receiver.url, types: ['cluster.archived'] })
      .expect(201);
    for (const id of made.slice(1)) await t.api(key).delete(`/api/v1/webhooks/${id}`).expect(204);
  });

  it('webhooks to an endpoint that never answers hold 2 deliveries each; a healthy one gets its event within 5 s', async () => {
    const flooded = await createCluster(t);
    const quiet = await createCluster(t);
    const flooder = (await t.key('viewer')).secret;
    for (let i = 0; i < HANGING; i++) {
      await t
        .api(flooder)
        .post('/api/v1/webhooks')
        .send({ url: hole.url(i), clusterIds: [flooded.id] })
        .expect(201);
    }
    const other = (await t.key('viewer')).secret;
    await t
      .api(other)
      .post('/api/v1/webhooks')
      .send({ url: receiver.url, clusterIds: [quiet.id] })
      .expect(201);
    // Five events for each hanging webhook: 200 deliveries, every one of them to an endpoint that never answers.
    for (let i = 0; i < 5; i++) await createGoal(t, flooded.id);
    await receiver.waitFor(() => hole.received >= 2 * HANGING, 10_000);

    const before = receiver.received.length;
    const goal = await createGoal(t, quiet.id);
    const written = Date.now();
    await receiver.waitFor(() => receiver.received.length > before, 5000);
    expect(receiver.received[before].at - written).toBeLessThan(5000);
    expect(receiver.events()[before]).toMatchObject({ type: 'goal.created', subject: { id: goal.id } });
    // Never more than 2 requests of one webhook open at once.
    expect(hole.most).toBe(2);
    expect([...hole.open.values()].every((n) => n <= 2)).toBe(true);
  });
});
