import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { pooledUrl } from './database.js';
import { freePort } from './net.js';

const main = join(import.meta.dirname, '..', '..', 'src', 'main.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A service instance as deployed: `node dist/src/main.js` on a database of the test's own. */
export class Instance {
  private process?: ChildProcess;
  output = '';
  port = 0;

  constructor(
    private readonly databaseUrl: string,
    private readonly adminKey: string,
    private readonly env: Record<string, string> = {},
  ) {}

  async start(): Promise<this> {
    this.port = await freePort();
    this.output = '';
    const child = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        DATABASE_URL: pooledUrl(this.databaseUrl),
        DATABASE_DIRECT_URL: this.databaseUrl,
        ADMIN_API_KEY: this.adminKey,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DEMO_DATA: 'false',
        RATE_LIMIT_PER_MINUTE: '0',
        WEBHOOK_ALLOW_PRIVATE: 'true',
        WEBHOOK_WORKER: 'true',
        WEBHOOK_POLL_MS: '50',
        WEBHOOK_RETRY_SCHEDULE: '100ms,100ms,100ms,100ms,100ms',
        // A claimed delivery's lease is the timeout and 2 s: a killed worker's delivery is taken again after that.
        WEBHOOK_TIMEOUT_MS: '1000',
        WEBHOOK_SECRET_KEY: 'a'.repeat(64),
        SIGNING_KEY: '6f'.repeat(32),
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    child.stdout.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (this.output += d.toString()));
    for (let i = 0; !this.output.includes('Styrman is ready'); i++) {
      if (child.exitCode !== null || i > 300) throw new Error(`the instance did not start: ${this.output}`);
      await sleep(50);
    }
    return this;
  }

  async api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const res = await fetch(`http://127.0.0.1:${this.port}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${this.adminKey}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async created(path: string, body: unknown): Promise<any> {
    const res = await this.api('POST', path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** SIGKILL: no shutdown hook runs, whatever was in flight is cut. */
  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
