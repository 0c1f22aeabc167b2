import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import standardwebhooks from 'standardwebhooks';
import { startTestApp, type TestApp } from './support/app.js';
import { createTestDatabase } from './support/database.js';
import { createCluster, createGoal } from './support/factories.js';
import { freePort } from './support/net.js';
import { expectProblem } from './support/problem.js';
import { Receiver } from './support/receiver.js';

const main = join(import.meta.dirname, '..', '..', 'dist', 'src', 'main.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const K1 = '1a'.repeat(32);
const K2 = '2b'.repeat(32);
const K3 = '3c'.repeat(32);

const WORKER = {
  RATE_LIMIT_PER_MINUTE: '0',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_WORKER: 'true',
  WEBHOOK_POLL_MS: '50',
  WEBHOOK_RETRY_SCHEDULE: '100ms,100ms,100ms',
  WEBHOOK_TIMEOUT_MS: '2000',
};

function verify(secret: string, r: { body: string; headers: Record<string, unknown> }): Record<string, any> {
  return new standardwebhooks.Webhook(secret).verify(r.body, r.headers as Record<string, string>) as Record<string, any>;
}

/** Polls the newest delivery of a webhook until `done` says it is there. */
async function newestDelivery(t: TestApp, hookId: string, done: (d: Record<string, any>) => boolean): Promise<Record<string, any>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [d] = (await t.api().get(`/api/v1/webhooks/${hookId}/deliveries`).expect(200)).body.items;
    if (d && done(d)) return d;
    if (Date.now() > deadline) throw new Error(`no such delivery: ${JSON.stringify(d)}`);
    await sleep(50);
  }
}

/** The same database under another spelling of its URL: nothing may depend on how DATABASE_URL is written. */
function respelled(url: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', `styrman_${Date.now()}`);
  return u.toString();
}

describe('webhook secrets across restarts and key rotations', () => {
  let receiver: Receiver;
  let databaseUrl: string;
  let t: TestApp | undefined;
  const lines: string[] = [];
  const log = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  beforeAll(async () => {
    receiver = await new Receiver().start();
    databaseUrl = await createTestDatabase();
  });
  afterAll(async () => {
    await receiver.close();
    await t?.close();
  });

  /** Stops the running application (keeping its database) and starts another on it. */
  async function restart(env: Record<string, string>): Promise<TestApp> {
    await t?.app.close();
    t = await startTestApp({ ...WORKER, LOG_LEVEL: 'error', ...env }, { logDestination: log }, respelled(databaseUrl));
    return t;
  }

  it('a restart with the same key, the database URL spelled otherwise, still signs; a rotation keeps every secret', async () => {
    let app = await restart({ WEBHOOK_SECRET_KEY: K1 });
    const cluster = await createCluster(app);
    const hook = (
      await app
        .api()
        .post('/api/v1/webhooks')
        .send({ url: receiver.url, clusterIds: [cluster.id] })
        .expect(201)
    ).body;

    app = await restart({ WEBHOOK_SECRET_KEY: K1 });
    await createGoal(app, cluster.id);
    await receiver.waitFor(() => receiver.received.length >= 1);
    expect(verify(hook.secret, receiver.received[0])).toMatchObject({ type: 'goal.created' });

    // Rotation: the new key, the old one as the previous. The secret still signs, and is encrypted again with the new key.
    app = await restart({ WEBHOOK_SECRET_KEY: K2, WEBHOOK_SECRET_KEY_PREVIOUS: K1 });
    await createGoal(app, cluster.id);
    await receiver.waitFor(() => receiver.received.length >= 2);
    expect(verify(hook.secret, receiver.received[1])).toMatchObject({ type: 'goal.created' });

    // The rotation done: without the previous key, the secret (encrypted again at the start) still signs.
    app = await restart({ WEBHOOK_SECRET_KEY: K2 });
    await createGoal(app, cluster.id);
    await receiver.waitFor(() => receiver.received.length >= 3);
    expect(verify(hook.secret, receiver.received[2])).toMatchObject({ type: 'goal.created' });
  });

  it('a secret no key decrypts fails its delivery with the reason, logged at error level with the webhook id; a new secret mends it', async () => {
    let app = await restart({ WEBHOOK_SECRET_KEY: K1 });
    const cluster = await createCluster(app);
    const hook = (
      await app
        .api()
        .post('/api/v1/webhooks')
        .send({ url: receiver.url, clusterIds: [cluster.id] })
        .expect(201)
    ).body;
    app = await restart({ WEBHOOK_SECRET_KEY: K3, WEBHOOK_RETRY_SCHEDULE: '1h' });
    const before = receiver.received.length;
    lines.length = 0;
    await createGoal(app, cluster.id);
    const failed = await newestDelivery(app, hook.id, (d) => d.error !== null);
    expect(failed).toMatchObject({ state: 'pending', attempt: 1, responseStatus: null });
    expect(failed.error).toMatch(/neither WEBHOOK_SECRET_KEY .*nor WEBHOOK_SECRET_KEY_PREVIOUS/);
    const errors = lines.map((l) => JSON.parse(l) as Record<string, any>).filter((l) => l.level >= 50);
    expect(errors.some((l) => String(l.msg).includes(hook.id) && /WEBHOOK_SECRET_KEY/.test(String(l.msg)))).toBe(true);
    expect(receiver.received.length).toBe(before);

    // POST /webhooks/{id}/secret: a new secret, shown once, that signs from now on.
    const viewer = (await app.key('viewer')).secret;
    expectProblem(await app.api(viewer).post(`/api/v1/webhooks/${hook.id}/secret`), 404);
    const renewed = await app.api().post(`/api/v1/webhooks/${hook.id}/secret`).expect(200);
    expect(renewed.body).toMatchObject({ id: hook.id, version: hook.version + 1, secret: expect.stringMatching(/^whsec_/) });
    expect(renewed.body.secret).not.toBe(hook.secret);
    expect((await app.api().get(`/api/v1/webhooks/${hook.id}`).expect(200)).body.secret).toBeUndefined();
    await app.api().post(`/api/v1/webhooks/${hook.id}/deliveries/${failed.id}/retry`).expect(202);
    await receiver.waitFor(() => receiver.received.length > before);
    expect(verify(renewed.body.secret, receiver.received[before])).toMatchObject({ type: 'goal.created' });
    expect(() => verify(hook.secret, receiver.received[before])).toThrow();
  });
});

