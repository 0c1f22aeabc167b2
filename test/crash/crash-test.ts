/**
 * Crash test (`npm run test:crash`): Styrman on a real PostgreSQL, several
 * clients writing with Idempotency-Keys and retrying as a careful client
 * would, while the service is killed with SIGKILL and restarted, and
 * PostgreSQL is stopped with `pg_ctl stop -m immediate` and restarted.
 * Afterwards every request that was acknowledged with a 2xx must be in the
 * database exactly once, and no item's status may disagree with its newest
 * history entry. Bounded: a fixed number of operations, and a time limit.
 *
 * Each fault is made to hit writes in flight, and the test fails unless it
 * did:
 * - the clients reach the service through a TCP proxy (a load balancer, say).
 *   Before a SIGKILL the proxy holds back the service's answers until at least
 *   one write has committed and answered, then the service is killed and the
 *   clients' connections are reset: those writes are done but unacknowledged,
 *   so their retries with the same Idempotency-Key must be replays
 *   (`Idempotent-Replayed: true`), never second writes;
 * - before PostgreSQL is stopped, a lock of the test's on the activities
 *   makes status updates wait inside their transactions, and the stop comes
 *   once at least one does.
 * A retry is counted only when the attempt reached the service (an answer,
 * or a connection reset after the request was sent); a refused connection
 * while the service is down is not a retry of anything that reached it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { freePort } from '../support/net.js';

const CLIENTS = 4;
const OPERATIONS_PER_CLIENT = 50;
const DEADLINE_MS = 120_000;
const main = join(import.meta.dirname, '..', '..', 'src', 'main.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(2);
  }
}

/**
 * The clients' way to the service. It listens only while the service is up (so
 * clients see a refused connection while it is down, as without a proxy), and
 * can hold back the service's answers and then reset the clients' connections:
 * answers lost with a crash.
 */
class Proxy {
  private server: Server | undefined;
  private holding = false;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; held: boolean }>();

  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}

  /** Connections whose answer, a 2xx (the write is done), arrived while holding and was kept from the client. */
  get held(): number {
    return [...this.pairs].filter((p) => p.held).length;
  }

  async listen(): Promise<void> {
    this.holding = false;
    this.server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: this.target });
      const pair = { client, upstream, held: false };
      this.pairs.add(pair);
      const drop = () => {
        this.pairs.delete(pair);
        client.resetAndDestroy();
        upstream.destroy();
      };
      client.on('error', drop);
      upstream.on('error', drop);
      client.on('close', drop);
      upstream.on('close', drop);
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        if (!this.holding) client.write(chunk);
        else if (/^HTTP\/1\.1 2\d\d /.test(chunk.toString('latin1', 0, 13))) pair.held = true;
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
  }

  /** From now on, answers are kept from the clients. */
  hold(): void {
    this.holding = true;
  }

  /** Refuses new connections from now on, keeping the open ones. */
  close(): void {
    this.server?.close(); // stops listening at once; its callback would wait for the open connections to end
    this.server = undefined;
  }

  /** Resets every client connection, without what was held back. */
  resetAll(): void {
    for (const { client, upstream } of this.pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }
}

