#!/usr/bin/env node
// Many instances on one database: 1, 2 and 4 service processes behind a small round-robin TCP proxy (loopback only),
// and what scales with them: the three hot paths, a report burst, and long-poll fan-out.
//
// Self-contained: starts an embedded PostgreSQL of its own (fsync off, in a temporary folder), migrates and seeds a
// small plan through the API, then for each instance count starts the services (node dist/src/main.js), runs the
// scenarios through the proxy and stops them. Every loop is bounded in time and in requests; everything started is
// stopped. Prints the figures and writes them to bench/results-raw/multi-instance.json; exits 0 whatever they are.
//
//   npx nest build && node_modules/.bin/node bench/multi-instance.mjs
//
// Settings (environment variables, defaults in brackets):
//   BENCH_MULTI_INSTANCES [1,2,4]   instance counts
//   BENCH_MULTI_SECONDS [5]         measured seconds of each hot-path scenario
//   BENCH_MULTI_CONCURRENCY [16]    clients of each hot-path scenario
//   BENCH_MULTI_BURST [16]          concurrent reports of the burst
//   BENCH_MULTI_WAITERS [1000]      long-polls of the fan-out
//   BENCH_MULTI_CLUSTERS [12]       clusters seeded (20 activities and 10 goals each)
//   BENCH_DB_POOL [10]              DB_POOL_SIZE of each instance
//   BENCH_DIST                      the compiled app to run [dist/]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BENCH_DIR, DIST, envNumber, freePort, importDist, percentile, requireDist, withDatabase } from './lib.mjs';

const num = (name, fallback) => envNumber(name, fallback, { integer: true });
const CONFIG = {
  instances: (process.env.BENCH_MULTI_INSTANCES ?? '1,2,4').split(',').map(Number),
  seconds: num('BENCH_MULTI_SECONDS', 5),
  concurrency: num('BENCH_MULTI_CONCURRENCY', 16),
  burst: num('BENCH_MULTI_BURST', 16),
  waiters: num('BENCH_MULTI_WAITERS', 1000),
  clusters: num('BENCH_MULTI_CLUSTERS', 12),
  pool: num('BENCH_DB_POOL', 10),
  maxRequests: 200_000,
};
const RAW_DIR = join(BENCH_DIR, 'results-raw');
const ADMIN_KEY = `sty_bench_admin_${randomBytes(16).toString('hex')}`;
const log = (m) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Round robin over `targets`, one TCP connection at a time, on 127.0.0.1. */
async function startProxy(targets) {
  let next = 0;
  const sockets = new Set();
  const server = createServer((client) => {
    const target = targets[next++ % targets.length];
    const upstream = createConnection({ host: '127.0.0.1', port: target });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  server.maxConnections = 20_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    },
  };
}

async function startInstance(databaseUrl, name, extra = {}) {
  const port = await freePort();
  const fd = openSync(join(RAW_DIR, `multi-${name}.log`), 'w');
  const child = spawn(process.execPath, ['--enable-source-maps', join(DIST, 'src', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: ADMIN_KEY,
      WEBHOOK_SECRET_KEY: '5e'.repeat(32),
      SIGNING_KEY: '6f'.repeat(32),
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
      DB_POOL_SIZE: String(CONFIG.pool),
      RATE_LIMIT_PER_MINUTE: '0',
      MAX_IN_FLIGHT_PER_KEY: '10000',
      ...extra,
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`instance ${name} exited while starting (bench/results-raw/multi-${name}.log)`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`instance ${name} did not answer within 60 s`);
    await sleep(200);
  }
  return {
    port,
    child,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    },
  };
}

