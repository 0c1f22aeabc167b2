import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ENTITIES } from '../src/entities.js';
import { createEmptyDatabase, dropTestDatabase } from './support/database.js';
import { freePort } from './support/net.js';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'src', 'main.js');

function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [main], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
}

describe('start-up', () => {
  it('stops with a message naming a bad setting', async () => {
    const result = await runMain({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/x' });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toMatch(/LOG_LEVEL/);
  });

  it('names DATABASE_URL when it cannot be parsed, or when its server refuses, without showing its password', async () => {
    const unparsable = await runMain({ DATABASE_URL: 'postgres://styrman:p@ss:word@db:port/styrman', STYRMAN_DATA_DIR: '/nonexistent' });
    expect(unparsable.code).toBe(78);
    expect(unparsable.stderr).toMatch(/DATABASE_URL: is not a valid URL/);
    expect(unparsable.stderr).not.toContain('word@db');

    const refusing = await runMain({
      DATABASE_URL: `postgres://styrman:hunter2hunter2@127.0.0.1:${await freePort()}/styrman`,
      WEBHOOK_SECRET_KEY: 'a'.repeat(64),
      SIGNING_KEY: 'b'.repeat(64),
      PORT: String(await freePort()),
      LOG_LEVEL: 'error',
    });
    expect(refusing.code).toBe(1);
    expect(refusing.stderr).toMatch(/PostgreSQL server of DATABASE_URL \(postgres:\/\/styrman:\*\*\*@127\.0\.0\.1:\d+\/styrman\)/);
    expect(refusing.stderr).toMatch(/ECONNREFUSED/);
    expect(refusing.stderr + refusing.stdout).not.toContain('hunter2');
    // Like every line Styrman writes, the reason is a JSON line.
    const lines = refusing.stderr.trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { level: number }).level)).toEqual([60]);
  });

  it("the image's health check asks the port PORT names, and docker-compose.yml passes the operating settings", async () => {
    const dockerfile = await readFile(join(root, 'Dockerfile'), 'utf8');
    const healthcheck = /^HEALTHCHECK .* CMD (\[.*\])$/m.exec(dockerfile);
    expect(healthcheck).not.toBeNull();
    const [command, ...args] = JSON.parse(healthcheck![1]) as string[];
    expect(command).toBe('node');
    const server = createHttpServer((req, res) => res.writeHead(req.url === '/health/ready' ? 200 : 404).end('{}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const check = (env: Record<string, string>) =>
      new Promise<number | null>((resolvePromise) => {
        const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
        child.on('exit', (code) => resolvePromise(code));
      });
    try {
      expect(await check({ PORT: String(port) })).toBe(0);
      server.close();
      await once(server, 'close');
      expect(await check({ PORT: String(port) })).toBe(1);
    } finally {
      server.close();
    }

    const compose = await readFile(join(root, 'docker-compose.yml'), 'utf8');
    for (const name of ['WEBHOOK_SECRET_KEY', 'SIGNING_KEY', 'PUBLIC_URL', 'TRUST_PROXY']) {
      expect(compose).toMatch(new RegExp(`^ {6}${name}: \\$\\{${name}(:[?-][^}]*)?\\}$`, 'm'));
    }
  });

  it('every migration is listed, and after all of them TypeORM finds nothing to generate', async () => {
    const { MIGRATIONS } = await import('../migrations/index.js');
    const { readdir } = await import('node:fs/promises');
    const files = (await readdir(join(root, 'migrations'))).filter((f) => /^\d+-.+\.ts$/.test(f));
    expect(MIGRATIONS).toHaveLength(files.length);

    const url = await createEmptyDatabase();
    const dataSource = new DataSource(dataSourceOptions(url, ENTITIES));
    try {
      await dataSource.initialize();
      const applied = await dataSource.runMigrations({ transaction: 'all' });
      expect(applied).toHaveLength(files.length);
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      // And every migration can be undone.
      for (let i = 0; i < files.length; i++) await dataSource.undoLastMigration({ transaction: 'all' });
      const tables = await dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
      );
      expect(tables).toEqual([]);
    } finally {
      await dataSource.destroy();
      await dropTestDatabase(url);
    }
  });
});

