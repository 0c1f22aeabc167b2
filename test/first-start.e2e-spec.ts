import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/app.js';
import { freePort } from './support/net.js';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'src', 'main.js');

interface Started {
  child: ChildProcess;
  output: () => string;
}

/** `npm start` as a person runs it: the embedded database, demo data, nothing configured but ports. */
async function start(dataDir: string, port: number, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      HOST: '',
      ADMIN_API_KEY: '',
      DEMO_DATA: '',
      STYRMAN_DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
      // What start-up prints, in order; the demo's emails, written whenever the worker gets to them, are another suite's.
      EMAIL_WORKER: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const began = Date.now();
  while (!output.includes('Styrman is ready')) {
    if (child.exitCode !== null || Date.now() - began > 120_000) throw new Error(`Styrman did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Anything written after the ready line would land after the keys.
  await new Promise((r) => setTimeout(r, 500));
  return { child, output: () => output };
}

async function stop(started: Started | undefined): Promise<void> {
  if (started && started.child.exitCode === null) {
    started.child.kill('SIGTERM');
    await once(started.child, 'exit');
  }
}

/** Every file under a folder, as bytes. */
async function* filesUnder(dir: string): AsyncGenerator<Buffer> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile() && (await stat(path)).size > 0) yield await readFile(path).catch(() => Buffer.alloc(0));
  }
}

describe('the first start and a restart, as printed', () => {
  let dataDir: string;
  let port: number;
  let first: Started | undefined;
  let second: Started | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'styrman-first-start-'));
    port = await freePort();
  });
  afterAll(async () => {
    await stop(first);
    await stop(second);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('ends start-up with one block of keys, one per role with its use, each of which works, and listens on 127.0.0.1 only', async () => {
    first = await start(dataDir, port);
    const output = first.output();
    const lines = output.trimEnd().split('\n');
    expect(lines.at(-1)).toBe(lines.find((l) => l.startsWith('Styrman is ready')));
    expect(lines.at(-1)).toContain(`http://127.0.0.1:${port}/docs`);

    // One block, after every log line.
    const keyLines = lines.filter((l) => /sty_[A-Za-z0-9_-]{20,}/.test(l));
    expect(keyLines.map((l) => l.trim().split(/\s+/)[0])).toEqual(['admin', 'editor', 'funder', 'viewer']);
    const firstKeyLine = lines.indexOf(keyLines[0]);
    const lastLogLine = lines.findLastIndex((l) => l.startsWith('{'));
    expect(lastLogLine).toBeGreaterThan(0);
    expect(firstKeyLine).toBeGreaterThan(lastLogLine);
    for (const line of keyLines) expect(line.trim().split(/\s{2,}/).length).toBeGreaterThanOrEqual(3); // role, key, use

    // Everything before the block is a JSON log line (the embedded database's messages included), and Nest's route
    // and module chatter is at debug, below the default level.
    const isJson = (line: string) => {
      try {
        return typeof JSON.parse(line) === 'object';
      } catch {
        return false;
      }
    };
    expect(lines.findIndex((l) => !isJson(l))).toBe(lastLogLine + 1);
    expect(lines.slice(0, lastLogLine + 1).some((l) => /Embedded PostgreSQL listening/.test(l))).toBe(true);
    expect(output).not.toMatch(/Mapped \{/);
    expect(output).not.toMatch(/dependencies initialized/);
    expect(lastLogLine).toBeLessThan(40);

    const key = (role: string) =>
      keyLines
        .find((l) => l.trim().startsWith(role))!
        .trim()
        .split(/\s+/)[1];
    const base = `http://127.0.0.1:${port}`;
    const get = (path: string, role: string) => fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${key(role)}` } });
    expect((await get('/api/v1/api-keys', 'admin')).status).toBe(200);
    const editorClusters = (await (await get('/api/v1/clusters', 'editor')).json()) as { items: { name: string }[] };
    expect(editorClusters.items.map((c) => c.name)).toEqual(['Findit']);
    const funderClusters = (await (await get('/api/v1/clusters', 'funder')).json()) as { total: number };
    expect(funderClusters.total).toBe(4);
    expect((await get('/api/v1/dashboard', 'viewer')).status).toBe(200);
    expect((await get('/api/v1/api-keys', 'viewer')).status).toBe(403);

    // Not reachable from the network: every address of this machine but loopback refuses.
    const outside = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    for (const address of outside) await expect(fetch(`http://${address}:${port}/health`)).rejects.toThrow();

    // No secret on disk in plain text: not in the data folder (the database files included).
    const secrets = keyLines.map((l) => l.trim().split(/\s+/)[1]);
    for await (const bytes of filesUnder(dataDir)) {
      for (const secret of secrets) expect(bytes.includes(secret)).toBe(false);
    }
  });

  it('on a restart prints no secret, but how many keys there are and how to get or make one', async () => {
    await stop(first);
    second = await start(dataDir, port);
    const output = second.output();
    expect(output).not.toMatch(/sty_[A-Za-z0-9_-]{20,}/);
    expect(output).toContain('Keys in the database: 1 admin, 9 editor, 1 funder, 1 viewer');
    expect(output).toContain('ADMIN_API_KEY');
    expect(output).toContain('POST /api/v1/api-keys');
    expect(output.trimEnd().split('\n').at(-1)).toMatch(/^Styrman is ready/);
  });

  it('with ADMIN_API_KEY, that secret is an admin key and no other is made', async () => {
    await stop(second);
    const secret = `sty_own_${'k'.repeat(30)}`;
    second = await start(dataDir, port, { ADMIN_API_KEY: secret });
    expect(second.output()).not.toContain(secret);
    expect(second.output()).toContain('Keys in the database: 2 admin');
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/api-keys`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
  });
});

describe('the way into Swagger UI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('redirects / to /docs', async () => {
    const res = await t.api(null).get('/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/docs');
  });

  it('gives Swagger UI a filter box and keeps the authorization across reloads', async () => {
    const init = await t.api(null).get('/docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toMatch(/"filter":\s*true/);
    expect(init.text).toMatch(/"persistAuthorization":\s*true/);
  });

  it('answers a key pasted with its "Bearer " prefix into the bearer field with a 401 that says so', async () => {
    const res = await t.api(null).get('/api/v1/clusters').set('Authorization', `Bearer Bearer ${t.adminKey}`);
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.detail).toMatch(/Bearer Bearer/);
    expect(res.body.detail).toMatch(/without the word "Bearer"/);
    // The same key sent once with the prefix works.
    expect((await t.api(null).get('/api/v1/clusters').set('Authorization', `Bearer ${t.adminKey}`)).status).toBe(200);
    // And a wrong key with a doubled prefix says no more than any other 401.
    const unknown = await t.api(null).get('/api/v1/clusters').set('Authorization', 'Bearer Bearer sty_unknown_key_of_some_length');
    expect(unknown.status).toBe(401);
  });
});
