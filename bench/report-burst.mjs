#!/usr/bin/env node
// A burst of long funder reports against one service process, and what it costs everyone else:
// needs `node bench/seed.mjs` (npm run bench:seed) first; uses the 1× database.
//
// Starts the database server and the service (node dist/src/main.js), warms it up, then fires
// BENCH_BURST concurrent funder reports over the last BENCH_BURST_DAYS days with the funder key of the
// 50-cluster funder, while one client keeps requesting an unrelated list (`GET /api/v1/clusters?limit=50`
// with the viewer key) back to back. Prints the answers of the burst (200 / 503 / other, durations, sizes),
// the service's peak RSS during the burst (VmHWM, reset just before it, and VmRSS sampled every 50 ms),
// its RSS after the burst, and p50 / p95 / max of the unrelated GET during the burst. Writes the figures to
// bench/results-raw/report-burst.json. Exits 0 whatever the figures: timed targets belong in a benchmark,
// not in a test that must never flake.
//
// Settings (environment variables, defaults in brackets):
//   BENCH_BURST [24]            concurrent reports
//   BENCH_BURST_DAYS [3660]     days of each report's period, ending today (REPORT_MAX_DAYS by default)
//   BENCH_BURST_FORMAT [json]   json or csv
//   BENCH_DB_POOL [10]          DB_POOL_SIZE of the service
//   BENCH_NODE_OPTIONS          NODE_OPTIONS of the service
//   BENCH_DIST                  the compiled app to run [dist/]
//   REPORT_CONCURRENCY, REPORT_QUEUE_TIMEOUT_MS, REPORT_MAX_DAYS   passed to the service when set
//   DATABASE_URL                when the seed used it: the same server
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { BENCH_DIR, DIST, envNumber, freePort, percentile, readState, requireDist, ROOT, startDatabaseServer, withDatabase } from './lib.mjs';

const num = (name, fallback) => envNumber(name, fallback, { integer: true });
const CONFIG = {
  burst: num('BENCH_BURST', 24),
  days: num('BENCH_BURST_DAYS', 3660),
  format: process.env.BENCH_BURST_FORMAT === 'csv' ? 'csv' : 'json',
  pool: num('BENCH_DB_POOL', 10),
  nodeOptions: process.env.BENCH_NODE_OPTIONS ?? '',
};
const TARGETS = { peakRssMb: 300, getP95Ms: 100 };
const RAW_DIR = join(BENCH_DIR, 'results-raw');
const log = (m) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '–');

