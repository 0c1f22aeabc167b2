#!/usr/bin/env node
// The benchmark run: needs `node bench/seed.mjs` (npm run bench:seed) first.
//
// Starts the database server, the service (node dist/src/main.js) and the baseline
// (bench/baseline-server.mjs) as child processes, records context (pgbench select-only and
// simple-update TPS on the same server, a hello-world node:http server's req/s), then runs the
// scenarios and writes bench/results.md (and the raw figures to bench/results-raw/).
//
// Every load goes to 127.0.0.1 only; every loop is bounded in time and in requests.
// Settings (environment variables, defaults in brackets):
//   BENCH_SECONDS [10]          measured seconds of one run
//   BENCH_WARMUP_SECONDS [3]    warm-up before the measured runs of a scenario, per target
//   BENCH_RUNS [3]              measured runs per target (A B A B …); the median is reported
//   BENCH_CONNECTIONS [10]      connections of the throughput scenarios (1–3)
//   BENCH_LATENCY_SECONDS [BENCH_SECONDS]  seconds of one run of the latency scenarios (4–6)
//   BENCH_DASHBOARD_CONCURRENCY [1]
//   BENCH_PGBENCH_SECONDS [5]   BENCH_PGBENCH_SCALE [2]   BENCH_PGBENCH (path) [/usr/bin/pgbench or PATH]
//   BENCH_DB_POOL [10]          DB_POOL_SIZE of the service and the baseline
//   BENCH_RATE_LIMIT [1000000]  RATE_LIMIT_PER_MINUTE of the service: the limiter runs, but never refuses
//   BENCH_MAX_REQUESTS [200000] upper bound of requests in one run
//   BENCH_SKIP                  comma list of parts to skip: pgbench,hello,idle,1,2,3,4,5,6,first,open,build,wire,xlsx,burst,paused,indicators
//   BENCH_IDLE_SECONDS          60: idle CPU measured right after the service starts
//   BENCH_PAUSED_READERS        20: paused readers of the running quarter's report
//   BENCH_BURST [24]            concurrent 10-year reports of the burst scenario   BENCH_BURST_DAYS [3660]
//   BENCH_NODE_OPTIONS          NODE_OPTIONS of the service and the baseline (e.g. --max-old-space-size=192)
//   BENCH_DIST                  the compiled app to run [dist/]
//   DATABASE_URL                when the seed used it: the same server
import autocannon from 'autocannon';
import { execFile, spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import pg from 'pg';
import { BENCH_DIR, DIST, envNumber, freePort, percentile, readState, requireDist, ROOT, secondsSince, startDatabaseServer, withDatabase } from './lib.mjs';

const execFileAsync = promisify(execFile);

const num = envNumber;
const CONFIG = {
  seconds: num('BENCH_SECONDS', 10),
  warmup: num('BENCH_WARMUP_SECONDS', 3),
  runs: Math.max(1, Math.round(num('BENCH_RUNS', 3))),
  connections: Math.round(num('BENCH_CONNECTIONS', 10)),
  pgbenchSeconds: num('BENCH_PGBENCH_SECONDS', 5),
  pgbenchScale: Math.round(num('BENCH_PGBENCH_SCALE', 2)),
  pool: Math.round(num('BENCH_DB_POOL', 10)),
  rateLimit: Math.round(num('BENCH_RATE_LIMIT', 1_000_000)),
  maxRequests: Math.round(num('BENCH_MAX_REQUESTS', 200_000)),
  dashboardConcurrency: Math.round(num('BENCH_DASHBOARD_CONCURRENCY', 1)),
  skip: new Set((process.env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
  nodeOptions: process.env.BENCH_NODE_OPTIONS ?? '',
};
CONFIG.latencySeconds = num('BENCH_LATENCY_SECONDS', CONFIG.seconds);
CONFIG.burst = Math.round(num('BENCH_BURST', 24));
CONFIG.burstDays = Math.round(num('BENCH_BURST_DAYS', 3660));
CONFIG.idleSeconds = num('BENCH_IDLE_SECONDS', 60);
CONFIG.pausedReaders = Math.round(num('BENCH_PAUSED_READERS', 20));

const TARGETS = {
  /** Scenarios 1–3: the two reads, and the status update (issue targets: 0.8 and 0.7 of the baseline). */
  throughputRatio: { 1: 0.8, 2: 0.8, 3: 0.7 },
  reportP95Ms: 50,
  keptSpeedup: 10,
  firstPullP95Ms: 400,
  openP95Ms: 600,
  burstGetP95Ms: 50,
  dashboardP95Ms: 50,
  /** Indicator totals of the big funder over a year (issue 25): a running year, and an ended one once kept. */
  totalsRunningP95Ms: 200,
  totalsKeptP95Ms: 20,
  growthRatio: 1.5,
  peakRssMb: 250,
};

const RAW_DIR = join(BENCH_DIR, 'results-raw');
const log = (m) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

// ------------------------------------------------------------------ statistics

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const spread = (values) => ({ min: Math.min(...values), median: median(values), max: Math.max(...values), runs: values });
/** Nearest-rank percentile of sorted values. */
// ------------------------------------------------------------------ child processes

const children = new Set();

function startChild(name, args, env, logFile) {
  const fd = openSync(logFile, 'w');
  const childEnv = { ...process.env, ...env };
  if (CONFIG.nodeOptions && name !== 'hello') childEnv.NODE_OPTIONS = CONFIG.nodeOptions;
  const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.name = name;
  children.add(child);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    children.delete(child);
    resolve({ code, signal });
  }));
  return child;
}

async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(timer);
}

async function waitForHttp(url, child, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) throw new Error(`${child.name} exited while starting (see bench/results-raw/${child.name}.log)`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

/** Peak and current resident memory of a process, in MB (Linux /proc). */
async function memoryOf(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { hwmMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024, anonMb: kb('RssAnon') / 1024, fileMb: kb('RssFile') / 1024 };
  } catch {
    return { hwmMb: NaN, rssMb: NaN, anonMb: NaN, fileMb: NaN };
  }
}

