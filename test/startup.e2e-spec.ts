import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ENTITIES } from '../src/entities.js';
import { createEmptyDatabase, dropTestDatabase } from './support/database.js';

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
