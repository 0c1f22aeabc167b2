import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from './support/database.js';
import { Instance } from './support/instance.js';
import { Receiver } from './support/receiver.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CLIENTS = 4;
const WRITES_PER_CLIENT = 15;

/**
 * A failover drill: three instances on one database (each a process, each a
 * webhook worker), clients writing with Idempotency-Keys through them in turn
 * as a load balancer would, and one instance killed (SIGKILL) mid-load. A
 * client whose request fails (connection refused or reset, 409 while the first
 * attempt's transaction is still being rolled back) retries the same key on
 * the next instance.
 */
describe('failover drill: one of three instances killed mid-load', () => {
  let databaseUrl: string;
  let receiver: Receiver;
  const instances: Instance[] = [];
  const adminKey = `sty_failover_${randomBytes(16).toString('hex')}`;
  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.kill()));
    await receiver.close();
    await dropTestDatabase(databaseUrl);
  });

  it('loses no acknowledged write, makes none twice, and dispatches every webhook event once', async () => {
    for (let i = 0; i < 3; i++) instances.push(await new Instance(databaseUrl, adminKey).start());
    const cluster = await instances[0].created('/clusters', { name: 'Failover', region: 'R', phase: 'initiation' });
    await instances[0].created('/webhooks', { url: receiver.url, types: ['goal.created'] });

    const acknowledged = new Map<string, string>();
    let turn = 0;
    let failedAttempts = 0;
    const write = async (key: string): Promise<string> => {
      for (let attempt = 0; attempt < 40; attempt++) {
        const target = instances[turn++ % instances.length];
        try {
          const res = await target.api(
            'POST',
            `/clusters/${cluster.id}/goals`,
            { title: `Goal ${key}`, horizon: 'long_term' },
            { 'Idempotency-Key': key },
          );
          if (res.status === 201) return res.body.id as string;
        } catch {
          // Refused or reset: the instance is gone; the next one takes the retry.
        }
        failedAttempts++;
        await sleep(25);
      }
      throw new Error(`${key} was never acknowledged`);
    };
    let killedAt = -1;
    const victim = instances[1];
    const load = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < WRITES_PER_CLIENT; i++) {
        const key = `client-${c}-write-${i}`;
        acknowledged.set(key, await write(key));
      }
    });
    const kill = (async () => {
      for (let i = 0; acknowledged.size < 20 && i < 2000; i++) await sleep(5);
      killedAt = acknowledged.size;
      await victim.kill();
    })();
    await Promise.all([...load, kill]);
    expect(killedAt).toBeGreaterThanOrEqual(20);
    expect(killedAt).toBeLessThan(CLIENTS * WRITES_PER_CLIENT);
    expect(failedAttempts).toBeGreaterThan(0); // some requests did meet the dead instance

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      // Every acknowledged write is there, once, with the id its client was given.
      const { rows: goals } = await db.query<{ id: string; title: string }>(`SELECT id, title FROM goal WHERE cluster_id = $1`, [
        cluster.id,
      ]);
      expect(goals).toHaveLength(CLIENTS * WRITES_PER_CLIENT);
      const byTitle = new Map(goals.map((g) => [g.title, g.id]));
      for (const [key, id] of acknowledged) expect(byTitle.get(`Goal ${key}`)).toBe(id);

      // Every event is dispatched once (one delivery row), and reaches the receiver.
      const { rows: dispatched } = await db.query<{ n: number; once: boolean }>(
        `SELECT count(*)::int AS n, count(*) = count(DISTINCT event_id) AS once FROM webhook_delivery`,
      );
      expect(dispatched[0]).toEqual({ n: goals.length, once: true });
      await receiver.waitFor(() => new Set(receiver.events().map((e) => e.subject.id)).size === goals.length, 20_000);
      // A request received twice under one webhook-id is a delivery the killed instance had sent but not recorded:
      // the retry carries a higher attempt, never the same one twice.
      const times = new Map<string, number>();
      for (const r of receiver.received)
        times.set(r.headers['webhook-id'] as string, (times.get(r.headers['webhook-id'] as string) ?? 0) + 1);
      const { rows: attempts } = await db.query<{ event_id: string; attempt: number }>(`SELECT event_id, attempt FROM webhook_delivery`);
      for (const a of attempts) expect(a.attempt).toBeGreaterThanOrEqual(times.get(a.event_id) ?? 0);
    } finally {
      await db.end();
    }
  }, 120_000);
});
