import { randomBytes } from 'node:crypto';
import pg from 'pg';
import standardwebhooks from 'standardwebhooks';
import { createTestDatabase, dropTestDatabase } from './support/database.js';
import { Instance } from './support/instance.js';
import { Receiver } from './support/receiver.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function onDatabase<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Waits (bounded) until no delivery is pending or claimed: the workers have nothing left to send. */
async function untilSettled(databaseUrl: string, timeoutMs = 15_000): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const deadline = Date.now() + timeoutMs; ; await sleep(50)) {
      const { rows } = await client.query<{ open: string }>(
        `SELECT count(*) AS open FROM webhook_delivery WHERE state = 'pending' OR locked_until > clock_timestamp()`,
      );
      if (rows[0].open === '0') return;
      if (Date.now() > deadline) throw new Error(`${rows[0].open} deliveries still open after ${timeoutMs} ms`);
    }
  } finally {
    await client.end();
  }
}

/** Every event id of the feed that is a goal.created, following next. */
async function goalEvents(instance: Instance, expected: number): Promise<string[]> {
  // The feed is gap-free: it shows an event only once no transaction that began before it can still commit, so a
  // dispatch transaction running on another instance can hold the newest events back for a moment. Read it again until
  // every write that was answered shows (bounded in time; the assertion after it says what was missing).
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ids: string[] = [];
    let next = '';
    for (;;) {
      const page = await instance.api('GET', `/events?limit=200&types=goal.created${next ? `&after=${next}` : ''}`);
      ids.push(...(page.body.items as { id: string }[]).map((e) => e.id));
      next = page.body.next;
      if (page.body.items.length === 0) break;
    }
    if (ids.length >= expected || Date.now() > deadline) return ids;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Webhook delivery across crashes and instances: each event reaches the receiver at least once, none is lost. */
describe('webhook delivery by service instances', () => {
  let databaseUrl: string;
  let receiver: Receiver;
  const adminKey = `sty_instances_${randomBytes(16).toString('hex')}`;
  const instances: Instance[] = [];
  beforeEach(async () => {
    databaseUrl = await createTestDatabase();
    receiver = await new Receiver().start();
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((i) => i.kill()));
    await receiver.close();
    await dropTestDatabase(databaseUrl);
  });
  const instance = async () => {
    const i = await new Instance(databaseUrl, adminKey).start();
    instances.push(i);
    return i;
  };

  it('killing the service mid-delivery and starting it again still delivers, with the same webhook-id', async () => {
    const first = await instance();
    const cluster = await first.created('/clusters', { name: 'Crash', region: 'R', phase: 'initiation' });
    const hook = await first.created('/webhooks', { url: receiver.url, types: ['goal.created'] });
    // The first delivery hangs: the instance is killed while it waits for the answer.
    receiver.answer = (_r, i, res) => {
      if (i === 0) return;
      res.statusCode = 200;
      res.end();
    };
    const goals: string[] = [];
    for (let i = 0; i < 5; i++)
      goals.push((await first.created(`/clusters/${cluster.id}/goals`, { title: `G${i}`, horizon: 'long_term' })).id);
    await receiver.waitFor(() => receiver.received.length >= 1);
    await first.kill();
    const cutOff = receiver.received[0].headers['webhook-id'];
    // Killed mid-attempt: the delivery is still leased with no outcome written, so what follows is the lease's
    // recovery (had the kill come after the timeout, a retry written by the first instance would hide it).
    const cut = await onDatabase(databaseUrl, (c) =>
      c.query(`SELECT attempt, locked_until IS NOT NULL AS leased, response_status, last_error FROM webhook_delivery WHERE event_id = $1`, [
        cutOff,
      ]),
    );
    expect(cut.rows).toEqual([{ attempt: 1, leased: true, response_status: null, last_error: null }]);

    const second = await instance();
    const events = await goalEvents(second, 5);
    expect(events).toHaveLength(5);
    await receiver.waitFor(() => events.every((id) => receiver.received.slice(1).some((r) => r.headers['webhook-id'] === id)), 15_000);
    // The one cut off came again; every one verifies.
    expect(receiver.received.slice(1).some((r) => r.headers['webhook-id'] === cutOff)).toBe(true);
    for (const r of receiver.received) new standardwebhooks.Webhook(hook.secret).verify(r.body, r.headers as Record<string, string>);
    const subjects = new Set(receiver.events().map((e) => e.subject.id));
    expect([...subjects].sort()).toEqual([...goals].sort());
  }, 60_000);

  it('killing the service right after writes, before they are dispatched, loses none', async () => {
    const first = await instance();
    const cluster = await first.created('/clusters', { name: 'Burst', region: 'R', phase: 'initiation' });
    await first.created('/webhooks', { url: receiver.url, types: ['goal.created'] });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => first.created(`/clusters/${cluster.id}/goals`, { title: `G${i}`, horizon: 'long_term' })),
    );
    await first.kill();
    const second = await instance();
    const events = await goalEvents(second, 20);
    expect(events).toHaveLength(20);
    await receiver.waitFor(() => events.every((id) => receiver.received.some((r) => r.headers['webhook-id'] === id)), 15_000);
  }, 60_000);

  it('two instances share the work: every event reaches the receiver at least once, none lost', async () => {
    const a = await instance();
    const b = await instance();
    const cluster = await a.created('/clusters', { name: 'Shared', region: 'R', phase: 'initiation' });
    await b.created('/webhooks', { url: receiver.url, types: ['goal.created'] });
    // Some answers fail, so retries are shared between the instances too; every answer takes a while, so that a
    // delivery claimed by both instances at once would show as two requests open together.
    receiver.answer = (_r, i, res) => {
      res.statusCode = i % 7 === 3 ? 500 : 200;
      setTimeout(() => res.end(), 40);
    };
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? a : b).created(`/clusters/${cluster.id}/goals`, { title: `G${i}`, horizon: 'long_term' }),
      ),
    );
    const events = await goalEvents(a, 40);
    expect(events).toHaveLength(40);
    const succeeded = () => new Set(receiver.received.filter((r, i) => i % 7 !== 3).map((r) => r.headers['webhook-id'] as string));
    await receiver.waitFor(() => events.every((id) => succeeded().has(id)), 20_000);
    // Every delivery has ended (none pending or claimed): no request can still be on its way.
    await untilSettled(databaseUrl);
    const perEvent = new Map<string, number>();
    for (const r of receiver.received)
      perEvent.set(r.headers['webhook-id'] as string, (perEvent.get(r.headers['webhook-id'] as string) ?? 0) + 1);
    expect([...perEvent.keys()].sort()).toEqual([...events].sort());
    // The claim locks what it takes: no delivery is attempted by both instances at once, nor again after a 2xx.
    expect({ overlapping: receiver.overlapping(), afterSuccess: receiver.afterSuccess() }).toEqual({ overlapping: 0, afterSuccess: 0 });
    process.stdout.write(
      `two instances: ${events.length} events, ${receiver.received.length} requests, ` +
        `${[...perEvent.values()].filter((n) => n > 1).length} events received more than once (retries of 500s included)\n`,
    );
  }, 60_000);
});
