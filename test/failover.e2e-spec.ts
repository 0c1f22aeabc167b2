import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from './support/database.js';
import { Instance } from './support/instance.js';
import { Receiver } from './support/receiver.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CLIENTS = 4;
const adminKey = `sty_failover_${randomBytes(16).toString('hex')}`;

/** One POST with an Idempotency-Key, on a connection of its own (no keep-alive: a cut connection is never reused). */
function post(port: number, path: string, body: unknown, key: string): Promise<{ status: number; id: string; replayed: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', 'idempotency-key': key },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            id: (JSON.parse(text) as { id: string }).id,
            replayed: res.headers['idempotent-replayed'] === 'true',
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * The way to one instance, as a load balancer's connection to it: it can hold back the instance's answers, so
 * that a write the instance has committed and answered is not acknowledged when the instance dies.
 */
class HoldingProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  holding = false;
  held = 0;
  port = 0;

  constructor(private readonly target: number) {
    this.server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: this.target });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        if (this.holding) this.held++;
        else client.write(chunk);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** Resets every connection: the clients see their requests cut, as when the instance behind dies. */
  cut(): void {
    for (const s of this.sockets) s.resetAndDestroy();
  }

  close(): void {
    this.server.close();
    this.cut();
  }
}
const WRITES_PER_CLIENT = 15;

/**
 * A failover drill: three instances on one database (each a process, each a
 * webhook worker), clients writing with Idempotency-Keys through them in turn
 * as a load balancer would, and one instance killed (SIGKILL) mid-load. Its
 * answers are held back just before, until it has answered at least one write
 * (committed, not acknowledged), so the kill always cuts acknowledged-looking
 * work. A client whose request fails (connection refused or reset, 409 while
 * the first attempt's transaction is still being rolled back) retries the same
 * key on the next instance; such a retry of a committed write must be a replay.
 */
describe('failover drill: one of three instances killed mid-load', () => {
  let databaseUrl: string;
  let receiver: Receiver;
  const instances: Instance[] = [];
  let proxy: HoldingProxy | undefined;
  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.kill()));
    proxy?.close();
    await receiver.close();
    await dropTestDatabase(databaseUrl);
  });

  it('loses no acknowledged write, makes none twice, and dispatches every webhook event once', async () => {
    for (let i = 0; i < 3; i++) instances.push(await new Instance(databaseUrl, adminKey).start());
    const cluster = await instances[0].created('/clusters', { name: 'Failover', region: 'R', phase: 'initiation' });
    await instances[0].created('/webhooks', { url: receiver.url, types: ['goal.created'] });

    const victim = instances[1];
    proxy = await new HoldingProxy(victim.port).start();
    const ports = [instances[0].port, proxy.port, instances[2].port];

    const acknowledged = new Map<string, string>();
    let turn = 0;
    let failedAttempts = 0;
    let replays = 0;
    const write = async (key: string): Promise<string> => {
      for (let attempt = 0; attempt < 40; attempt++) {
        const port = ports[turn++ % ports.length];
        try {
          const res = await post(port, `/api/v1/clusters/${cluster.id}/goals`, { title: `Goal ${key}`, horizon: 'long_term' }, key);
          if (res.status === 201) {
            if (res.replayed) replays++;
            return res.id;
          }
        } catch {
          // Refused or reset: the instance is gone; the next one takes the retry.
        }
        failedAttempts++;
        await sleep(25);
      }
      throw new Error(`${key} was never acknowledged`);
    };
    let killedAt = -1;
    const load = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < WRITES_PER_CLIENT; i++) {
        const key = `client-${c}-write-${i}`;
        acknowledged.set(key, await write(key));
      }
    });
    const kill = (async () => {
      for (let i = 0; acknowledged.size < 20 && i < 2000; i++) await sleep(5);
      proxy.holding = true;
      for (let i = 0; proxy.held === 0 && i < 2000; i++) await sleep(5);
      killedAt = acknowledged.size;
      await victim.kill();
      proxy.cut();
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
      // The hold made at least one write commit there unacknowledged: its retry elsewhere was a replay.
      expect(replays).toBeGreaterThan(0);

      // Every event reaches the receiver, and is dispatched once (one delivery row).
      await receiver.waitFor(() => new Set(receiver.events().map((e) => e.subject.id)).size === goals.length, 20_000);
      const { rows: dispatched } = await db.query<{ n: number; once: boolean }>(
        `SELECT count(*)::int AS n, count(*) = count(DISTINCT event_id) AS once FROM webhook_delivery`,
      );
      expect(dispatched[0]).toEqual({ n: goals.length, once: true });
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