/** `npm start` twice on one data folder: the embedded database's port changes, the generated key does not. */
describe('the generated WEBHOOK_SECRET_KEY of an embedded database', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  let receiver: Receiver;
  const adminKey = 'sty_webhook_secret_key_test_admin';
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'styrman-webhook-key-'));
    receiver = await new Receiver().start();
  });
  afterAll(async () => {
    await stop();
    await receiver.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<number> {
    const port = await freePort();
    const started = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        ...WORKER,
        DATABASE_URL: '',
        WEBHOOK_SECRET_KEY: '',
        STYRMAN_DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(await freePort()),
        PORT: String(port),
        HOST: '127.0.0.1',
        ADMIN_API_KEY: adminKey,
        DEMO_DATA: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    started.stdout.on('data', (d: Buffer) => (output += d.toString()));
    started.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const began = Date.now();
    while (!output.includes('Styrman is ready')) {
      if (started.exitCode !== null || Date.now() - began > 120_000) throw new Error(`Styrman did not start:\n${output}`);
      await sleep(100);
    }
    return port;
  }

  async function stop(): Promise<void> {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }

  const call = async (port: number, method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('is made at the first start (mode 600) and kept: a webhook made before a restart is signed after it (and so is SIGNING_KEY)', async () => {
    let port = await start();
    const hook = await call(port, 'POST', '/webhooks', { url: receiver.url });
    expect(hook.status).toBe(201);
    const file = await stat(join(dataDir, 'webhook-secret-key'));
    expect(file.mode & 0o777).toBe(0o600);
    // SIGNING_KEY is kept the same way: made at the first start, mode 600, the same key after a restart.
    expect((await stat(join(dataDir, 'signing-key'))).mode & 0o777).toBe(0o600);
    const signingKeys = async () =>
      ((await (await fetch(`http://127.0.0.1:${port}/.well-known/styrman-keys`)).json()) as { keys: { kid: string }[] }).keys;
    const before = await signingKeys();
    expect(before).toHaveLength(1);
    await stop();

    port = await start();
    expect(await signingKeys()).toEqual(before);
    expect((await call(port, 'POST', `/webhooks/${hook.body.id}/ping`)).status).toBe(202);
    await receiver.waitFor(() => receiver.received.length >= 1);
    expect(verify(hook.body.secret as string, receiver.received[0])).toMatchObject({ type: 'webhook.ping' });
  });

  it('with DATABASE_URL and no WEBHOOK_SECRET_KEY, start-up stops with exit code 78 naming it', async () => {
    const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/styrman' };
    delete env.WEBHOOK_SECRET_KEY;
    const started = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    started.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = await once(started, 'exit');
    expect(code).toBe(78);
    expect(stderr).toMatch(/WEBHOOK_SECRET_KEY: must be set when DATABASE_URL is set/);
  });
});
