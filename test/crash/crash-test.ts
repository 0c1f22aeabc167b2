/**
 * Crash test (`npm run test:crash`): Styrman on a real PostgreSQL, several
 * clients writing with Idempotency-Keys and retrying as a careful client
 * would, while the service is killed with SIGKILL and restarted, and
 * PostgreSQL is stopped with `pg_ctl stop -m immediate` and restarted.
 * Afterwards every request that was acknowledged with a 2xx must be in the
 * database exactly once, and no item's status may disagree with its newest
 * history entry. Bounded: a fixed number of operations, and a time limit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';

const CLIENTS = 4;
const OPERATIONS_PER_CLIENT = 50;
const DEADLINE_MS = 120_000;
const main = join(import.meta.dirname, '..', '..', 'src', 'main.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const started = Date.now();
const dataDir = await mkdtemp(join(tmpdir(), 'styrman-crash-'));
const database = await EmbeddedPostgres.start({ dataDir, port: await freePort() });
const port = await freePort();
const adminKey = `sty_crash_${randomBytes(16).toString('hex')}`;
const base = `http://127.0.0.1:${port}`;
const headers = { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' };
let service: ChildProcess | undefined;

async function startService(): Promise<void> {
  service = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_API_KEY: adminKey,
      LOG_LEVEL: 'error',
      DEMO_DATA: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`${base}/health/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new Error('the service did not become ready');
}

async function post(path: string, body: object, key: string): Promise<number> {
  try {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { ...headers, 'Idempotency-Key': key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0; // the connection failed: the outcome is unknown, retry
  }
}

const acknowledged: { kind: 'activity' | 'status'; key: string }[] = [];
const attempted: { kind: 'activity' | 'status'; key: string }[] = [];
let refused = 0;
/** Attempts that failed for the faults (a dropped connection, 503, 409) and were retried: proof the faults hit mid-stream. */
let retried = 0;

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
    // Retry with the same key until the service answers for certain, as a careful client does.
    for (;;) {
      if (Date.now() - started > DEADLINE_MS) return;
      const status = await post(path, body, key);
      if (status >= 200 && status < 300) {
        acknowledged.push({ kind, key });
        break;
      }
      if (status >= 400 && status < 500 && status !== 409 && status !== 429) {
        refused += 1;
        break;
      }
      retried += 1;
      await sleep(150);
    }
  }
}

async function chaos(): Promise<void> {
  await sleep(800);
  service!.kill('SIGKILL');
  await sleep(300);
  await startService();
  await sleep(800);
  await database.kill();
  await sleep(1000);
  await database.restart();
  await sleep(800);
  service!.kill('SIGKILL');
  await startService();
}

let exitCode: number;
try {
  await startService();
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
  await Promise.all([chaos(), ...Array.from({ length: CLIENTS }, (_, n) => client(activities, cluster.id, n))]);
  const recovered = await fetch(`${base}/health/ready`).then(
    (r) => r.ok,
    () => false,
  );

  const db = new pg.Client({ connectionString: database.url });
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
    WITH items AS (SELECT id, status, NULL::item_state AS state FROM goal
                   UNION ALL SELECT id, status, state FROM activity
                   UNION ALL SELECT id, status, state FROM low_hanging_fruit)
    SELECT i.id FROM items i
    JOIN LATERAL (SELECT su.status, su.state FROM status_update su WHERE su.subject_id = i.id ORDER BY su.created_at DESC, su.seq DESC LIMIT 1) e ON true
    WHERE e.status <> i.status OR e.state IS DISTINCT FROM i.state`);
  await db.end();

  const unfinished = attempted.length - acknowledged.length - refused;
  process.stdout.write(
    `crash test: ${attempted.length} requests, acknowledged ${acknowledged.length}, lost ${lost}, duplicated ${duplicated}, ` +
      `inconsistent ${inconsistent.length}, refused ${refused}, unfinished ${unfinished}, retried ${retried}, recovered ${recovered ? 'yes' : 'no'}, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  exitCode =
    lost === 0 && duplicated === 0 && inconsistent.length === 0 && recovered && unfinished === 0 && refused === 0 && retried > 0 ? 0 : 1;
} finally {
  service?.kill('SIGTERM');
  await sleep(500);
  service?.kill('SIGKILL');
  await database.stop();
  await rm(dataDir, { recursive: true, force: true });
}
process.stdout.write(exitCode === 0 ? '1 passed, 0 failed\n' : '0 passed, 1 failed\n');
process.exit(exitCode);