/** The service's JavaScript heap (total and used) and its external memory (Buffers), in MB, from its /metrics. */
async function heapOf(service, adminKey) {
  try {
    const response = await fetch(`${service.base}/metrics`, { headers: { authorization: `Bearer ${adminKey}` } });
    const text = await response.text();
    const value = (name) => Number(new RegExp(`^styrman_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 1024 / 1024;
    return { heapTotal: value('nodejs_heap_size_total_bytes'), heapUsed: value('nodejs_heap_size_used_bytes'), external: value('nodejs_external_memory_bytes') };
  } catch {
    return { heapTotal: NaN, heapUsed: NaN, external: NaN };
  }
}

/** Reports the service is building or writing now (`styrman_report_slots{state="building"}`), NaN when unknown. */
async function reportSlotsOf(service, adminKey) {
  try {
    const response = await fetch(`${service.base}/metrics`, { headers: { authorization: `Bearer ${adminKey}` } });
    return Number(/^styrman_report_slots\{state="building"\} (\S+)$/m.exec(await response.text())?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/** Samples VmRSS of a process every 250 ms until stopped; VmHWM at the end covers what the samples miss. */
function sampleMemory(pid) {
  let peakRss = 0;
  const timer = setInterval(async () => {
    const { rssMb } = await memoryOf(pid);
    if (rssMb > peakRss) peakRss = rssMb;
  }, 250);
  return async () => {
    clearInterval(timer);
    const { hwmMb, rssMb } = await memoryOf(pid);
    return { peakRssSampledMb: Math.max(peakRss, rssMb || 0), vmHwmMb: hwmMb };
  };
}

// ------------------------------------------------------------------ load generators

/** Throughput with autocannon: successful responses per second, and latency. */
async function cannon({ base, path, method = 'GET', headers, body, paths, seconds, connections }) {
  let next = 0;
  const request = { method, path, headers, body };
  if (paths) {
    request.setupRequest = (req) => {
      req.path = paths[next++ % paths.length];
      return req;
    };
  }
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [request],
    maxOverallRequests: CONFIG.maxRequests,
  });
  const ok = result['2xx'];
  return {
    rps: ok / (result.duration || seconds),
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    duration: result.duration,
  };
}

/** One request with a keep-alive agent; resolves with status and body length. */
function get(url, headers, agent) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode, bytes }));
      res.on('error', reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Latency at a fixed concurrency (closed loop): exact percentiles from every sample. */
async function closedLoop({ url, headers, concurrency, seconds, maxRequests = CONFIG.maxRequests, before }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const samples = [];
  let failures = 0;
  let bytes = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline && samples.length + failures < maxRequests) {
      if (before) await before();
      const t = performance.now();
      try {
        const res = await get(url, headers, agent);
        if (res.status >= 200 && res.status < 300) {
          samples.push(performance.now() - t);
          bytes = res.bytes;
        } else failures += 1;
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = samples.sort((a, b) => a - b);
  return {
    count: sorted.length,
    failures,
    rps: sorted.length / elapsed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    bytes,
  };
}

async function fetchJson(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

// ------------------------------------------------------------------ context

async function findPgbench() {
  for (const p of [process.env.BENCH_PGBENCH, '/usr/bin/pgbench', '/usr/local/bin/pgbench'].filter(Boolean)) if (existsSync(p)) return p;
  try {
    const { stdout } = await execFileAsync('sh', ['-c', 'command -v pgbench']);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

async function runPgbench(serverUrl) {
  const bin = await findPgbench();
  if (!bin) return { skipped: 'pgbench not found' };
  const name = 'styrman_bench_pgbench';
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(withDatabase(serverUrl, name));
  const env = {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: name,
  };
  const { stdout: version } = await execFileAsync(bin, ['--version']);
  await execFileAsync(bin, ['-i', '-q', '-s', String(CONFIG.pgbenchScale)], { env, timeout: 120_000 });
  const tps = async (mode) => {
    const { stdout } = await execFileAsync(
      bin,
      [mode, '-T', String(CONFIG.pgbenchSeconds), '-c', String(CONFIG.connections), '-j', String(Math.min(2, CONFIG.connections))],
      { env, timeout: (CONFIG.pgbenchSeconds + 60) * 1000 },
    );
    const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout) ?? /tps = ([\d.]+)/.exec(stdout);
    return m ? Number(m[1]) : NaN;
  };
  return { version: version.trim(), scale: CONFIG.pgbenchScale, clients: CONFIG.connections, seconds: CONFIG.pgbenchSeconds, selectOnlyTps: await tps('-S'), simpleUpdateTps: await tps('-N') };
}

const HELLO = `require('node:http').createServer((q, s) => { s.writeHead(200, { 'content-type': 'text/plain' }); s.end('Hello, world!'); })
  .listen(Number(process.env.PORT), '127.0.0.1');`;

async function runHello() {
  const port = await freePort();
  const child = startChild('hello', ['-e', HELLO], { PORT: String(port) }, join(RAW_DIR, 'hello.log'));
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(base, child);
    await cannon({ base, path: '/', seconds: CONFIG.warmup, connections: CONFIG.connections });
    const runs = [];
    for (let r = 0; r < CONFIG.runs; r += 1) runs.push(await cannon({ base, path: '/', seconds: CONFIG.seconds, connections: CONFIG.connections }));
    return { rps: spread(runs.map((x) => x.rps)), runs };
  } finally {
    await stopChild(child);
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc/<pid>/stat), NaN when it is gone. */
async function cpuSecondsOf(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = 100;

/** The pids of the PostgreSQL backends connected to a database (the service's pool). */
async function backendPids(databaseUrl) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/** CPU seconds the idle service and its database backends use over `seconds` right after start (background work only). */
async function idleCpu(service, databaseUrl, seconds) {
  log(`idle CPU: ${seconds} s with no requests`);
  const pids = [service.child.pid, ...(await backendPids(databaseUrl))];
  const before = await Promise.all(pids.map(cpuSecondsOf));
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const after = await Promise.all(pids.map(cpuSecondsOf));
  const node = after[0] - before[0];
  const backends = after.slice(1).reduce((n, x, i) => n + (Number.isFinite(x) && Number.isFinite(before[i + 1]) ? x - before[i + 1] : 0), 0);
  log(`  idle CPU over ${seconds} s: service ${node.toFixed(2)} s, its ${pids.length - 1} database backends ${backends.toFixed(2)} s`);
  return { seconds, serviceCpuSeconds: node, backendCpuSeconds: backends, backends: pids.length - 1 };
}

/**
 * `count` clients that each read the first 64 KB of the running quarter's funder report (CSV) and then stop reading,
 * against a service of their own with a slot for each: the service's RSS before, with all of them paused, and after
 * they left.
 */
async function pausedReaders(service, state, count) {
  const { connect } = await import('node:net');
  const port = Number(new URL(service.base).port);
  const path = `/api/v1/funders/${state.ids.funder}/report?period=${currentQuarter()}&format=csv`;
  const reader = () =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${state.keys.funder}\r\n\r\n`);
      });
      let received = 0;
      const onData = (chunk) => {
        if (received === 0 && !chunk.toString('latin1').startsWith('HTTP/1.1 200')) reject(new Error(chunk.toString('latin1').slice(0, 120)));
        received += chunk.length;
        if (received < 64 * 1024) return;
        socket.off('data', onData);
        socket.pause();
        resolve(socket);
      };
      socket.on('data', onData);
      socket.once('error', reject);
      setTimeout(() => reject(new Error('no 64 KB within 60 s')), 60_000).unref();
    });
  log(`paused readers: ${count} readers of ${path}`);
  const before = await memoryOf(service.child.pid);
  const sockets = [];
  const t = performance.now();
  try {
    for (const s of await Promise.allSettled(Array.from({ length: count }, reader))) {
      if (s.status === 'fulfilled') sockets.push(s.value);
      else log(`  a reader failed: ${s.reason?.message ?? s.reason}`);
    }
    // Let every report read what it reads before its reader's buffer is full.
    await new Promise((r) => setTimeout(r, 3000));
    const paused = await memoryOf(service.child.pid);
    // A reader whose whole report fits in the socket buffers (loopback TCP's grow to tcp_rmem's maximum) frees its
    // slot: only those still holding one are what this measures.
    const holding = await reportSlotsOf(service, state.keys.admin);
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 2000));
    const after = await memoryOf(service.child.pid);
    const out = { readers: count, paused: sockets.length, holding, seconds: secondsSince(t), rssBeforeMb: before.rssMb, rssPausedMb: paused.rssMb, rssAfterMb: after.rssMb, hwmMb: after.hwmMb };
    log(`  ${sockets.length} paused, ${holding} holding a slot: RSS ${f0(before.rssMb)} → ${f0(paused.rssMb)} MB (+${f0(paused.rssMb - before.rssMb)}), ${f0(after.rssMb)} MB after they left`);
    return out;
  } finally {
    for (const s of sockets) s.destroy();
  }
}

// ------------------------------------------------------------------ the app and the baseline

