import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, chmod, chown, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import { freePort } from './net.js';

const execFileAsync = promisify(execFile);
const SLOT = 'styrman_replica';

interface RunAs {
  uid: number;
  gid: number;
}

/**
 * A primary and a streaming replica (hot standby) of it, from the embedded
 * PostgreSQL binaries alone: the package ships no pg_basebackup, so the
 * replica is made with the low-level backup API — `pg_backup_start`, a copy of
 * the data folder, `pg_backup_stop` (its backup label), `standby.signal` and
 * `primary_conninfo` — and streams from a physical replication slot that keeps
 * the WAL it still needs.
 */
export class PrimaryAndReplica {
  private constructor(
    readonly primary: EmbeddedPostgres,
    private readonly folder: string,
    private readonly replicaData: string,
    private readonly pgCtl: string,
    private readonly runAs: RunAs | undefined,
    readonly replicaUrl: string,
  ) {}

  static async start(): Promise<PrimaryAndReplica> {
    const folder = await mkdtemp(join(tmpdir(), 'styrman-replication-'));
    await chmod(folder, 0o711); // the postgres user passes through it (started by root)
    const primary = await EmbeddedPostgres.start({ dataDir: join(folder, 'primary'), ephemeral: true });
    const primaryData = join(folder, 'primary', 'postgres');
    const replicaData = join(folder, 'replica');
    const runAs = userInfo().uid === 0 ? postgresUser() : undefined;
    const bin = await binaries(runAs);

    const admin = new pg.Client({ connectionString: primary.url });
    await admin.connect();
    try {
      await admin.query(`SELECT pg_create_physical_replication_slot($1, true)`, [SLOT]);
      await admin.query(`SELECT pg_backup_start('styrman replica', true)`);
      await mkdir(replicaData, { mode: 0o700 });
      const skip = new Set(['postmaster.pid', 'postmaster.opts', 'server.log', 'pg_wal', 'pg_replslot']);
      for (const entry of await readdir(primaryData)) {
        if (skip.has(entry)) continue;
        await cp(join(primaryData, entry), join(replicaData, entry), { recursive: true, preserveTimestamps: true });
      }
      await mkdir(join(replicaData, 'pg_wal', 'archive_status'), { recursive: true });
      await mkdir(join(replicaData, 'pg_replslot'));
      const { rows } = await admin.query<{ labelfile: string }>(`SELECT labelfile FROM pg_backup_stop(false)`);
      await writeFile(join(replicaData, 'backup_label'), rows[0].labelfile);
    } finally {
      await admin.end();
    }
    const port = await freePort();
    const primaryUrl = new URL(primary.url);
    const conninfo = `host=127.0.0.1 port=${primary.port} user=${primaryUrl.username} password=${decodeURIComponent(primaryUrl.password)} application_name=styrman_replica`;
    await writeFile(join(replicaData, 'standby.signal'), '');
    await appendFile(
      join(replicaData, 'postgresql.auto.conf'),
      `primary_conninfo = '${conninfo}'\nprimary_slot_name = '${SLOT}'\nhot_standby = on\n`,
    );
    if (runAs) await chownTree(replicaData, runAs);
    const settings = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 -c fsync=off`;
    await execFileAsync(bin.pgCtl, ['start', '-D', replicaData, '-w', '-t', '60', '-l', join(replicaData, 'server.log'), '-o', settings], {
      ...(runAs ?? {}),
      cwd: tmpdir(),
    }).catch(async (error: unknown) => {
      const log = await readFile(join(replicaData, 'server.log'), 'utf8').catch(() => '');
      throw new Error(`The replica did not start: ${String(error)}\n${log.split('\n').slice(-15).join('\n')}`);
    });
    const replicaUrl = new URL(primary.url);
    replicaUrl.port = String(port);
    return new PrimaryAndReplica(primary, folder, replicaData, bin.pgCtl, runAs, replicaUrl.toString());
  }

  /** `url` (a database of the primary) on the replica. */
  onReplica(url: string): string {
    const u = new URL(url);
    u.port = new URL(this.replicaUrl).port;
    return u.toString();
  }

  /** Waits until the replica has replayed everything the primary has written so far (bounded). */
  async caughtUp(database = 'postgres'): Promise<void> {
    const onPrimary = new URL(this.primary.url);
    onPrimary.pathname = `/${database}`;
    const primary = new pg.Client({ connectionString: onPrimary.toString() });
    const replica = new pg.Client({ connectionString: this.onReplica(onPrimary.toString()) });
    await primary.connect();
    await replica.connect();
    try {
      const { rows } = await primary.query<{ lsn: string }>(`SELECT pg_current_wal_insert_lsn()::text AS lsn`);
      for (let i = 0; ; i++) {
        const r = await replica.query<{ done: boolean }>(`SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done`, [rows[0].lsn]);
        if (r.rows[0].done) return;
        if (i > 300) throw new Error('the replica did not catch up within 15 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await primary.end();
      await replica.end();
    }
  }

  async stop(): Promise<void> {
    await execFileAsync(this.pgCtl, ['stop', '-D', this.replicaData, '-m', 'immediate', '-w', '-t', '30'], {
      ...(this.runAs ?? {}),
      cwd: tmpdir(),
    }).catch(() => undefined);
    await this.primary.stop();
    await rm(this.folder, { recursive: true, force: true });
  }
}

function postgresUser(): RunAs {
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  };
}

/** The binaries EmbeddedPostgres runs: the package's own, or (started by root) its copy the postgres user can reach. */
async function binaries(runAs: RunAs | undefined): Promise<{ pgCtl: string }> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  const paths = (await import(pkg)) as { postgres: string };
  const nativeDir = dirname(dirname(paths.postgres));
  if (runAs) {
    const { version } = JSON.parse(await readFile(join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
    const copy = join(tmpdir(), `styrman-postgres-${version}-${platform()}-${arch()}`);
    if (existsSync(join(copy, 'bin', 'pg_ctl'))) return { pgCtl: join(copy, 'bin', 'pg_ctl') };
  }
  return { pgCtl: join(nativeDir, 'bin', 'pg_ctl') };
}

async function chownTree(path: string, runAs: RunAs): Promise<void> {
  await chown(path, runAs.uid, runAs.gid);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await chownTree(child, runAs);
    else await chown(child, runAs.uid, runAs.gid);
  }
}