const started = Date.now();
const dataDir = await mkdtemp(join(tmpdir(), 'styrman-crash-'));
const database = await EmbeddedPostgres.start({ dataDir, port: await freePort() });
const servicePort = await freePort();
const proxy = new Proxy(await freePort(), servicePort);
const adminKey = `sty_crash_${randomBytes(16).toString('hex')}`;
const headers = { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' };
let service: ChildProcess | undefined;

/** Starts the service and waits until this very process says it listens (not merely that something answers on the port). */
async function startService(): Promise<void> {
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      WEBHOOK_SECRET_KEY: '5e'.repeat(32),
      SIGNING_KEY: '6f'.repeat(32),
      PORT: String(servicePort),
      HOST: '127.0.0.1',
      ADMIN_API_KEY: adminKey,
      LOG_LEVEL: 'error',
      DEMO_DATA: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  service = child;
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}) before it was ready:\n${output}`);
    if (output.includes('Styrman is ready')) return;
    await sleep(100);
  }
  throw new Error('the service did not become ready');
}

/** One attempt of a request, as the client saw it. */
interface Attempt {
  key: string;
  kind: 'activity' | 'status';
  /** The request was written to an open connection. */
  sent: boolean;
  outcome?:
    | { kind: 'answered'; status: number; replayed: boolean }
    /** The connection was refused: the request never left the client. */
    | { kind: 'refused' }
    /** The connection failed after the request was sent: it may or may not have been done. */
    | { kind: 'reset'; error: string };
}

const inFlight = new Set<Attempt>();

/** A POST on a connection of its own through the proxy. */
function post(path: string, body: object, key: string, kind: Attempt['kind']): Promise<Attempt> {
  const attempt: Attempt = { key, kind, sent: false };
  return new Promise((resolve) => {
    const finish = (outcome: NonNullable<Attempt['outcome']>) => {
      if (attempt.outcome) return;
      attempt.outcome = outcome;
      inFlight.delete(attempt);
      resolve(attempt);
    };
    let connected = false;
    const req = httpRequest(
      { host: '127.0.0.1', port: proxy.port, method: 'POST', path, agent: false, headers: { ...headers, 'Idempotency-Key': key } },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => finish({ kind: 'answered', status: res.statusCode!, replayed: res.headers['idempotent-replayed'] === 'true' }));
        res.on('error', (error) => finish({ kind: 'reset', error: String(error) }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('socket', (socket) => socket.once('connect', () => (connected = true)));
    req.on('finish', () => {
      attempt.sent = true;
      if (!attempt.outcome) inFlight.add(attempt);
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish(
        !connected && error.code === 'ECONNREFUSED'
          ? { kind: 'refused' }
          : { kind: 'reset', error: `${error.code ?? ''} ${error.message}` },
      ),
    );
    req.end(JSON.stringify(body));
  });
}

const describe = (o: NonNullable<Attempt['outcome']>) =>
  o.kind === 'answered' ? `${o.status}${o.replayed ? ' replayed' : ''}` : o.kind === 'reset' ? `reset (${o.error})` : 'refused';

const acknowledged: { kind: Attempt['kind']; key: string }[] = [];
const attempted: { kind: Attempt['kind']; key: string }[] = [];
let refused = 0;
/** Retries of attempts that reached the service: answered with 503 / 409 / 429, or reset after being sent. */
let retried = 0;
/** Acknowledgements that were replays of an earlier attempt's answer. */
let replays = 0;
/** Faults, each with the writes sent and not yet answered at the moment it struck. */
const faults: { fault: string; inFlight: string[] }[] = [];

async function client(activities: string[], clusterId: string, n: number): Promise<void> {
  for (let i = 0; i < OPERATIONS_PER_CLIENT; i++) {
    const key = randomUUID();
    const kind = (i + n) % 3 === 0 ? 'activity' : 'status';
    const [path, body] =
      kind === 'activity'
        ? [`/api/v1/clusters/${clusterId}/activities`, { title: key }]
        : [
            `/api/v1/activities/${activities[(i * 7 + n) % activities.length]}/status-updates`,
            { status: i % 2 ? 'yellow' : 'red', comment: key },
          ];
    attempted.push({ kind, key });
    const attempts: NonNullable<Attempt['outcome']>[] = [];
    // Retry with the same key until the service answers for certain, as a careful client does.
    for (;;) {
      if (Date.now() - started > DEADLINE_MS) {
        process.stdout.write(`unfinished at the deadline: ${kind} ${key} after ${attempts.map(describe).join(', ')}\n`);
        return;
      }
      const { outcome } = await post(path, body, key, kind);
      attempts.push(outcome!);
      if (outcome!.kind === 'answered') {
        const { status, replayed } = outcome!;
        if (status >= 200 && status < 300) {
          acknowledged.push({ kind, key });
          if (replayed) replays += 1;
          break;
        }
        if (status >= 400 && status < 500 && status !== 409 && status !== 429) {
          refused += 1;
          process.stdout.write(`refused: ${kind} ${key} answered ${status} after ${attempts.map(describe).join(', ')}\n`);
          break;
        }
      }
      if (outcome!.kind !== 'refused') retried += 1;
      await sleep(outcome!.kind === 'refused' ? 50 : 150);
    }
  }
}

function strike(fault: string): void {
  faults.push({ fault, inFlight: [...inFlight].map((a) => `${a.kind} ${a.key}`) });
}

/** SIGKILL once at least one write is done but its answer not yet delivered; the clients' connections are reset. */
async function killService(): Promise<void> {
  proxy.hold();
  await until('a write has committed and been answered behind the proxy', () => proxy.held > 0);
  proxy.close();
  strike('SIGKILL');
  service!.kill('SIGKILL');
  await once(service!, 'exit');
  proxy.resetAll();
  await sleep(300);
  await startService();
  await proxy.listen();
}

/** `pg_ctl stop -m immediate` while at least one status update waits inside its transaction. */
async function stopDatabase(activities: string[]): Promise<void> {
  const locker = new pg.Client({ connectionString: database.url });
  locker.on('error', () => undefined); // the stop ends this session too
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('SELECT id FROM activity WHERE id = ANY($1) FOR UPDATE', [activities]);
  await until('a status update waits for a row inside its transaction', async () => {
    const { rows } = await locker.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'styrman' AND wait_event_type = 'Lock'`,
    );
    return rows[0].n > 0;
  });
  strike('pg_ctl stop -m immediate');
  await database.kill();
  await locker.end().catch(() => undefined);
  await sleep(1000);
  await database.restart();
}