async function startService(databaseUrl, label, extraEnv = {}) {
  const port = await freePort();
  const child = startChild(
    `service-${label}`,
    // Through the launcher, as `npm run start:prod` and the image start it: the heap sized from MEMORY_LIMIT_MB.
    [existsSync(join(DIST, 'src', 'launch.js')) ? join(DIST, 'src', 'launch.js') : join(DIST, 'src', 'main.js')],
    {
      DATABASE_URL: databaseUrl,
      // Required with DATABASE_URL; a fixed one is enough for a benchmark's throw-away webhooks.
      WEBHOOK_SECRET_KEY: process.env.WEBHOOK_SECRET_KEY ?? '5e'.repeat(32),
      SIGNING_KEY: process.env.SIGNING_KEY ?? '6f'.repeat(32),
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
      DB_POOL_SIZE: String(CONFIG.pool),
      RATE_LIMIT_PER_MINUTE: String(CONFIG.rateLimit),
      NODE_ENV: 'production',
      ...extraEnv,
    },
    join(RAW_DIR, `service-${label}.log`),
  );
  const base = `http://127.0.0.1:${port}`;
  const t = performance.now();
  await waitForHttp(`${base}/health`, child);
  const idle = await memoryOf(child.pid);
  log(`service on ${label} ready in ${secondsSince(t)} s (pid ${child.pid}, ${base}, RSS ${f0(idle.rssMb)} MB)`);
  return { child, base, idleRssMb: idle.rssMb, memory: sampleMemory(child.pid), hwmFloorMb: 0 };
}

async function startBaseline(databaseUrl) {
  const port = await freePort();
  const child = startChild(
    'baseline',
    [join(BENCH_DIR, 'baseline-server.mjs')],
    { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', DB_POOL_SIZE: String(CONFIG.pool) },
    join(RAW_DIR, 'baseline.log'),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/health`, child);
  log(`baseline ready (pid ${child.pid}, ${base})`);
  return { child, base, memory: sampleMemory(child.pid) };
}

/** Throughput of the service and the baseline, alternated A B A B …, after a warm-up of each. */
async function abScenario(id, title, service, baseline, request) {
  log(`scenario ${id}: ${title}`);
  for (const target of [service, baseline]) await cannon({ ...request, base: target.base, seconds: CONFIG.warmup, connections: CONFIG.connections });
  const runs = { service: [], baseline: [] };
  for (let r = 0; r < CONFIG.runs; r += 1) {
    for (const [label, target] of [['service', service], ['baseline', baseline]]) {
      const res = await cannon({ ...request, base: target.base, seconds: CONFIG.seconds, connections: CONFIG.connections });
      runs[label].push(res);
      log(`  ${label.padEnd(8)} run ${r + 1}: ${res.rps.toFixed(0)} req/s, p50 ${res.p50} ms, p99 ${res.p99} ms${res.non2xx || res.errors ? `, ${res.non2xx} non-2xx, ${res.errors} errors` : ''}`);
    }
  }
  const s = spread(runs.service.map((x) => x.rps));
  const b = spread(runs.baseline.map((x) => x.rps));
  const failures = [...runs.service, ...runs.baseline].reduce((n, x) => n + x.non2xx + x.errors + x.timeouts, 0);
  return { id, title, service: s, baseline: b, ratio: s.median / b.median, failures, runs };
}

async function latencyScenario(label, url, headers, concurrency, before) {
  const warm = await closedLoop({ url, headers, concurrency, seconds: Math.min(CONFIG.warmup, 5), maxRequests: 200, before });
  const runs = [];
  for (let r = 0; r < CONFIG.runs; r += 1) {
    const res = await closedLoop({ url, headers, concurrency, seconds: CONFIG.latencySeconds, before });
    runs.push(res);
    log(`  ${label} c=${concurrency} run ${r + 1}: ${res.count} requests, p50 ${res.p50.toFixed(1)} ms, p95 ${res.p95.toFixed(1)} ms, p99 ${res.p99.toFixed(1)} ms${res.failures ? `, ${res.failures} failures` : ''}`);
  }
  return {
    concurrency,
    bytes: runs.at(-1)?.bytes ?? warm.bytes,
    p50: spread(runs.map((x) => x.p50)),
    p95: spread(runs.map((x) => x.p95)),
    p99: spread(runs.map((x) => x.p99)),
    rps: spread(runs.map((x) => x.rps)),
    count: runs.reduce((n, x) => n + x.count, 0),
    failures: runs.reduce((n, x) => n + x.failures, 0) + warm.failures,
    runs,
  };
}

/** The quarter that is running now (UTC calendar; the report's own time zone is a few hours off at most). */
function currentQuarter() {
  const now = new Date();
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

/** One GET without decompressing: the bytes on the wire, the encoding, the time. */
function wireGet(url, headers) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.get(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode, bytes, encoding: res.headers['content-encoding'] ?? 'identity', ms: performance.now() - t }));
      res.on('error', reject);
    });
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/**
 * Scenarios 4 and 5 against one running service; `extended` adds the report-delivery scenarios (first pull with
 * nothing kept, the running quarter, bytes on the wire). `databaseUrl` lets the first-pull loop empty kept_report.
 */
async function readScenarios(service, state, { databaseUrl, extended = true } = {}) {
  const out = { rssMb: {} };
  const rss = async (label) => {
    const m = await memoryOf(service.child.pid);
    const heap = await heapOf(service, state.keys.admin);
    out.rssMb[label] = { rss: m.rssMb, hwm: m.hwmMb, anon: m.anonMb, file: m.fileMb, ...heap };
    log(`  service RSS after ${label}: ${f0(m.rssMb)} MB (VmHWM ${f0(m.hwmMb)} MB; JS heap ${f0(heap.heapTotal)} MB of which ${f0(heap.heapUsed)} used, external ${f0(heap.external)} MB)`);
  };
  await rss('scenarios 1–3');
  const funderHeaders = { authorization: `Bearer ${state.keys.funder}` };
  const adminHeaders = { authorization: `Bearer ${state.keys.admin}` };
  const reportUrl = `${service.base}/api/v1/funders/${state.ids.funder}/report?period=${state.reportPeriod}`;
  if (!CONFIG.skip.has('4')) {
    const probe = await fetchJson(reportUrl, { headers: funderHeaders });
    if (probe.status !== 200) throw new Error(`funder report answered ${probe.status}: ${JSON.stringify(probe.json).slice(0, 300)}`);
    out.reportShape = {
      clusters: probe.json.clusters.length,
      items: probe.json.clusters.reduce((n, c) => n + c.goals.length + c.activities.length + c.lowHangingFruits.length, 0),
      changes: probe.json.clusters.reduce((n, c) => n + [...c.goals, ...c.activities, ...c.lowHangingFruits].reduce((k, i) => k + i.changes.length, 0), 0),
    };
    // The probe kept the ended quarter (unless the service runs with REPORT_KEEP=false): these are repeat pulls,
    // asking for compression as browsers, BI tools and HTTP libraries do (the kept bytes are sent as they are).
    out.report = {};
    for (const c of [1, 4]) out.report[c] = await latencyScenario('report', reportUrl, { ...funderHeaders, 'accept-encoding': 'gzip, deflate, br' }, c);
    await rss('repeat pulls');
    if (extended) {
      out.reportIdentity = await latencyScenario('report, no Accept-Encoding', reportUrl, funderHeaders, 4);
      await rss('repeat pulls without Accept-Encoding');
    }
  }
  if (databaseUrl && !CONFIG.skip.has('first')) {
    // The first pull with nothing kept: kept_report emptied (not timed) before every request.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      out.firstPull = await latencyScenario('first pull', reportUrl, funderHeaders, 1, () => client.query('DELETE FROM kept_report'));
    } finally {
      await client.end();
    }
    await rss('first pulls');
  }
  if (extended && !CONFIG.skip.has('open')) {
    const quarter = currentQuarter();
    const url = `${service.base}/api/v1/funders/${state.ids.funder}/report?period=${quarter}`;
    const probe = await fetchJson(url, { headers: funderHeaders });
    if (probe.status !== 200) throw new Error(`the running quarter's report answered ${probe.status}`);
    out.openQuarter = quarter;
    out.open = await latencyScenario(`open ${quarter}`, url, funderHeaders, 4);
    await rss('running quarter');
  }
  if (extended && !CONFIG.skip.has('wire')) {
    out.wire = [];
    for (const [label, period] of [
      [`ended ${state.reportPeriod}`, state.reportPeriod],
      [`running ${currentQuarter()}`, currentQuarter()],
    ]) {
      for (const format of ['json', 'csv']) {
        const url = `${service.base}/api/v1/funders/${state.ids.funder}/report?period=${period}&format=${format}`;
        const row = { label, format };
        for (const encoding of ['identity', 'gzip', 'br']) {
          const headers = { ...funderHeaders, ...(encoding === 'identity' ? {} : { 'accept-encoding': encoding }) };
          await wireGet(url, headers); // the ended one kept, both warm
          const res = await wireGet(url, headers);
          if (res.status !== 200) throw new Error(`${url} (${encoding}) answered ${res.status}`);
          row[encoding] = { bytes: res.bytes, encoding: res.encoding, ms: res.ms };
        }
        out.wire.push(row);
        log(`  wire ${label} ${format}: ${row.identity.bytes} B, gzip ${row.gzip.bytes} B (${row.gzip.encoding}), br ${row.br.bytes} B (${row.br.encoding})`);
      }
    }
  }
  if (extended && databaseUrl && !CONFIG.skip.has('xlsx')) {
    // The funder's workbook of the ended quarter, built (kept_report emptied before each round): one, then as many
    // at once as the service builds reports (REPORT_CONCURRENCY, 2). Its memory is in the run's peak RSS.
    const url = `${reportUrl}&format=xlsx`;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    out.xlsx = [];
    try {
      for (const concurrency of [1, 2, 2]) {
        await client.query('DELETE FROM kept_report');
        const t = performance.now();
        const answers = await Promise.all(
          Array.from({ length: concurrency }, () => fetch(url, { headers: funderHeaders }).then(async (r) => ({ status: r.status, bytes: (await r.arrayBuffer()).byteLength }))),
        );
        const ms = performance.now() - t;
        if (answers.some((a) => a.status !== 200)) throw new Error(`the workbook answered ${answers.map((a) => a.status).join(', ')}`);
        out.xlsx.push({ concurrency, ms, bytes: answers[0].bytes });
        log(`  workbook ${state.reportPeriod}, ${concurrency} at once: ${f0(ms)} ms, ${answers[0].bytes} B each`);
      }
    } finally {
      await client.end();
    }
    await rss('workbooks');
  }
  if (extended && !CONFIG.skip.has('indicators')) out.totals = await totalsScenario(service, state, databaseUrl);
  if (!CONFIG.skip.has('5')) {
    const url = `${service.base}/api/v1/dashboard`;
    const probe = await fetchJson(url, { headers: adminHeaders });
    if (probe.status !== 200) throw new Error(`dashboard answered ${probe.status}`);
    out.dashboardClusters = probe.json.items.length;
    out.dashboard = await latencyScenario('dashboard', url, adminHeaders, CONFIG.dashboardConcurrency);
    await rss('dashboard');
  }
  return out;
}

/**
 * Indicator totals of the big funder (issue 25), funder key, c=4: the running calendar year (added up on every pull),
 * the year before once kept (the probe keeps it), and that year added up on every pull (kept rows of totals
 * emptied before each request, c=1: what the first pull costs).
 */
async function totalsScenario(service, state, databaseUrl) {
  const year = new Date().getUTCFullYear();
  const headers = { authorization: `Bearer ${state.keys.funder}` };
  const url = (period) => `${service.base}/api/v1/funders/${state.ids.funder}/indicator-totals?period=${period}`;
  const out = { running: String(year), ended: String(year - 1) };
  for (const period of [out.running, out.ended]) {
    const probe = await fetchJson(url(period), { headers });
    if (probe.status !== 200) throw new Error(`indicator totals of ${period} answered ${probe.status}: ${JSON.stringify(probe.json).slice(0, 300)}`);
    out[period === out.running ? 'runningShape' : 'endedShape'] = {
      items: probe.json.items.length,
      clusters: new Set(probe.json.items.flatMap((i) => i.clusters.map((c) => c.clusterId))).size,
      organisations: probe.json.items.filter((i) => i.definition.aggregation === 'organisations').reduce((n, i) => n + i.total, 0),
      overlap: probe.json.items.reduce((n, i) => n + i.overlap, 0),
    };
  }
  // The floor on this machine at this moment: a read of one row with the same key and the same concurrency.
  out.floorLatency = await latencyScenario('GET funder (floor)', `${service.base}/api/v1/funders/${state.ids.funder}`, headers, 4);
  out.runningLatency = await latencyScenario(`indicator totals ${out.running} (running)`, url(out.running), headers, 4);
  out.keptLatency = await latencyScenario(`indicator totals ${out.ended} (kept)`, url(out.ended), headers, 4);
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // Every kept row goes (reports included): the next report scenario keeps its report again.
      out.firstLatency = await latencyScenario(`indicator totals ${out.ended} (first pull)`, url(out.ended), headers, 1, () => client.query('DELETE FROM kept_report'));
    } finally {
      await client.end();
    }
  }
  return out;
}

