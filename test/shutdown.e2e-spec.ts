import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, dropTestDatabase } from './support/database.js';
import { freePort } from './support/net.js';

const main = join(import.meta.dirname, '..', '..', 'dist', 'src', 'main.js');
const IN_FLIGHT = 12;

/**
 * How a request ended: answered (with its status and body); refused before it
 * was sent (the connection was refused: nothing reached the service); or cut
 * off after its connection was open (a failure of graceful shutdown).
 */
type Outcome = { kind: 'answered'; status: number; body: any } | { kind: 'refused' } | { kind: 'cut off'; error: string };

/** One request on a connection of its own (no keep-alive), telling a refusal from a cut. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: object): Promise<Outcome> {
  return new Promise((resolve) => {
    let connected = false;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ kind: 'answered', status: res.statusCode!, body: text ? JSON.parse(text) : undefined });
      });
      res.on('error', (error) => resolve({ kind: 'cut off', error: String(error) }));
    });
    req.on('socket', (socket) => socket.once('connect', () => (connected = true)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(
        !connected && error.code === 'ECONNREFUSED' ? { kind: 'refused' } : { kind: 'cut off', error: `${error.code}: ${error.message}` },
      ),
    );
    req.end(payload);
  });
}

describe('graceful shutdown', () => {
  it('finishes the requests in flight on SIGTERM, refuses new connections meanwhile, and exits 0', async () => {
    const databaseUrl = await createTestDatabase();
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    // A gate of the test's own: inserting an activity titled "held" waits until the gate opens, so those
    // requests are in flight, inside their transactions, for as long as the test wants (at most 30 s).
    await db.query(`CREATE TABLE test_gate (open boolean NOT NULL); INSERT INTO test_gate VALUES (false)`);
    await db.query(`
      CREATE FUNCTION test_hold() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        FOR i IN 1..1500 LOOP
          EXIT WHEN (SELECT open FROM test_gate);
          PERFORM pg_sleep(0.02);
        END LOOP;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_hold BEFORE INSERT ON activity FOR EACH ROW WHEN (NEW.title LIKE 'held %') EXECUTE FUNCTION test_hold()`);
    const port = await freePort();
    const key = `sty_shutdown_${randomBytes(16).toString('hex')}`;
    const app = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        WEBHOOK_SECRET_KEY: '5e'.repeat(32),
        SIGNING_KEY: '6f'.repeat(32),
        ADMIN_API_KEY: key,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DEMO_DATA: 'false',
        DB_POOL_SIZE: String(IN_FLIGHT + 5),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    app.stdout.on('data', (d: Buffer) => (output += d.toString()));
    app.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const sleeping = async () =>
      (
        await db.query<{ n: number }>(
          // The held INSERTs still running (sampling wait_event = 'PgSleep' could catch one between two sleeps of its loop).
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND state = 'active' AND query ~* '^\\s*INSERT INTO "?activity"?'`,
        )
      ).rows[0].n;
    try {
      while (!output.includes('Styrman is ready')) {
        if (app.exitCode !== null) throw new Error(output);
        await new Promise((r) => setTimeout(r, 100));
      }
      const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
      const created = await send(port, 'POST', '/api/v1/clusters', headers, { name: 'Shutdown', region: 'R', phase: 'initiation' });
      if (created.kind !== 'answered' || created.status !== 201) throw new Error(JSON.stringify(created));
      const clusterId = created.body.id as string;

      // Writes in flight for certain: each has reached PostgreSQL and waits at the gate.
      const inFlight = Array.from({ length: IN_FLIGHT }, (_, i) =>
        send(port, 'POST', `/api/v1/clusters/${clusterId}/activities`, headers, { title: `held ${i}` }),
      );
      for (let i = 0; (await sleeping()) < IN_FLIGHT; i++) {
        if (i > 500) throw new Error(`only ${await sleeping()} of ${IN_FLIGHT} requests reached the gate`);
        await new Promise((r) => setTimeout(r, 20));
      }

      app.kill('SIGTERM');
      // New connections are refused while those requests are still in flight. Probes sent after SIGTERM, in the
      // moment before the listener closes, may still be answered (200, or 503 while closing) or have their fresh
      // connection reset unread; none of them was in flight at SIGTERM.
      const probes: Outcome[] = [];
      while (probes.at(-1)?.kind !== 'refused') {
        if (probes.length > 200) throw new Error('the service kept accepting connections after SIGTERM');
        probes.push(await send(port, 'GET', '/health', {}));
      }
      const answered = probes.filter((o) => o.kind === 'answered');
      expect(answered.filter((o) => o.status !== 200 && o.status !== 503)).toEqual([]);
      expect(await sleeping()).toBe(IN_FLIGHT);
      expect(app.exitCode).toBeNull();

      await db.query(`UPDATE test_gate SET open = true`);
      const results = await Promise.all(inFlight);
      const [code] = await once(app, 'exit');
      expect(code).toBe(0);

      // Every request in flight at SIGTERM completed with 201, and its write is stored.
      expect(results.filter((r) => !(r.kind === 'answered' && r.status === 201))).toEqual([]);
      const ids = results.map((r) => (r.kind === 'answered' ? (r.body.id as string) : ''));
      const { rows } = await db.query<{ id: string; title: string }>(`SELECT id, title FROM activity WHERE cluster_id = $1`, [clusterId]);
      expect(new Map(rows.map((r) => [r.id, r.title]))).toEqual(new Map(ids.map((id, i) => [id, `held ${i}`])));
      // And now nothing listens.
      expect(await send(port, 'GET', '/health', {})).toEqual({ kind: 'refused' });
      process.stdout.write(
        `shutdown: ${IN_FLIGHT} writes in flight at SIGTERM, ${results.length} completed 201 and stored; ` +
          `new connections refused after ${probes.length - 1} probes (${answered.length} answered, ${probes.length - 1 - answered.length} reset)\n`,
      );
    } finally {
      if (app.exitCode === null) app.kill('SIGKILL');
      await db.query(`UPDATE test_gate SET open = true`).catch(() => undefined);
      await db.end();
      await dropTestDatabase(databaseUrl);
    }
  });
});