async function memoryOf(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { hwmMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0, same user or root); false where that is not allowed. */
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** One GET; resolves with status, bytes, milliseconds and Retry-After. */
function get(url, headers, agent) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = http.get(url, { headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode, bytes, ms: performance.now() - t, retryAfter: res.headers['retry-after'] }));
      res.on('error', reject);
    });
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function waitForHealth(base, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the service exited while starting (see bench/results-raw/report-burst-service.log)');
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the service did not answer within 60 s');
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
    const logFile = join(RAW_DIR, 'report-burst-service.log');
    const fd = openSync(logFile, 'w');
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
    if (CONFIG.nodeOptions) env.NODE_OPTIONS = CONFIG.nodeOptions;
    child = spawn(process.execPath, [join(DIST, 'src', 'main.js')], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, child);

    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - (CONFIG.days - 1) * 86_400_000).toISOString().slice(0, 10);
    const reportUrl = `${base}/api/v1/funders/${state.ids.funder}/report?from=${from}&to=${to}&format=${CONFIG.format}`;
    const listUrl = `${base}/api/v1/clusters?limit=50`;
    const funder = { authorization: `Bearer ${state.keys.funder}` };
    const viewer = { authorization: `Bearer ${state.keys.viewer}` };

    // Warm-up: one report and a few list requests, so that the burst does not measure JIT and first connections.
    const listAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const warm = await get(reportUrl, funder);
    if (warm.status !== 200) throw new Error(`the warm-up report answered ${warm.status}`);
    for (let i = 0; i < 20; i++) await get(listUrl, viewer, listAgent);
    await new Promise((r) => setTimeout(r, 1000));
    const before = await memoryOf(child.pid);
    const peakReset = resetPeak(child.pid);
    log(`service ready (pid ${child.pid}); one report is ${(warm.bytes / 1e6).toFixed(1)} MB and took ${f0(warm.ms)} ms alone; RSS ${f0(before.rssMb)} MB before the burst`);

    // The unrelated client: one list request after another while the burst lasts.
    let bursting = true;
    const listSamples = [];
    let listFailures = 0;
    const lister = (async () => {
      while (bursting) {
        try {
          const res = await get(listUrl, viewer, listAgent);
          if (res.status === 200) listSamples.push(res.ms);
          else listFailures += 1;
        } catch {
          listFailures += 1;
        }
      }
    })();
    let sampledPeak = before.rssMb;
    const sampler = setInterval(() => {
      memoryOf(child.pid).then(
        (m) => (sampledPeak = Math.max(sampledPeak, m.rssMb)),
        () => {},
      );
    }, 50);

    const t0 = performance.now();
    const burst = await Promise.all(
      Array.from({ length: CONFIG.burst }, () => get(reportUrl, funder).catch((e) => ({ status: 'error', ms: NaN, bytes: 0, error: String(e) }))),
    );
    const burstMs = performance.now() - t0;
    bursting = false;
    await lister;
    clearInterval(sampler);
    const during = await memoryOf(child.pid);
    await new Promise((r) => setTimeout(r, 5000));
    const after = await memoryOf(child.pid);
    listAgent.destroy();

    const byStatus = {};
    for (const r of burst) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const ok = burst.filter((r) => r.status === 200).map((r) => r.ms).sort((a, b) => a - b);
    const busy = burst.filter((r) => r.status === 503);
    const list = listSamples.sort((a, b) => a - b);
    const peakMb = Math.max(sampledPeak, peakReset ? during.hwmMb : 0);
    const results = {
      date: new Date().toISOString(),
      config: { ...CONFIG, from, to, reportConcurrency: process.env.REPORT_CONCURRENCY ?? 'default', queueTimeoutMs: process.env.REPORT_QUEUE_TIMEOUT_MS ?? 'default' },
      report: { bytes: warm.bytes, aloneMs: warm.ms },
      burst: {
        ms: burstMs,
        byStatus,
        okMs: { min: ok[0], p50: percentile(ok, 50), max: ok.at(-1) },
        busyMs: busy.map((r) => r.ms),
        retryAfter: [...new Set(busy.map((r) => r.retryAfter))],
      },
      rssMb: { before: before.rssMb, peak: peakMb, peakSampled: sampledPeak, vmHwm: during.hwmMb, hwmReset: peakReset, afterBurst: during.rssMb, after5s: after.rssMb },
      unrelatedGet: { count: list.length, failures: listFailures, p50: percentile(list, 50), p95: percentile(list, 95), max: list.at(-1) },
    };
    writeFileSync(join(RAW_DIR, 'report-burst.json'), `${JSON.stringify(results, null, 2)}\n`);

    const meets = (ok) => (ok ? 'meets' : 'MISSES');
    console.log('');
    console.log(`Burst of ${CONFIG.burst} funder reports, ${from} .. ${to} (${CONFIG.days} days), ${CONFIG.format}, ${(warm.bytes / 1e6).toFixed(1)} MB each:`);
    console.log(`  answers:            ${Object.entries(byStatus).map(([s, n]) => `${n} × ${s}`).join(', ')} in ${f0(burstMs)} ms`);
    console.log(`  200s took:          min ${f0(results.burst.okMs.min)} / p50 ${f0(results.burst.okMs.p50)} / max ${f0(results.burst.okMs.max)} ms (one alone: ${f0(warm.ms)} ms)`);
    if (busy.length) console.log(`  503s after:         ${f0(Math.min(...results.burst.busyMs))} .. ${f0(Math.max(...results.burst.busyMs))} ms, Retry-After ${results.burst.retryAfter.join(', ')}`);
    console.log(`  service RSS:        ${f0(before.rssMb)} MB before, peak ${f0(peakMb)} MB (${peakReset ? 'VmHWM reset before the burst' : 'sampled every 50 ms'}), ${f0(during.rssMb)} MB right after, ${f0(after.rssMb)} MB 5 s later — target < ${TARGETS.peakRssMb} MB: ${meets(peakMb < TARGETS.peakRssMb)}`);
    console.log(`  unrelated GET:      ${list.length} requests (${listFailures} failed), p50 ${f0(results.unrelatedGet.p50)} / p95 ${f0(results.unrelatedGet.p95)} / max ${f0(results.unrelatedGet.max)} ms — target p95 < ${TARGETS.getP95Ms} ms: ${meets(results.unrelatedGet.p95 < TARGETS.getP95Ms)}`);
    console.log(`  raw figures:        bench/results-raw/report-burst.json`);
  } finally {
    await stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
