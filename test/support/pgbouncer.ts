import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net.js';

/** Where Debian's package (`apt-get install pgbouncer`) puts the binary. */
const CANDIDATES = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'];

export function pgbouncerBinary(): string | undefined {
  return CANDIDATES.find((path) => existsSync(path));
}

/**
 * A real PgBouncer in transaction mode in front of a PostgreSQL server: every
 * database of the server under the same name (a wildcard entry), the server's
 * own role and password. `url(database)` is the address a client uses.
 *
 * Started by root, it runs as the system user `postgres` (PgBouncer refuses
 * root), like the embedded server.
 */
export class PgBouncer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly port: number,
    private readonly server: URL,
  ) {}

  static async start(serverUrl: string, options: { poolSize?: number } = {}): Promise<PgBouncer> {
    const binary = pgbouncerBinary();
    if (!binary) throw new Error('PgBouncer is not installed: apt-get install -y pgbouncer');
    const server = new URL(serverUrl);
    const user = decodeURIComponent(server.username);
    const password = decodeURIComponent(server.password);
    const dir = await mkdtemp(join(tmpdir(), 'styrman-pgbouncer-'));
    const port = await freePort();
    const ini = [
      '[databases]',
      `* = host=${server.hostname} port=${server.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir =`,
      'pool_mode = transaction',
      'auth_type = scram-sha-256',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      `default_pool_size = ${options.poolSize ?? 20}`,
      'max_client_conn = 2000',
      'max_db_connections = 0',
      // node-postgres sends statement_timeout as a start-up parameter, which PgBouncer does not pass on; the server's
      // own setting (ALTER ROLE … SET statement_timeout) applies instead.
      'ignore_startup_parameters = extra_float_digits,statement_timeout',
      'server_reset_query =',
      'server_check_delay = 0',
      'log_connections = 0',
      'log_disconnections = 0',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n');
    await writeFile(join(dir, 'pgbouncer.ini'), ini, { mode: 0o600 });
    await writeFile(join(dir, 'userlist.txt'), `"${user}" "${password}"\n`, { mode: 0o600 });
    const root = userInfo().uid === 0;
    let runAs: { uid: number; gid: number } | undefined;
    if (root) {
      runAs = {
        uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
        gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
      };
      await chmod(dir, 0o700);
      for (const file of ['', 'pgbouncer.ini', 'userlist.txt']) await chown(join(dir, file), runAs.uid, runAs.gid);
    }
    const child = spawn(binary, [join(dir, 'pgbouncer.ini')], { ...(runAs ?? {}), stdio: 'ignore', cwd: dir });
    child.unref();
    const bouncer = new PgBouncer(child, dir, port, server);
    const deadline = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await bouncer.stop();
        throw new Error(`PgBouncer did not start on port ${port} (exit ${child.exitCode})`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return bouncer;
  }

  /** The URL of `database` through PgBouncer (the server's own credentials). */
  url(database: string): string {
    const u = new URL(this.server.toString());
    u.port = String(this.port);
    u.pathname = `/${database}`;
    return u.toString();
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