describe('embedded PostgreSQL', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'styrman-embedded-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on a fresh folder, keeps its data, and recovers after its owner was killed with SIGKILL', async () => {
    const first = await EmbeddedPostgres.start({ dataDir, ephemeral: true });
    let client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query('CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$Hälsingland$$)');
    await client.end();
    // A process that starts the server and is then killed leaves it running with its postmaster.pid.
    const script = `import { EmbeddedPostgres } from ${JSON.stringify(join(root, 'dist/src/database/embedded-postgres.js'))};
      await EmbeddedPostgres.start({ dataDir: ${JSON.stringify(dataDir)}, ephemeral: true }).catch(() => process.exit(3));
      process.kill(process.pid, 'SIGKILL');`;
    await first.stop();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const [, signal] = await once(child, 'exit');
    expect(signal).toBe('SIGKILL');
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(true);

    const again = await EmbeddedPostgres.start({ dataDir, ephemeral: true });
    try {
      client = new pg.Client({ connectionString: again.url });
      await client.connect();
      expect((await client.query('SELECT v FROM kept')).rows).toEqual([{ v: 'Hälsingland' }]);
      await client.end();
    } finally {
      await again.stop();
    }
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect((await readFile(join(dataDir, 'postgres-password'), 'utf8')).trim().length).toBeGreaterThan(20);
  });
});

describe('one data folder, one owner', () => {
  let dataDir: string;
  let owner: ReturnType<typeof spawn> | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'styrman-owner-'));
  });
  afterAll(async () => {
    if (owner && owner.exitCode === null && owner.signalCode === null) {
      owner.kill('SIGTERM');
      await once(owner, 'exit');
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  /** `npm start` with the embedded database on `dataDir`, until it is ready. */
  async function startOwner(port: number): Promise<ReturnType<typeof spawn>> {
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...embeddedEnv(dataDir, port), DEMO_DATA: 'false' },
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
    return child;
  }

  it('a second start on a folder whose owner lives exits 1 at once, names the owner, and leaves it serving', async () => {
    const port = await freePort();
    owner = await startOwner(port);
    const before = await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8');
    const ready = () => fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status);
    expect(await ready()).toBe(200);

    // The same port (the reported case) and another port: both refused, naming the owner's pid and port.
    for (const secondPort of [port, await freePort()]) {
      const began = Date.now();
      const second = await runMain(embeddedEnv(dataDir, secondPort));
      expect(Date.now() - began).toBeLessThan(10_000);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`pid ${owner.pid}`);
      expect(second.stderr).toContain(`port ${port}`);
      expect(second.stdout).not.toMatch(/PostgreSQL/);
    }
    // Nothing of the running one was touched: the same database server, still answering.
    expect(await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).toBe(before);
    expect(await ready()).toBe(200);
  });

  it('a folder whose owner was killed is taken over, and the database it left running is stopped and started again', async () => {
    expect(owner).toBeDefined();
    owner!.kill('SIGKILL');
    await once(owner!, 'exit');
    expect(existsSync(join(dataDir, 'styrman.lock'))).toBe(true);
    const port = await freePort();
    owner = await startOwner(port);
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    const lock = JSON.parse(await readFile(join(dataDir, 'styrman.lock'), 'utf8')) as { pid: number; port: number };
    expect(lock).toMatchObject({ pid: owner.pid, port });
    owner.kill('SIGTERM');
    await once(owner, 'exit');
    expect(existsSync(join(dataDir, 'styrman.lock'))).toBe(false);
  });

  it('a port in use exits 1 naming PORT before any database is started', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const fresh = await mkdtemp(join(tmpdir(), 'styrman-port-'));
    try {
      const result = await runMain(embeddedEnv(fresh, port));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`PORT ${port}`));
      expect(existsSync(join(fresh, 'postgres'))).toBe(false);
      expect(existsSync(join(fresh, 'styrman.lock'))).toBe(false);
    } finally {
      blocker.close();
      await rm(fresh, { recursive: true, force: true });
    }
  });
});

function embeddedEnv(dataDir: string, port: number): Record<string, string> {
  return {
    DATABASE_URL: '',
    HOST: '127.0.0.1',
    ADMIN_API_KEY: '',
    STYRMAN_DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_PG_PORT: '',
    LOG_LEVEL: 'info',
  };
}
