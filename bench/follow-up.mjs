#!/usr/bin/env node
// The follow-up rhythm's two reads against one service process: needs `node bench/seed.mjs`
// (npm run bench:seed) first; uses the 1× database.
//
// Starts the database server and the service (node dist/src/main.js), warms both routes up, then times
// every request of a closed loop at concurrency 1, BENCH_RUNS runs of BENCH_SECONDS each, and gives
// p50 / p95 / p99 per run (min / median / max over runs):
//   1. GET /api/v1/funders/{id}/status-grid over the 12 months before the seed's anchor month, with the funder
//      key of the 50-cluster funder (JSON; SVG too, for the price of drawing it);
//   2. GET /api/v1/needs-update over all 200 clusters (viewer key, the first page of 50).
// Writes the figures to bench/results-raw/follow-up.json. Exits 0 whatever the figures: timed targets belong in
// a benchmark, not in a test that must never flake.
//
// Settings (environment variables, defaults in brackets):
//   BENCH_SECONDS [10]   measured seconds of one run
//   BENCH_RUNS [3]       runs per scenario; the median of each percentile is reported
//   BENCH_WARMUP_SECONDS [3]
//   BENCH_DB_POOL [10]   DB_POOL_SIZE of the service
//   BENCH_DIST           the compiled app to run [dist/]
//   DATABASE_URL         when the seed used it: the same server
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { BENCH_DIR, DIST, envNumber, freePort, percentile, readState, requireDist, ROOT, startDatabaseServer, withDatabase } from './lib.mjs';

const num = envNumber;
const CONFIG = {
  seconds: num('BENCH_SECONDS', 10),
  runs: Math.max(1, Math.round(num('BENCH_RUNS', 3))),
  warmup: num('BENCH_WARMUP_SECONDS', 3),
  pool: Math.round(num('BENCH_DB_POOL', 10)),
  maxRequests: 100_000,
};
const TARGETS = { gridP95Ms: 300, needsUpdateP95Ms: 50 };
const RAW_DIR = join(BENCH_DIR, 'results-raw');
const log = (m) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One GET; resolves with status, bytes and milliseconds. */
function get(url, headers, agent) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.get(url, { headers, agent }, (res) => {
      let bytes = 0;
      const chunks = [];
      res.on('data', (c) => {
        bytes += c.length;
        chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode, bytes, ms: performance.now() - t, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** A closed loop at concurrency 1 for `seconds`: every request timed. */
async function loop(url, headers, agent, seconds) {
  const samples = [];
  let failures = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end && samples.length + failures < CONFIG.maxRequests) {
    const res = await get(url, headers, agent);
    if (res.status === 200) samples.push(res.ms);
    else failures += 1;
  }
  samples.sort((a, b) => a - b);
  return { count: samples.length, failures, p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) };
}

async function scenario(name, url, headers) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await get(url, headers, agent);
    if (first.status !== 200) throw new Error(`${name} answered ${first.status}: ${first.body.toString('utf8').slice(0, 300)}`);
    await loop(url, headers, agent, CONFIG.warmup);
    const runs = [];
    for (let i = 0; i < CONFIG.runs; i++) runs.push(await loop(url, headers, agent, CONFIG.seconds));
    const figure = (k) => ({
      min: Math.min(...runs.map((r) => r[k])),
      median: median(runs.map((r) => r[k])),
      max: Math.max(...runs.map((r) => r[k])),
    });
    return {
      name,
      url: url.replace(/^http:\/\/[^/]+/, ''),
      bytes: first.bytes,
      body: first.body,
      runs,
      p50: figure('p50'),
      p95: figure('p95'),
      p99: figure('p99'),
    };
  } finally {
    agent.destroy();
  }
}

async function waitForHealth(base, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the service exited while starting (see bench/results-raw/follow-up-service.log)');
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the service did not answer within 60 s');
}

/** The 12 calendar months before the month of `anchor`: the last full year of the seeded history. */
function lastTwelveMonths(anchor) {
  const d = new Date(anchor);
  const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0));
  const start = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - 11, 1));
  return { from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10) };
}

