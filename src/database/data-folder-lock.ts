import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** What the owner of a data folder writes into its lock file. */
export interface LockOwner {
  pid: number;
  port: number;
  /** The process's start time as the kernel counts it (/proc/<pid>/stat), to tell a reused pid from the owner. */
  processStart?: string;
  startedAt: string;
}

/** The data folder is owned by a live process, or the port is taken: start-up stops, exit 1. */
export class StartRefused extends Error {}

const LOCK_FILE = 'styrman.lock';

/** The kernel's start time of a process (field 22 of /proc/<pid>/stat), or undefined where there is no /proc. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote a lock is still running (and is the same process, not a reused pid). */
function isAlive(owner: LockOwner): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0 || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false; // ESRCH: gone
  }
  const start = owner.processStart !== undefined ? processStart(owner.pid) : undefined;
  return start === undefined || start === owner.processStart;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return undefined; // gone, or half-written by a process that died while writing it
  }
}

/** Creates `file` with `content` only if it does not exist (O_EXCL): true when this call created it. */
function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * One data folder, one owner: a lock file (`<dataDir>/styrman.lock`, created with O_EXCL) naming the process that
 * runs the embedded PostgreSQL of that folder and the port it serves. A second start on the folder while its owner
 * lives is refused before it touches anything; a lock left by a process that is gone (killed, crashed) is taken over,
 * and the database that process left running is then stopped as before.
 */
export class DataFolderLock {
  private released = false;

  private constructor(
    readonly file: string,
    private readonly content: string,
  ) {}

  static async acquire(dataDir: string, port: number): Promise<DataFolderLock> {
    const dir = resolve(dataDir);
    await mkdir(dir, { recursive: true });
    const file = join(dir, LOCK_FILE);
    const owner: LockOwner = { pid: process.pid, port, processStart: processStart(process.pid), startedAt: new Date().toISOString() };
    const content = `${JSON.stringify(owner)}\n`;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (createExclusive(file, content)) return new DataFolderLock(file, content).releasedAtExit();
      const current = readOwner(file);
      if (current && isAlive(current)) {
        throw new StartRefused(
          `The data folder ${dir} is in use by another Styrman (pid ${current.pid}, port ${current.port}, since ${current.startedAt}). ` +
            `Stop that one first, or give this one its own STYRMAN_DATA_DIR. Nothing was changed.`,
        );
      }
      // Stale (its owner is gone) or half-written: taken over under a second, short-lived lock, so that two starts
      // that both find it stale do not both remove it (the later one removing the lock the earlier one just made).
      const takeover = `${file}.takeover`;
      if (!createExclusive(takeover, `${process.pid}\n`)) {
        const holder = Number.parseInt(readFileSafe(takeover), 10);
        if (!isAlive({ pid: holder, port: 0, startedAt: '' })) unlinkSafe(takeover);
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      try {
        const again = readOwner(file);
        if (!again || !isAlive(again)) unlinkSafe(file);
      } finally {
        unlinkSafe(takeover);
      }
    }
    throw new StartRefused(`Could not take the lock ${file}: other starts keep taking it. Nothing was changed.`);
  }

  /** Removes the lock file if it is still this process's. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (readFileSafe(this.file) === this.content) unlinkSafe(this.file);
  }

  private releasedAtExit(): this {
    process.once('exit', () => this.release());
    return this;
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function unlinkSafe(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/** Refuses to go on when `port` cannot be listened on (in use, or not allowed), naming PORT. */
export async function ensurePortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolvePromise, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new StartRefused(
          error.code === 'EADDRINUSE'
            ? `PORT ${port} is in use on ${host}: another program listens there. Stop it, or set PORT to a free port.`
            : `PORT ${port} cannot be listened on at ${host} (${error.code ?? error.message}). Set PORT to another port.`,
        ),
      ),
    );
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolvePromise()));
  });
}