/**
 * BENCH_BURST (24) concurrent funder reports over the last BENCH_BURST_DAYS (3660) days, ending today (a period
 * still running: the same report, built once for the pulls at the same time unless REPORT_OPEN_KEEP_SECONDS=0), while one client requests GET /activities/{id} back to back:
 * the service's peak RSS during the burst (VmHWM reset just before it, the run's peak so far kept aside; VmRSS
 * sampled every 50 ms) and the unrelated GET's latency.
 */
async function burstScenario(service, state) {
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (CONFIG.burstDays - 1) * 86_400_000).toISOString().slice(0, 10);
  const reportUrl = `${service.base}/api/v1/funders/${state.ids.funder}/report?from=${from}&to=${to}`;
  const getUrl = `${service.base}/api/v1/activities/${state.ids.activity}`;
  const funder = { authorization: `Bearer ${state.keys.funder}` };
  const admin = { authorization: `Bearer ${state.keys.admin}` };
  log(`burst: ${CONFIG.burst} concurrent funder reports ${from} .. ${to}, GET activity meanwhile`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const alone = await wireGet(reportUrl, funder);
  if (alone.status !== 200) throw new Error(`the 10-year report answered ${alone.status}`);
  for (let i = 0; i < 20; i++) await get(getUrl, admin, agent);
  const before = await memoryOf(service.child.pid);
  let reset = false;
  try {
    (await import('node:fs')).writeFileSync(`/proc/${service.child.pid}/clear_refs`, '5');
    reset = true;
    service.hwmFloorMb = Math.max(service.hwmFloorMb, before.hwmMb);
  } catch {
    // not allowed here: the sampled peak only
  }
  let sampled = before.rssMb;
  const sampler = setInterval(() => memoryOf(service.child.pid).then((m) => (sampled = Math.max(sampled, m.rssMb || 0)), () => {}), 50);
  let bursting = true;
  const samples = [];
  let failures = 0;
  const getter = (async () => {
    while (bursting) {
      const t = performance.now();
      try {
        const res = await get(getUrl, admin, agent);
        if (res.status === 200) samples.push(performance.now() - t);
        else failures += 1;
      } catch {
        failures += 1;
      }
    }
  })();
  const t0 = performance.now();
  const answers = await Promise.all(Array.from({ length: CONFIG.burst }, () => wireGet(reportUrl, funder).catch(() => ({ status: 'error', ms: NaN }))));
  const burstMs = performance.now() - t0;
  bursting = false;
  await getter;
  clearInterval(sampler);
  agent.destroy();
  const during = await memoryOf(service.child.pid);
  const byStatus = {};
  for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
  const sorted = samples.sort((a, b) => a - b);
  const result = {
    from,
    to,
    bytes: alone.bytes,
    aloneMs: alone.ms,
    burstMs,
    byStatus,
    rssBeforeMb: before.rssMb,
    peakRssMb: Math.max(sampled, reset ? during.hwmMb : 0),
    hwmReset: reset,
    rssAfterMb: during.rssMb,
    get: { count: sorted.length, failures, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? NaN },
  };
  log(`  ${Object.entries(byStatus).map(([k, n]) => `${n} × ${k}`).join(', ')} in ${f0(burstMs)} ms; peak RSS ${f0(result.peakRssMb)} MB (before ${f0(before.rssMb)}); GET activity p95 ${f1(result.get.p95)} ms over ${sorted.length}`);
  return result;
}