async function main() {
  requireDist();
  const state = await readState();
  if (!state?.databases?.['1x']) {
    console.error('bench/.state.json with a 1× database is missing: run `npm run bench:seed` first.');
    process.exit(2);
  }
  await mkdir(RAW_DIR, { recursive: true });
  if (state.server.mode === 'url' && !process.env.DATABASE_URL) process.env.DATABASE_URL = state.server.url;
  const server = await startDatabaseServer({ dataDir: state.server.dataDir ?? undefined, log });
  let child;
  const stop = async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await server.stop();
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));

  try {
    const port = await freePort();
    const fd = openSync(join(RAW_DIR, 'follow-up-service.log'), 'w');
    const env = {
      ...process.env,
      DATABASE_URL: withDatabase(server.serverUrl, state.databases['1x'].name),
      // Required with DATABASE_URL; a fixed one is enough for a benchmark's throw-away webhooks.
      WEBHOOK_SECRET_KEY: process.env.WEBHOOK_SECRET_KEY ?? '5e'.repeat(32),
      SIGNING_KEY: process.env.SIGNING_KEY ?? '7a'.repeat(32),
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
      PORT: String(port),
      HOST: '127.0.0.1',
      DB_POOL_SIZE: String(CONFIG.pool),
      RATE_LIMIT_PER_MINUTE: '1000000',
      NODE_ENV: 'production',
    };
    child = spawn(process.execPath, [join(DIST, 'src', 'main.js')], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, child);
    log(`service ready (pid ${child.pid})`);

    const { from, to } = lastTwelveMonths(state.anchor);
    const funder = { authorization: `Bearer ${state.keys.funder}` };
    const viewer = { authorization: `Bearer ${state.keys.viewer}` };
    const gridUrl = `${base}/api/v1/funders/${state.ids.funder}/status-grid?from=${from}&to=${to}&interval=month`;
    const results = [];
    for (const [name, url, headers] of [
      ['funder status grid, 12 months (JSON)', gridUrl, funder],
      ['funder status grid, 12 months (SVG)', `${gridUrl}&format=svg`, funder],
      ['needs-update, first page of 50', `${base}/api/v1/needs-update?limit=50`, viewer],
    ]) {
      log(`${name}: ${CONFIG.runs} × ${CONFIG.seconds} s at concurrency 1`);
      results.push(await scenario(name, url, headers));
    }
    const grid = JSON.parse(results[0].body.toString('utf8'));
    const needs = JSON.parse(results[2].body.toString('utf8'));
    const shape = {
      gridClusters: grid.clusters.length,
      gridRows: grid.rows.length,
      gridColumns: grid.columns.length,
      needsUpdateTotal: needs.total,
      clusters: state.ids.clusters,
    };
    writeFileSync(
      join(RAW_DIR, 'follow-up.json'),
      `${JSON.stringify({ date: new Date().toISOString(), config: CONFIG, from, to, shape, results: results.map(({ body, ...r }) => r) }, null, 2)}\n`,
    );

    const meets = (ok) => (ok ? 'meets' : 'MISSES');
    console.log('');
    console.log(
      `Funder grid: ${shape.gridClusters} clusters, ${shape.gridRows} items × ${shape.gridColumns} months (${from} .. ${to}); ` +
        `needs-update: ${shape.needsUpdateTotal} items need an update in ${shape.clusters} clusters.`,
    );
    console.log('| scenario | bytes | p50 ms | p95 ms | p99 ms | target | |');
    console.log('| --- | ---: | ---: | ---: | ---: | --- | --- |');
    const target = [TARGETS.gridP95Ms, null, TARGETS.needsUpdateP95Ms];
    results.forEach((r, i) => {
      const fig = (f) => `${f1(f.min)} / **${f1(f.median)}** / ${f1(f.max)}`;
      const goal = target[i];
      console.log(
        `| ${r.name} | ${r.bytes} | ${fig(r.p50)} | ${fig(r.p95)} | ${fig(r.p99)} | ${goal ? `p95 ≤ ${goal} ms` : '–'} | ${goal ? meets(r.p95.median <= goal) : ''} |`,
      );
    });
    console.log(`raw figures: bench/results-raw/follow-up.json (${f0(CONFIG.seconds)} s per run)`);
  } finally {
    await stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
