// Shared helpers of the benchmark: paths, the state file, the database server
// (DATABASE_URL or the project's embedded PostgreSQL), free ports, COPY.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(BENCH_DIR, '..');
/** The compiled app: `dist/`, or BENCH_DIST (a copy, to benchmark one build while `nest build` rewrites dist/). */
export const DIST = process.env.BENCH_DIST ? resolve(process.env.BENCH_DIST) : join(ROOT, 'dist');
export const STATE_FILE = join(BENCH_DIR, '.state.json');
/** Where the embedded PostgreSQL of the benchmark keeps its data (never the app's own ./.data). */
export const DEFAULT_DATA_DIR = process.env.BENCH_DATA_DIR || join(tmpdir(), 'styrman-bench');

/** Exits with a clear message when the compiled app is missing (the npm scripts build it first). */
export function requireDist() {
  if (!existsSync(join(DIST, 'src', 'main.js'))) {
    console.error(`${join(DIST, 'src', 'main.js')} is missing: run \`npx nest build\` first (npm run bench / bench:seed do).`);
    process.exit(2);
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    console.error(`Node ${process.versions.node}: the app needs Node 24 (put node_modules/.bin first on PATH, or use npm run).`);
    process.exit(2);
  }
}

/** Imports a module of the compiled app. */
export function importDist(relative) {
  return import(pathToFileURL(join(DIST, relative)).href);
}

/** `--name=value` and `--flag` arguments. */
export function parseArgs(argv = process.argv.slice(2)) {
  const out = {};
  for (const arg of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`Unknown argument ${arg}`);
    out[m[1]] = m[2] ?? 'true';
  }
  return out;
}

export function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function readState() {
  try {
    return JSON.parse(await readFile(STATE_FILE, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function writeState(state) {
  await writeFile(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/**
 * The PostgreSQL server to use: DATABASE_URL when set (its database is used
 * for CREATE / DROP DATABASE), else the project's embedded PostgreSQL in
 * `dataDir`, started here and stopped by `stop()`.
 */
export async function startDatabaseServer({ dataDir = DEFAULT_DATA_DIR, ephemeral = false, log = () => {} } = {}) {
  if (process.env.DATABASE_URL) {
    return { mode: 'url', serverUrl: process.env.DATABASE_URL, dataDir: null, stop: async () => {} };
  }
  const { EmbeddedPostgres } = await importDist('src/database/embedded-postgres.js');
  const embedded = await EmbeddedPostgres.start({ dataDir, ephemeral, log });
  let stopped = false;
  return {
    mode: 'embedded',
    serverUrl: embedded.url,
    dataDir,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await embedded.stop();
    },
  };
}

export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

/** Escapes a value for PostgreSQL's COPY text format (null: \N). */
export function copyValue(value) {
  if (value === null || value === undefined) return '\\N';
  const s = String(value);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]) : s;
}

/**
 * `COPY … FROM STDIN` over a pg Client, without extra packages: a custom
 * submittable that sends the given text chunks when the server asks for them.
 * Resolves with the number of rows copied.
 */
export function copyFrom(client, sql, chunks) {
  return new Promise((resolvePromise, reject) => {
    let rowCount = 0;
    const query = {
      submit(connection) {
        connection.query(sql);
      },
      handleCopyInResponse(connection) {
        for (const chunk of chunks) connection.sendCopyFromChunk(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, 'utf8'));
        connection.endCopyFrom();
      },
      handleCommandComplete(msg) {
        const m = /(\d+)$/.exec(msg.text ?? '');
        if (m) rowCount = Number(m[1]);
      },
      handleReadyForQuery() {
        resolvePromise(rowCount);
      },
      // pg forgets the active query when an error arrives (its ReadyForQuery never reaches it): settle here.
      handleError(err) {
        reject(err);
      },
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
      handleCopyData() {},
    };
    client.query(query);
  });
}

/** Seconds with one decimal, for messages. */
export function secondsSince(start) {
  return ((performance.now() - start) / 1000).toFixed(1);
}

/** A positive number from the environment (a whole one with `integer`), or `fallback` when unset or empty. */
export function envNumber(name, fallback, { integer = false } = {}) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (integer ? !Number.isInteger(n) || n <= 0 : !Number.isFinite(n) || n <= 0) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return n;
}

/** The p-th percentile (nearest rank) of an ascending array; NaN when it is empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