// ------------------------------------------------------------------ results

const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const mmm = (s, f = f0) => (s ? `${f(s.min)} / **${f(s.median)}** / ${f(s.max)}` : '–');
const met = (ok) => (ok === undefined ? '–' : ok ? 'met' : '**not met**');

function renderMarkdown(r) {
  const L = [];
  L.push('# Styrman benchmark results', '');
  L.push(`Run ${r.date} — ${r.config.runs} measured run(s) per figure, shown as min / **median** / max.`, '');
  L.push('## Machine and versions', '');
  L.push('| | |', '| --- | --- |');
  L.push(`| CPU | ${r.machine.cores} cores, ${r.machine.cpuModel} |`);
  L.push(`| memory | ${r.machine.memoryGb.toFixed(1)} GiB |`);
  L.push(`| OS | ${r.machine.os} |`);
  L.push(`| Node.js | ${r.machine.node} |`);
  L.push(`| PostgreSQL | ${r.machine.postgres} |`);
  L.push(`| database server | ${r.machine.dbServer} |`);
  L.push(`| settings | ${r.config.seconds} s per throughput run, ${r.config.latencySeconds} s per latency run, ${r.config.warmup} s warm-up, ${r.config.connections} connections, pool ${r.config.pool}, rate limit ${r.config.rateLimit}/min |`);
  L.push('');
  L.push('## Data', '');
  L.push(`Seeded ${r.data.generatedAt} (scale ${r.data.scale}, span \`${r.data.span}\`, ${r.data.years} years at 1×), report period \`${r.data.reportPeriod}\`.`, '');
  L.push(
    '| database | clusters | goals | activities | fruits | measurements | status updates | revisions | size |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const [k, d] of Object.entries(r.data.databases)) {
    const c = d.counts;
    L.push(`| ${d.name} (${k}) | ${c.clusters} | ${c.goals} | ${c.activities} | ${c.fruits} | ${c.measurements} | ${c.status_updates} | ${c.revisions ?? '–'} | ${c.size} |`);
  }
  L.push('');
  L.push('## Context', '');
  L.push('| measure | min / **median** / max |', '| --- | ---: |');
  if (r.context.pgbench?.skipped) L.push(`| pgbench | skipped: ${r.context.pgbench.skipped} |`);
  else if (r.context.pgbench) {
    const p = r.context.pgbench;
    L.push(`| pgbench -S (select-only), scale ${p.scale}, ${p.clients} clients, ${p.seconds} s | ${f0(p.selectOnlyTps)} TPS |`);
    L.push(`| pgbench -N (simple update), scale ${p.scale}, ${p.clients} clients, ${p.seconds} s | ${f0(p.simpleUpdateTps)} TPS |`);
  }
  if (r.context.hello) L.push(`| hello-world node:http, ${r.config.connections} connections | ${mmm(r.context.hello.rps)} req/s |`);
  L.push('');
  L.push('## Scenarios', '');
  L.push('| # | scenario | measure | service | baseline | ratio | target | |', '| --- | --- | --- | ---: | ---: | ---: | --- | --- |');
  for (const s of r.throughput) {
    L.push(`| ${s.id} | ${s.title} | req/s (2xx) | ${mmm(s.service)} | ${mmm(s.baseline)} | ${f2(s.ratio)} | ≥ ${TARGETS.throughputRatio[s.id]} × baseline | ${met(s.ratio >= TARGETS.throughputRatio[s.id] && s.failures === 0)}${s.failures ? ` (${s.failures} failed requests)` : ''} |`);
  }
  const x1 = r.latency['1x'];
  const x4 = r.latency['4x'];
  if (x1?.report) {
    const shape = x1.reportShape;
    const what = `funder report, ended quarter ${r.data.reportPeriod}, repeat pull (kept, sent compressed), ${shape.clusters} clusters, ${shape.items} items, ${shape.changes} changes, ${((x1.reportIdentity ?? x1.report[1]).bytes / 1e6).toFixed(1)} MB of JSON (${(x1.report[1].bytes / 1e6).toFixed(2)} MB sent)`;
    for (const c of [1, 4]) {
      const s = x1.report[c];
      L.push(`| 4 | ${c === 1 ? what : ''} | p50 ms, c=${c} | ${mmm(s.p50, f1)} | | | | |`);
      L.push(`| 4 | | p95 ms, c=${c} | ${mmm(s.p95, f1)} | | | ${c === 4 ? `≤ ${TARGETS.reportP95Ms} ms` : ''} | ${c === 4 ? met(s.p95.median <= TARGETS.reportP95Ms) : ''} |`);
      L.push(`| 4 | | p99 ms, c=${c} | ${mmm(s.p99, f1)} | | | | |`);
      L.push(`| 4 | | req/s, c=${c} | ${mmm(s.rps, f1)} | | | | |`);
    }
    if (x1.reportIdentity) {
      const s = x1.reportIdentity;
      L.push(`| 4 | the same without Accept-Encoding (gunzipped as it is sent), c=4 | p50 / p95 ms | ${mmm(s.p50, f1)} / ${mmm(s.p95, f1)} | | | | |`);
      L.push(`| 4 | | req/s | ${mmm(s.rps, f1)} | | | | |`);
    }
    if (r.build) {
      const ratio = x1.report[4].rps.median / r.build.rps.median;
      L.push(`| 4b | the same built on every pull (\`REPORT_KEEP=false\`), c=4 | p95 ms | ${mmm(r.build.p95, f1)} | | | | |`);
      L.push(`| 4b | | req/s | ${mmm(r.build.rps, f1)} | | ${f1(ratio)} (kept ÷ built) | ≥ ${TARGETS.keptSpeedup} × | ${met(ratio >= TARGETS.keptSpeedup)} |`);
    }
  }
  if (x1?.firstPull) {
    const s = x1.firstPull;
    L.push(`| 4f | the same, first pull with nothing kept (kept_report emptied before each), c=1 | p50 ms | ${mmm(s.p50, f1)} | | | | |`);
    L.push(`| 4f | | p95 ms | ${mmm(s.p95, f1)} | | | ≤ ${TARGETS.firstPullP95Ms} ms | ${met(s.p95.median <= TARGETS.firstPullP95Ms)} |`);
  }
  if (x1?.open) {
    const s = x1.open;
    L.push(`| 4o | funder report, running quarter ${x1.openQuarter} (built once per snapshot, kept until one of its clusters is written to), ${(s.bytes / 1e6).toFixed(1)} MB, c=4 | p50 ms | ${mmm(s.p50, f1)} | | | | |`);
    L.push(`| 4o | | p95 ms | ${mmm(s.p95, f1)} | | | ≤ ${TARGETS.openP95Ms} ms | ${met(s.p95.median <= TARGETS.openP95Ms)} |`);
    L.push(`| 4o | | req/s | ${mmm(s.rps, f1)} | | | | |`);
  }
  if (r.burst) {
    const b = r.burst;
    const answers = Object.entries(b.byStatus).map(([k, n]) => `${n} × ${k}`).join(', ');
    L.push(`| 7 | ${r.config.burst} concurrent funder reports ${b.from} .. ${b.to} (${(b.bytes / 1e6).toFixed(1)} MB each, ${f0(b.aloneMs)} ms alone): ${answers} in ${f0(b.burstMs)} ms | peak RSS MB (${b.hwmReset ? 'VmHWM reset before' : 'sampled'}) | ${f0(b.peakRssMb)} | | | ≤ ${TARGETS.peakRssMb} MB | ${met(b.peakRssMb <= TARGETS.peakRssMb)} |`);
    L.push(`| 7 | | GET activity meanwhile, p95 ms (${b.get.count} requests, ${b.get.failures} failed) | ${f1(b.get.p95)} | | | ≤ ${TARGETS.burstGetP95Ms} ms | ${met(b.get.p95 <= TARGETS.burstGetP95Ms && b.get.failures === 0)} |`);
  }
  if (x1?.dashboard) {
    const s = x1.dashboard;
    const what = `dashboard, ${x1.dashboardClusters} clusters, c=${s.concurrency}`;
    L.push(`| 5 | ${what} | p50 ms | ${mmm(s.p50, f1)} | | | | |`);
    L.push(`| 5 | | p95 ms | ${mmm(s.p95, f1)} | | | ≤ ${TARGETS.dashboardP95Ms} ms | ${met(s.p95.median <= TARGETS.dashboardP95Ms)} |`);
    L.push(`| 5 | | p99 ms | ${mmm(s.p99, f1)} | | | | |`);
  }
  if (x1?.totals) {
    const t = x1.totals;
    const shape = (x) => `${x.clusters} clusters, ${x.items} definitions, ${x.organisations} organisations (${x.overlap} counted twice by the clusters)`;
    L.push(`| 8 | indicator totals of the funder, running year ${t.running} (added up on every pull), ${shape(t.runningShape)}, c=4 | p50 ms | ${mmm(t.runningLatency.p50, f1)} | | | | |`);
    L.push(`| 8 | | p95 ms | ${mmm(t.runningLatency.p95, f1)} | | | ≤ ${TARGETS.totalsRunningP95Ms} ms | ${met(t.runningLatency.p95.median <= TARGETS.totalsRunningP95Ms)} |`);
    L.push(`| 8 | indicator totals, ended year ${t.ended} (kept), ${shape(t.endedShape)}, c=4 | p50 ms | ${mmm(t.keptLatency.p50, f1)} | | | | |`);
    L.push(`| 8 | | p95 ms | ${mmm(t.keptLatency.p95, f1)} | | | ≤ ${TARGETS.totalsKeptP95Ms} ms | ${met(t.keptLatency.p95.median <= TARGETS.totalsKeptP95Ms)} |`);
    L.push(`| 8 | for comparison: GET /funders/{id} (one row), the same key, c=4 | p50 ms | ${mmm(t.floorLatency.p50, f1)} | | | | |`);
    L.push(`| 8 | | p95 ms | ${mmm(t.floorLatency.p95, f1)} | | | | |`);
    if (t.firstLatency) {
      L.push(`| 8 | the ended year, first pull (nothing kept), c=1 | p50 ms | ${mmm(t.firstLatency.p50, f1)} | | | | |`);
      L.push(`| 8 | | p95 ms | ${mmm(t.firstLatency.p95, f1)} | | | | |`);
    }
  }
  if (r.growth) {
    for (const g of r.growth) {
      L.push(`| 6 | ${g.title} | ${g.measure} | 1×: ${mmm(g.x1, f1)} | 4×: ${mmm(g.x4, f1)} | ${f2(g.ratio)} | ${g.target ? `≤ ${TARGETS.growthRatio}` : ''} | ${g.target ? met(g.ratio <= TARGETS.growthRatio) : ''} |`);
    }
    const shape = (s) => (s ? `${s.clusters} clusters, ${s.items} items, ${s.changes} changes in the period` : '–');
    if (x1?.reportShape && x4?.reportShape) L.push(`| 6 | report contents | | 1×: ${shape(x1.reportShape)} | 4×: ${shape(x4.reportShape)} | | | |`);
  }
  if (x1?.wire) {
    L.push('', '## Bytes on the wire (funder report of the funder key)', '');
    L.push('| period | format | identity | gzip | br |', '| --- | --- | ---: | ---: | ---: |');
    const cell = (w, id) => `${(w.bytes / 1e3).toFixed(0)} kB${w.encoding === 'identity' ? '' : ` (${((100 * w.bytes) / id.bytes).toFixed(1)} %)`}, ${f0(w.ms)} ms`;
    for (const w of x1.wire) L.push(`| ${w.label} | ${w.format} | ${cell(w.identity, w.identity)} | ${cell(w.gzip, w.identity)} | ${cell(w.br, w.identity)} |`);
    L.push('', 'The ended quarter is sent as kept (compressed once, when it was kept); the running quarter is compressed as it is streamed.');
  }
  if (x1?.xlsx) {
    L.push('', '## Workbooks (funder report of the funder key as XLSX, built: nothing kept)', '');
    L.push('| period | at once | ms | bytes each |', '| --- | ---: | ---: | ---: |');
    for (const w of x1.xlsx) L.push(`| ${r.data.reportPeriod} | ${w.concurrency} | ${f0(w.ms)} | ${w.bytes} |`);
  }
  if (x1?.rssMb) {
    L.push('', '## Service memory along the 1× run', '');
    L.push('| after | RSS MB | VmHWM MB | anonymous / file-backed MB | JS heap total / used MB | Buffers (external) MB |', '| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [label, m] of Object.entries(x1.rssMb)) L.push(`| ${label} | ${f0(m.rss)} | ${f0(m.hwm)} | ${f0(m.anon)} / ${f0(m.file)} | ${f0(m.heapTotal)} / ${f0(m.heapUsed)} | ${f0(m.external)} |`);
    if (r.burst) L.push(`| the burst (VmHWM reset before it) | ${f0(r.burst.rssAfterMb)} | ${f0(r.burst.peakRssMb)} |`);
    L.push('', '## Scenarios (continued)', '');
    L.push('| # | scenario | measure | service | baseline | ratio | target | |', '| --- | --- | --- | ---: | ---: | ---: | --- | --- |');
  }
  const rss = r.memory;
  L.push(`| – | peak RSS (VmHWM) over the whole run | MB | ${f0(rss.serviceVmHwmMb)} | ${f0(rss.baselineVmHwmMb)} | | ≤ ${TARGETS.peakRssMb} MB | ${met(rss.serviceVmHwmMb <= TARGETS.peakRssMb)} |`);
  L.push(`| – | RSS right after start-up (idle) | MB | ${f0(rss.service1x?.idleRssMb)} | | | | |`);
  if (r.idle) L.push(`| – | idle CPU over ${r.idle.seconds} s right after start-up: service / its ${r.idle.backends} database backends | CPU s | ${r.idle.serviceCpuSeconds.toFixed(2)} / ${r.idle.backendCpuSeconds.toFixed(2)} | | | | |`);
  if (r.paused) {
    const p = r.paused;
    L.push(`| – | ${p.readers} paused readers of the running quarter's CSV (${p.paused} paused${p.holding === undefined ? '' : `, ${p.holding} of them holding a slot`}; a service with a slot each): RSS before → paused → after they left | MB | ${f0(p.rssBeforeMb)} → ${f0(p.rssPausedMb)} → ${f0(p.rssAfterMb)} (+${f0(p.rssPausedMb - p.rssBeforeMb)}) | | | | |`);
  }
  L.push('');
  L.push('Ratios are of medians (service ÷ baseline; 4× ÷ 1×). Throughput counts only 2xx responses. Latency percentiles are exact (every request timed) within a run; with few requests per run, p99 is close to the slowest request. The growth target (≤ 1.5) is judged on p50; p95 is shown for context.');
  L.push('', `Peak RSS is the kernel's high-water mark (VmHWM) of the service process, the larger of its 1× and 4× instances. The service is started through its launcher (dist/src/launch.js), which sizes the heap from MEMORY_LIMIT_MB (default 256, or the cgroup's limit)${r.config.nodeOptions ? `; this run set NODE_OPTIONS=\`${r.config.nodeOptions}\``: ''}. The 1× scenarios run on a copy of the seeded database made at the start of the run (CREATE DATABASE … TEMPLATE) and dropped at its end, so scenario 3's writes never accumulate across runs.`);
  if (x4 && !x4.report && !x4.dashboard) L.push('', 'Scenario 6 was skipped (no 4× database, or skipped by BENCH_SKIP).');
  if (r.fidelity.length) {
    L.push('', '## Service and baseline answer alike', '');
    for (const f of r.fidelity) L.push(`- ${f}`);
  }
  if (r.warnings.length) {
    L.push('', '## Warnings', '');
    for (const w of r.warnings) L.push(`- ${w}`);
  }
  L.push('');
  return L.join('\n');
}

// ------------------------------------------------------------------ main

async function main() {
  requireDist();
  const state = await readState();
  if (!state) {
    console.error('bench/.state.json is missing: run `npm run bench:seed` first.');
    process.exit(2);
  }
  await mkdir(RAW_DIR, { recursive: true });
  const tAll = performance.now();
  const warnings = [];
  const fidelity = [];

  if (state.server.mode === 'url' && !process.env.DATABASE_URL) process.env.DATABASE_URL = state.server.url;
  if (state.server.mode === 'embedded' && process.env.DATABASE_URL) {
    warnings.push('DATABASE_URL is set but the seed used the embedded PostgreSQL: using DATABASE_URL.');
  }
  const server = await startDatabaseServer({ dataDir: state.server.dataDir ?? undefined, log: (m) => log(m) });
  let cleaned = false;
  let dropCopy = async () => {};
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await Promise.all([...children].map(stopChild));
    await dropCopy().catch((error) => log(`could not drop the copy: ${error.message}`));
    await server.stop();
  };
  const onSignal = (signal) => {
    log(`${signal}: stopping`);
    void cleanup().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results = {
    date: new Date().toISOString(),
    config: { ...CONFIG, skip: [...CONFIG.skip] },
    machine: {},
    data: {
      generatedAt: state.generatedAt,
      scale: state.scale,
      span: state.span,
      years: state.years,
      reportPeriod: state.reportPeriod,
      databases: state.databases,
    },
    context: {},
    throughput: [],
    latency: {},
    growth: undefined,
    memory: {},
    fidelity,
    warnings,
  };

  try {
    const db1 = state.databases['1x'];
    if (!db1) throw new Error('No 1× database in bench/.state.json: seed with --history=1,4');
    // Every 1× scenario works on a copy made afresh from the seeded database (scenario 3 writes status updates,
    // which are append-only): a later run measures the same data as this one. Dropped again at the end.
    const copyName = `${db1.name}_run`;
    {
      const admin = new pg.Client({ connectionString: server.serverUrl });
      await admin.connect();
      const t = performance.now();
      await admin.query(`DROP DATABASE IF EXISTS ${copyName} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${copyName} TEMPLATE ${db1.name} STRATEGY FILE_COPY`);
      await admin.end();
      log(`copied ${db1.name} to ${copyName} in ${secondsSince(t)} s`);
      dropCopy = async () => {
        const c = new pg.Client({ connectionString: server.serverUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${copyName} WITH (FORCE)`).finally(() => c.end());
      };
    }
    const url1 = withDatabase(server.serverUrl, copyName);
    const probe = new pg.Client({ connectionString: url1 });
    await probe.connect();
    const { rows } = await probe.query(`SELECT current_setting('server_version') AS v, (SELECT count(*) FROM status_update)::int AS n`);
    await probe.end();
    results.machine = {
      cores: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: os.totalmem() / 2 ** 30,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      postgres: rows[0].v,
      dbServer: server.mode === 'embedded' ? `embedded (${server.dataDir}), 127.0.0.1` : 'DATABASE_URL',
    };
    log(`${results.machine.cores} cores, ${results.machine.memoryGb.toFixed(1)} GiB, Node ${process.version}, PostgreSQL ${rows[0].v}; ${rows[0].n} status updates in ${db1.name}`);

    if (!CONFIG.skip.has('pgbench')) {
      log('context: pgbench');
      try {
        results.context.pgbench = await runPgbench(server.serverUrl);
        log(`  pgbench -S ${f0(results.context.pgbench.selectOnlyTps)} TPS, -N ${f0(results.context.pgbench.simpleUpdateTps)} TPS`);
      } catch (error) {
        results.context.pgbench = { skipped: `failed: ${String(error.message ?? error).split('\n')[0]}` };
        warnings.push(`pgbench failed: ${String(error.message ?? error).split('\n')[0]}`);
      }
    }
    if (!CONFIG.skip.has('hello')) {
      log('context: hello-world node:http');
      results.context.hello = await runHello();
      log(`  hello-world median ${f0(results.context.hello.rps.median)} req/s`);
    }

    // ---- 1× database: service and baseline side by side
    const service = await startService(url1, '1x');
    if (!CONFIG.skip.has('idle')) results.idle = await idleCpu(service, url1, CONFIG.idleSeconds);
    const baseline = await startBaseline(url1);
    const admin = { authorization: `Bearer ${state.keys.admin}` };

    const sameBody = async (label, path) => {
      const [a, b] = await Promise.all([fetchJson(service.base + path, { headers: admin }), fetchJson(baseline.base + path, { headers: admin })]);
      const same = a.status === b.status && isDeepStrictEqual(a.json, b.json);
      const line = `${label}: service ${a.status}, baseline ${b.status}, bodies ${same ? 'identical' : 'DIFFER'}`;
      fidelity.push(line);
      if (!same) warnings.push(line);
      log(`  ${line}`);
    };
    const activityPath = `/api/v1/activities/${state.ids.activity}`;
    const goalsPath = `/api/v1/clusters/${state.ids.cluster}/goals?limit=50`;
    await sameBody('GET activity', activityPath);
    await sameBody('GET goals?limit=50', goalsPath);
    const postPaths = state.ids.activities.map((id) => `/api/v1/activities/${id}/status-updates`);
    {
      const init = { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: '{"status":"green"}' };
      const [a, b] = await Promise.all([fetchJson(service.base + postPaths[0], init), fetchJson(baseline.base + postPaths[1], init)]);
      const keysA = Object.keys(a.json ?? {}).join(',');
      const keysB = Object.keys(b.json ?? {}).join(',');
      const line = `POST status-updates: service ${a.status}, baseline ${b.status}, fields ${keysA === keysB ? 'identical' : 'DIFFER'}`;
      fidelity.push(line);
      if (a.status !== 201 || b.status !== 201 || keysA !== keysB) warnings.push(line);
      log(`  ${line}`);
    }

    const post = { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: '{"status":"green"}', paths: postPaths, path: postPaths[0] };
    if (!CONFIG.skip.has('1')) results.throughput.push(await abScenario(1, 'GET /api/v1/activities/{id}', service, baseline, { path: activityPath, headers: admin }));
    if (!CONFIG.skip.has('2')) results.throughput.push(await abScenario(2, 'GET /api/v1/clusters/{id}/goals?limit=50', service, baseline, { path: goalsPath, headers: admin }));
    if (!CONFIG.skip.has('3')) results.throughput.push(await abScenario(3, `POST /api/v1/activities/{id}/status-updates over ${postPaths.length} activities`, service, baseline, post));
    const baselineMemory = await baseline.memory();
    await stopChild(baseline.child);

    log('scenarios 4 and 5 on the 1× database');
    results.latency['1x'] = await readScenarios(service, state, { databaseUrl: url1 });
    if (!CONFIG.skip.has('burst')) results.burst = await burstScenario(service, state);
    const memory1 = { ...(await service.memory()), idleRssMb: service.idleRssMb };
    memory1.vmHwmMb = Math.max(memory1.vmHwmMb, service.hwmFloorMb);
    await stopChild(service.child);

    // ---- paused readers of the running quarter, on a service with a slot for each
    if (!CONFIG.skip.has('paused')) {
      const readers = CONFIG.pausedReaders;
      const paused = await startService(url1, '1x-paused', { REPORT_CONCURRENCY: String(readers), DB_POOL_SIZE: String(2 * readers + 10), REPORT_QUEUE_TIMEOUT_MS: '60000' });
      results.paused = await pausedReaders(paused, state, readers);
      await stopChild(paused.child);
    }

    // ---- the same ended quarter built on every pull (nothing kept): what a repeat pull is compared with
    let memoryBuild = { vmHwmMb: NaN, peakRssSampledMb: NaN };
    if (!CONFIG.skip.has('build') && !CONFIG.skip.has('4')) {
      log('the ended quarter built on every pull (REPORT_KEEP=false), c=4');
      const builder = await startService(url1, '1x-build', { REPORT_KEEP: 'false' });
      const url = `${builder.base}/api/v1/funders/${state.ids.funder}/report?period=${state.reportPeriod}`;
      results.build = await latencyScenario('build', url, { authorization: `Bearer ${state.keys.funder}` }, 4);
      memoryBuild = await builder.memory();
      await stopChild(builder.child);
    }

    // ---- 4× database: the same reads, on 4× the history
    const db4 = state.databases['4x'];
    let memory4 = { vmHwmMb: NaN, peakRssSampledMb: NaN };
    if (db4 && !CONFIG.skip.has('6')) {
      log(`scenario 6: the same reads on ${db4.name}`);
      const service4 = await startService(withDatabase(server.serverUrl, db4.name), '4x');
      results.latency['4x'] = await readScenarios(service4, state, { databaseUrl: withDatabase(server.serverUrl, db4.name), extended: false });
      memory4 = { ...(await service4.memory()), idleRssMb: service4.idleRssMb };
      await stopChild(service4.child);
      const a = results.latency['1x'];
      const b = results.latency['4x'];
      results.growth = [];
      if (a.report && b.report) {
        for (const c of [1, 4]) {
          results.growth.push({ title: `funder report, c=${c}`, measure: 'p50 ms', x1: a.report[c].p50, x4: b.report[c].p50, ratio: b.report[c].p50.median / a.report[c].p50.median, target: true });
          results.growth.push({ title: `funder report, c=${c}`, measure: 'p95 ms', x1: a.report[c].p95, x4: b.report[c].p95, ratio: b.report[c].p95.median / a.report[c].p95.median, target: false });
        }
      }
      if (a.firstPull && b.firstPull) {
        results.growth.push({ title: 'funder report, first pull (nothing kept), c=1', measure: 'p50 ms', x1: a.firstPull.p50, x4: b.firstPull.p50, ratio: b.firstPull.p50.median / a.firstPull.p50.median, target: true });
      }
      if (a.dashboard && b.dashboard) {
        results.growth.push({ title: 'dashboard', measure: 'p50 ms', x1: a.dashboard.p50, x4: b.dashboard.p50, ratio: b.dashboard.p50.median / a.dashboard.p50.median, target: true });
        results.growth.push({ title: 'dashboard', measure: 'p95 ms', x1: a.dashboard.p95, x4: b.dashboard.p95, ratio: b.dashboard.p95.median / a.dashboard.p95.median, target: false });
      }
    } else if (!db4) {
      warnings.push('No 4× database in bench/.state.json: scenario 6 skipped (seed with --history=1,4).');
    }
    const finite = (x) => (Number.isFinite(x) ? x : 0);
    results.memory = {
      serviceVmHwmMb: Math.max(memory1.vmHwmMb, finite(memory4.vmHwmMb), finite(memoryBuild.vmHwmMb)),
      serviceBuildVmHwmMb: memoryBuild.vmHwmMb,
      serviceSampledPeakRssMb: Math.max(memory1.peakRssSampledMb, Number.isFinite(memory4.peakRssSampledMb) ? memory4.peakRssSampledMb : 0),
      service1x: memory1,
      service4x: memory4,
      baselineVmHwmMb: baselineMemory.vmHwmMb,
    };
    if (results.build?.failures) warnings.push(`The build-on-every-pull scenario had ${results.build.failures} failed requests.`);
    for (const s of results.throughput) if (s.failures) warnings.push(`Scenario ${s.id}: ${s.failures} requests failed (non-2xx, errors or timeouts).`);
    for (const [k, v] of Object.entries(results.latency)) {
      for (const s of [v.report?.[1], v.report?.[4], v.firstPull, v.open, v.dashboard, v.totals?.runningLatency, v.totals?.keptLatency, v.totals?.firstLatency].filter(Boolean)) if (s.failures) warnings.push(`${k}: ${s.failures} failed requests in a latency scenario.`);
    }
  } finally {
    await cleanup();
  }

  results.seconds = Number(secondsSince(tAll));
  const markdown = renderMarkdown(results);
  const stamp = results.date.replace(/[:.]/g, '-');
  // BENCH_RESULTS: another file for the results (a small-scale or partial run must not replace results.md).
  await writeFile(process.env.BENCH_RESULTS ?? join(BENCH_DIR, 'results.md'), markdown);
  await writeFile(join(RAW_DIR, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${markdown}`);
  log(`done in ${results.seconds} s: bench/results.md, bench/results-raw/${stamp}.json`);
}

// Everything started has been stopped by now: a socket or timer left behind by a scenario does not hold the run open.
main().then(() => process.exit(0), async (error) => {
  console.error(error);
  await Promise.all([...children].map(stopChild));
  process.exit(1);
});