/** The faults strike at fixed points of the clients' progress, so that every fault meets writes still to come. */
async function chaos(activities: string[]): Promise<void> {
  const total = CLIENTS * OPERATIONS_PER_CLIENT;
  const progress = (share: number) =>
    until(`${share * 100} % of the writes are acknowledged`, () => acknowledged.length >= total * share, 60_000);
  await progress(0.2);
  await killService();
  await progress(0.45);
  await stopDatabase(activities);
  await progress(0.7);
  await killService();
}

let exitCode: number;
try {
  await startService();
  await proxy.listen();
  const base = `http://127.0.0.1:${servicePort}`;
  const cluster = (await (
    await fetch(`${base}/api/v1/clusters`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Crash test', region: 'R', phase: 'initiation' }),
    })
  ).json()) as { id: string };
  const activities: string[] = [];
  for (let i = 0; i < 8; i++) {
    const a = (await (
      await fetch(`${base}/api/v1/clusters/${cluster.id}/activities`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ title: `Target ${i}` }),
      })
    ).json()) as { id: string };
    activities.push(a.id);
  }
  await Promise.all([chaos(activities), ...Array.from({ length: CLIENTS }, (_, n) => client(activities, cluster.id, n))]);
  const recovered = await fetch(`${base}/health/ready`).then(
    (r) => r.ok,
    () => false,
  );

  const db = new pg.Client({ connectionString: database.url });
  db.on('error', (error) => process.stderr.write(`consistency check connection: ${String(error)}\n`));
  await db.connect();
  let lost = 0;
  let duplicated = 0;
  const ackKeys = new Set(acknowledged.map((a) => a.key));
  for (const { kind, key } of attempted) {
    const sql =
      kind === 'activity'
        ? 'SELECT count(*)::int AS n FROM activity WHERE title = $1'
        : 'SELECT count(*)::int AS n FROM status_update WHERE comment = $1';
    const { rows } = await db.query<{ n: number }>(sql, [key]);
    const n = rows[0].n;
    if (n > 1) duplicated += 1;
    if (ackKeys.has(key) && n === 0) lost += 1;
  }
  const { rows: inconsistent } = await db.query(`
    WITH items AS (SELECT id, status, NULL::text AS state FROM goal
                   UNION ALL SELECT id, status, state::text FROM activity
                   UNION ALL SELECT id, status, state::text FROM low_hanging_fruit
                   UNION ALL SELECT id, status, state::text FROM risk)
    SELECT i.id FROM items i
    JOIN LATERAL (SELECT su.status, su.state FROM status_update su WHERE su.subject_id = i.id ORDER BY su.created_at DESC, su.seq DESC LIMIT 1) e ON true
    WHERE e.status <> i.status OR e.state::text IS DISTINCT FROM i.state`);
  await db.end();

  const unfinished = attempted.length - acknowledged.length - refused;
  const hit = faults.filter((f) => f.inFlight.length > 0).length;
  for (const f of faults) process.stdout.write(`fault ${f.fault}: ${f.inFlight.length} writes in flight (${f.inFlight.join(', ')})\n`);
  process.stdout.write(
    `crash: acknowledged ${acknowledged.length}, lost ${lost}, duplicated ${duplicated}, inconsistent ${inconsistent.length}, ` +
      `replays ${replays}, faults with writes in flight ${hit}\n`,
  );
  process.stdout.write(
    `crash test: ${attempted.length} requests, refused ${refused}, unfinished ${unfinished}, ` +
      `retried ${retried} (after an answer or a reset), faults ${faults.length}, recovered ${recovered ? 'yes' : 'no'}, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  exitCode =
    lost === 0 &&
    duplicated === 0 &&
    inconsistent.length === 0 &&
    recovered &&
    unfinished === 0 &&
    refused === 0 &&
    retried > 0 &&
    replays > 0 &&
    faults.length === 3 &&
    hit === faults.length
      ? 0
      : 1;
} finally {
  proxy.close();
  proxy.resetAll();
  service?.kill('SIGTERM');
  await sleep(500);
  service?.kill('SIGKILL');
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.stdout.write(exitCode === 0 ? '1 passed, 0 failed\n' : '0 passed, 1 failed\n');
process.exit(exitCode);