function request(base, method, path, { key = ADMIN_KEY, body, agent } = {}) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: { authorization: `Bearer ${key}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, json, bytes: text.length, ms: performance.now() - t, end: performance.now() });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** A closed loop of `concurrency` clients for `seconds`: req/s of 2xx answers, latency percentiles, other statuses. */
async function closedLoop(base, concurrency, seconds, next) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const until = performance.now() + seconds * 1000;
  const ms = [];
  let ok = 0;
  let other = 0;
  let sent = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until && sent < CONFIG.maxRequests) {
        sent++;
        const { method, path, body } = next();
        const res = await request(base, method, path, { body, agent }).catch(() => ({ status: 0, ms: 0 }));
        if (res.status >= 200 && res.status < 300) {
          ok++;
          ms.push(res.ms);
        } else other++;
      }
    }),
  );
  agent.destroy();
  ms.sort((a, b) => a - b);
  return { rps: ok / seconds, p50: percentile(ms, 50), p95: percentile(ms, 95), other };
}

async function seed(base) {
  const clusters = [];
  const activities = [];
  for (let c = 0; c < CONFIG.clusters; c++) {
    const cluster = await request(base, 'POST', '/api/v1/clusters', {
      body: { name: `Bench cluster ${c}`, region: 'Gävleborg', phase: 'initiation' },
    });
    if (cluster.status !== 201) throw new Error(`seed: cluster ${cluster.status} ${JSON.stringify(cluster.json)}`);
    clusters.push(cluster.json.id);
    await Promise.all(
      Array.from({ length: 10 }, (_, g) =>
        request(base, 'POST', `/api/v1/clusters/${cluster.json.id}/goals`, { body: { title: `Goal ${g}`, horizon: 'short_term' } }),
      ),
    );
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, a) =>
        request(base, 'POST', `/api/v1/clusters/${cluster.json.id}/activities`, { body: { title: `Activity ${a}` } }),
      ),
    );
    activities.push(...made.map((r) => r.json.id));
  }
  return { clusters, activities };
}

/** `count` viewer keys (long-polls are budgeted per key and instance). */
async function viewerKeys(base, count) {
  const keys = [];
  for (let i = 0; i < count; i += 20) {
    const made = await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, (_, j) =>
        request(base, 'POST', '/api/v1/api-keys', { body: { name: `bench viewer ${i + j}`, role: 'viewer' } }),
      ),
    );
    keys.push(...made.map((r) => r.json.secret));
  }
  return keys;
}

/** `waiters` long-polls spread over the instances, then one write: how many were admitted, and how fast each woke. */
async function fanOut(base, keys, activityId, databaseUrl) {
  // The feed's head: the newest revision in the feed's order (every writer has finished here).
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query(`SELECT xid || '_' || position AS cursor FROM revision ORDER BY xid DESC, position DESC LIMIT 1`);
  await client.end();
  const after = rows[0].cursor;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const polls = Array.from({ length: CONFIG.waiters }, (_, i) =>
    request(base, 'GET', `/api/v1/events?wait=20&after=${encodeURIComponent(after)}`, { key: keys[i % keys.length], agent }).catch(() => ({
      status: 0,
    })),
  );
  // Let the long-polls settle: the refused ones answer at once, the admitted ones are held.
  await sleep(3000);
  const writeAt = performance.now();
  const write = await request(base, 'POST', `/api/v1/activities/${activityId}/status-updates`, {
    body: { status: 'yellow', comment: 'Fan-out' },
  });
  const results = await Promise.all(polls);
  agent.destroy();
  const woke = results.filter((r) => r.status === 200 && r.json?.items?.length > 0).map((r) => r.end - writeAt);
  woke.sort((a, b) => a - b);
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return {
    write: write.status,
    statuses,
    woke: woke.length,
    p50: percentile(woke, 50),
    p95: percentile(woke, 95),
    max: woke.at(-1) ?? NaN,
  };
}

async function burst(base, clusters) {
  const year = new Date().getUTCFullYear();
  const start = performance.now();
  const results = await Promise.all(
    Array.from({ length: CONFIG.burst }, (_, i) =>
      request(base, 'GET', `/api/v1/clusters/${clusters[i % clusters.length]}/report?period=${year}&format=csv`).catch(() => ({
        status: 0,
        ms: 0,
      })),
    ),
  );
  const ms = results.filter((r) => r.status === 200).map((r) => r.ms);
  ms.sort((a, b) => a - b);
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return { statuses, p50: percentile(ms, 50), p95: percentile(ms, 95), wallMs: performance.now() - start };
}

async function main() {
  requireDist();
  await mkdir(RAW_DIR, { recursive: true });
  const folder = await mkdtemp(join(tmpdir(), 'styrman-bench-multi-'));
  const { EmbeddedPostgres } = await importDist('src/database/embedded-postgres.js');
  const { chmod } = await import('node:fs/promises');
  await chmod(folder, 0o711);
  const server = await EmbeddedPostgres.start({ dataDir: folder, ephemeral: true });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE DATABASE styrman_bench_multi');
  await admin.end();
  const databaseUrl = withDatabase(server.url, 'styrman_bench_multi');
  const out = { config: CONFIG, cores: (await import('node:os')).cpus().length, runs: {} };
  let instances = [];
  let proxy;
  try {
    log('seeding through one instance');
    const first = await startInstance(databaseUrl, 'seed');
    const seedBase = `http://127.0.0.1:${first.port}`;
    const data = await seed(seedBase);
    const keys = await viewerKeys(seedBase, Math.ceil(CONFIG.waiters / 4));
    await first.stop();
    log(`seeded ${data.clusters.length} clusters, ${data.activities.length} activities, ${keys.length} viewer keys`);

    for (const n of CONFIG.instances) {
      log(`${n} instance(s)`);
      instances = await Promise.all(
        Array.from({ length: n }, (_, i) => startInstance(databaseUrl, `${n}-${i}`, { WEBHOOK_WORKER: 'false' })),
      );
      proxy = await startProxy(instances.map((i) => i.port));
      const run = {};
      let a = 0;
      const activity = () => data.activities[a++ % data.activities.length];
      await closedLoop(proxy.base, CONFIG.concurrency, 1, () => ({ method: 'GET', path: `/api/v1/activities/${activity()}` })); // warm-up
      run.getActivity = await closedLoop(proxy.base, CONFIG.concurrency, CONFIG.seconds, () => ({
        method: 'GET',
        path: `/api/v1/activities/${activity()}`,
      }));
      let c = 0;
      run.listGoals = await closedLoop(proxy.base, CONFIG.concurrency, CONFIG.seconds, () => ({
        method: 'GET',
        path: `/api/v1/clusters/${data.clusters[c++ % data.clusters.length]}/goals?limit=50`,
      }));
      run.statusUpdate = await closedLoop(proxy.base, CONFIG.concurrency, CONFIG.seconds, () => ({
        method: 'POST',
        path: `/api/v1/activities/${activity()}/status-updates`,
        body: { status: 'green' },
      }));
      log(`  hot paths: ${JSON.stringify({ get: run.getActivity.rps, list: run.listGoals.rps, post: run.statusUpdate.rps })}`);
      run.burst = await burst(proxy.base, data.clusters);
      log(`  burst: ${JSON.stringify(run.burst)}`);
      run.fanOut = await fanOut(proxy.base, keys, data.activities[0], databaseUrl);
      log(`  fan-out: ${JSON.stringify(run.fanOut)}`);
      out.runs[n] = run;
      await proxy.close();
      await Promise.all(instances.map((i) => i.stop()));
      instances = [];
    }
    // What one write costs on disk, for sizing: the history tables' bytes (heap, indexes, TOAST) per row.
    const sizes = new pg.Client({ connectionString: databaseUrl });
    await sizes.connect();
    await sizes.query('VACUUM ANALYZE status_update, revision');
    const { rows } = await sizes.query(
      `SELECT relname AS table, pg_total_relation_size(oid)::float8 AS bytes, reltuples::float8 AS rows
         FROM pg_class WHERE relname IN ('status_update', 'revision') AND relkind = 'r'`,
    );
    await sizes.end();
    out.bytesPerRow = Object.fromEntries(rows.map((r) => [r.table, { rows: r.rows, bytesPerRow: r.bytes / Math.max(1, r.rows) }]));
    log(`  bytes per row: ${JSON.stringify(out.bytesPerRow)}`);
  } finally {
    await proxy?.close().catch(() => undefined);
    await Promise.all(instances.map((i) => i.stop().catch(() => undefined)));
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  }
  await writeFile(join(RAW_DIR, 'multi-instance.json'), `${JSON.stringify(out, null, 2)}\n`);
  const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  console.log(
    '\n| instances | GET activity req/s (p95 ms) | goals list req/s (p95) | status update req/s (p95) | report burst: 200 / 503, p95 ms, wall ms | long-polls: held and woken / refused, wake p50 / p95 / max ms |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [n, r] of Object.entries(out.runs)) {
    const refused = Object.entries(r.fanOut.statuses)
      .filter(([s]) => s !== '200')
      .map(([s, k]) => `${k}× ${s}`)
      .join(', ');
    console.log(
      `| ${n} | ${f(r.getActivity.rps)} (${f(r.getActivity.p95, 1)}) | ${f(r.listGoals.rps)} (${f(r.listGoals.p95, 1)}) | ${f(r.statusUpdate.rps)} (${f(r.statusUpdate.p95, 1)}) | ` +
        `${r.burst.statuses[200] ?? 0} / ${r.burst.statuses[503] ?? 0}, ${f(r.burst.p95)}, ${f(r.burst.wallMs)} | ` +
        `${r.fanOut.woke} / ${refused || 'none'}, ${f(r.fanOut.p50)} / ${f(r.fanOut.p95)} / ${f(r.fanOut.max)} |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
