import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/app.js';
import { createTestDatabase, dropTestDatabase } from './support/database.js';
import { databaseDump, expectNoSecret } from './support/secrets.js';
import { createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { freePort } from './support/net.js';

describe('API keys and roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('authentication', () => {
    it('answers 401 with the same body for a missing, unknown and revoked key', async () => {
      const revoked = await t.key('viewer');
      expect((await t.api().delete(`/api/v1/api-keys/${revoked.id}`)).status).toBe(204);

      const missing = await t.api(null).get('/api/v1/clusters');
      const unknown = await t.api('sty_thisKeyDoesNotExistAnywhere000000000000000').get('/api/v1/clusters');
      const wasRevoked = await t.api(revoked.secret).get('/api/v1/clusters');
      for (const res of [missing, unknown, wasRevoked]) {
        expectProblem(res, 401);
        expect(res.headers['www-authenticate']).toContain('Bearer');
      }
      expect(unknown.body).toEqual(missing.body);
      expect(wasRevoked.body).toEqual(missing.body);
    });

    it('accepts the key as a Bearer token or in X-API-Key', async () => {
      expect((await t.api(null).get('/api/v1/clusters').set('X-API-Key', t.adminKey)).status).toBe(200);
      expect((await t.api(null).get('/api/v1/clusters').set('Authorization', `bearer ${t.adminKey}`)).status).toBe(200);
      expectProblem(await t.api(null).get('/api/v1/clusters').set('Authorization', `Basic ${t.adminKey}`), 401);
    });

    it('needs no key for health, Swagger UI and the OpenAPI document', async () => {
      expect((await t.api(null).get('/health')).status).toBe(200);
      expect((await t.api(null).get('/health/ready')).status).toBe(200);
      const docs = await t.api(null).get('/docs');
      expect(docs.status).toBe(200);
      expect(docs.text).toContain('swagger');
      const json = await t.api(null).get('/docs-json');
      expect(json.body.components.securitySchemes).toMatchObject({
        bearer: { type: 'http', scheme: 'bearer' },
        'api-key': { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      });
    });
  });

  describe('/api-keys', () => {
    it('creates a key whose secret is shown once, and stores only its hash', async () => {
      const cluster = await createCluster(t);
      const res = await t
        .api()
        .post('/api/v1/api-keys')
        .send({ name: 'Findit team', role: 'editor', clusterIds: [cluster.id] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'Findit team', role: 'editor', clusterIds: [cluster.id], funderId: null, revokedAt: null });
      const secret = res.body.secret as string;
      expect(secret).toMatch(/^sty_/);
      expect(secret.startsWith(res.body.prefix)).toBe(true);

      const fetched = await t.api().get(`/api/v1/api-keys/${res.body.id}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body.secret).toBeUndefined();
      expect(fetched.body.prefix).toBe(res.body.prefix);

      const dump = await databaseDump(t.databaseUrl);
      expect(dump).toContain(res.body.id); // the dump does hold the key's row
      expectNoSecret(dump, secret);
      expectNoSecret(dump, t.adminKey);
      expect((await t.api(secret).get(`/api/v1/clusters/${cluster.id}`)).status).toBe(200);
    });

    it('keeps no secret for an Idempotency-Key replay: a retry is a 409 naming the key created, and the secret is nowhere at rest', async () => {
      const first = await t
        .api()
        .post('/api/v1/api-keys')
        .set('Idempotency-Key', 'new-viewer-key-1')
        .send({ name: 'Dashboard', role: 'viewer' });
      expect(first.status).toBe(201);
      const secret = first.body.secret as string;
      expect(secret).toMatch(/^sty_/);

      const retry = await t
        .api()
        .post('/api/v1/api-keys')
        .set('Idempotency-Key', 'new-viewer-key-1')
        .send({ name: 'Dashboard', role: 'viewer' });
      const problem = expectProblem(retry, 409, 'header.Idempotency-Key');
      expect(problem.detail).toContain(first.body.id);
      expect(JSON.stringify(retry.body)).not.toContain(secret);
      const keys = await t.api().get('/api/v1/api-keys?role=viewer');
      expect(keys.body.items.filter((k: { name: string }) => k.name === 'Dashboard')).toHaveLength(1);

      // Another body with the same key is still a 422, as for every route.
      expectProblem(
        await t.api().post('/api/v1/api-keys').set('Idempotency-Key', 'new-viewer-key-1').send({ name: 'Other', role: 'viewer' }),
        422,
        'header.Idempotency-Key',
      );
      const dump = await databaseDump(t.databaseUrl);
      expect(dump).toContain('new-viewer-key-1'); // the idempotency record is in the dump
      expectNoSecret(dump, secret);
    });

    it('requires clusterIds for, and only for, editors, and funderId for, and only for, funders', async () => {
      const cluster = await createCluster(t);
      expectProblem(await t.api().post('/api/v1/api-keys').send({ name: 'e', role: 'editor' }), 422, 'clusterIds');
      expectProblem(await t.api().post('/api/v1/api-keys').send({ name: 'e', role: 'editor', clusterIds: [] }), 422, 'clusterIds');
      expectProblem(
        await t
          .api()
          .post('/api/v1/api-keys')
          .send({ name: 'v', role: 'viewer', clusterIds: [cluster.id] }),
        422,
        'clusterIds',
      );
      expectProblem(await t.api().post('/api/v1/api-keys').send({ name: 'f', role: 'funder' }), 422, 'funderId');
      expectProblem(
        await t.api().post('/api/v1/api-keys').send({ name: 'f', role: 'viewer', funderId: '7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' }),
        422,
        'funderId',
      );
      expectProblem(
        await t
          .api()
          .post('/api/v1/api-keys')
          .send({ name: 'e', role: 'editor', clusterIds: ['7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b'] }),
        422,
        'clusterIds',
      );
      expectProblem(
        await t.api().post('/api/v1/api-keys').send({ name: 'f', role: 'funder', funderId: '7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' }),
        422,
        'funderId',
      );
      expectProblem(await t.api().post('/api/v1/api-keys').send({ name: 'x', role: 'superuser' }), 400, 'role');
      expectProblem(
        await t
          .api()
          .post('/api/v1/api-keys')
          .send({ name: 'e', role: 'editor', clusterIds: ['nope'] }),
        400,
        'clusterIds',
      );
    });

    it('lists keys, hides revoked ones unless asked, and filters by role', async () => {
      const viewer = await t.key('viewer', { name: 'Region Gävleborg dashboard' });
      await t.api().delete(`/api/v1/api-keys/${viewer.id}`);
      const active = await t.api().get('/api/v1/api-keys?role=viewer');
      expect(active.status).toBe(200);
      expect(active.body.items.map((k: { id: string }) => k.id)).not.toContain(viewer.id);
      const all = await t.api().get('/api/v1/api-keys?role=viewer&includeRevoked=true');
      expect(all.body.items.map((k: { id: string }) => k.id)).toContain(viewer.id);
      expect(all.body.items.every((k: { role: string; secret?: string }) => k.role === 'viewer' && k.secret === undefined)).toBe(true);
      expect(all.body).toMatchObject({ limit: 50, offset: 0, total: all.body.items.length });
    });

    it('revokes (again: 204), and a revoked key stops working at once', async () => {
      const viewer = await t.key('viewer');
      expect((await t.api(viewer.secret).get('/api/v1/clusters')).status).toBe(200);
      expect((await t.api().delete(`/api/v1/api-keys/${viewer.id}`)).status).toBe(204);
      expect((await t.api().delete(`/api/v1/api-keys/${viewer.id}`)).status).toBe(204);
      expectProblem(await t.api(viewer.secret).get('/api/v1/clusters'), 401);
      const fetched = await t.api().get(`/api/v1/api-keys/${viewer.id}`);
      expect(fetched.body.revokedAt).toEqual(expect.any(String));
    });

    it('refuses to revoke the last active admin key (409), allows it once another exists', async () => {
      const keys = await t.api().get('/api/v1/api-keys?role=admin');
      const bootstrap = keys.body.items[0].id as string;
      expect(keys.body.total).toBe(1);
      expectProblem(await t.api().delete(`/api/v1/api-keys/${bootstrap}`), 409);

      const second = await t.key('admin');
      expect((await t.api(second.secret).delete(`/api/v1/api-keys/${bootstrap}`)).status).toBe(204);
      expectProblem(await t.api(second.secret).delete(`/api/v1/api-keys/${second.id}`), 409);
      t.adminKey = second.secret;
    });

    it('is for admins only: 403 for every other role, 404 for an unknown id', async () => {
      const cluster = await createCluster(t);
      const editor = await t.key('editor', { clusterIds: [cluster.id] });
      const viewer = await t.key('viewer');
      for (const key of [editor.secret, viewer.secret]) {
        expectProblem(await t.api(key).get('/api/v1/api-keys'), 403);
        expectProblem(await t.api(key).post('/api/v1/api-keys').send({ name: 'x', role: 'admin' }), 403);
        expectProblem(await t.api(key).get(`/api/v1/api-keys/${viewer.id}`), 403);
        expectProblem(await t.api(key).delete(`/api/v1/api-keys/${viewer.id}`), 403);
      }
      expectProblem(await t.api().get('/api/v1/api-keys/7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b'), 404);
    });
  });

  describe('secrets at rest', () => {
    it('no API key secret in any table or in the logs (at trace level), through creation, replay and use', async () => {
      const databaseUrl = await createTestDatabase();
      const port = await freePort();
      const adminKey = `sty_logs_${randomBytes(16).toString('hex')}`;
      const main = join(import.meta.dirname, '..', '..', 'dist', 'src', 'main.js');
      const app = spawn(process.execPath, [main], {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          WEBHOOK_SECRET_KEY: '5e'.repeat(32),
          SIGNING_KEY: '6f'.repeat(32),
          ADMIN_API_KEY: adminKey,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'trace',
          DEMO_DATA: 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let logs = '';
      app.stdout.on('data', (d: Buffer) => (logs += d.toString()));
      app.stderr.on('data', (d: Buffer) => (logs += d.toString()));
      try {
        while (!logs.includes('Styrman is ready')) {
          if (app.exitCode !== null) throw new Error(logs);
          await new Promise((r) => setTimeout(r, 100));
        }
        const base = `http://127.0.0.1:${port}/api/v1`;
        const json = { 'Content-Type': 'application/json' };
        const create = () =>
          fetch(`${base}/api-keys`, {
            method: 'POST',
            headers: { ...json, Authorization: `Bearer ${adminKey}`, 'Idempotency-Key': 'logged-key-1' },
            body: JSON.stringify({ name: 'Region dashboard', role: 'viewer' }),
          });
        const created = await create();
        expect(created.status).toBe(201);
        const { secret, id } = (await created.json()) as { secret: string; id: string };
        expect((await create()).status).toBe(409);
        expect((await fetch(`${base}/clusters`, { headers: { 'X-API-Key': secret } })).status).toBe(200);
        expect((await fetch(`${base}/clusters`, { headers: { Authorization: `Bearer ${secret}` } })).status).toBe(200);
        expect((await fetch(`${base}/api-keys/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${adminKey}` } })).status).toBe(
          204,
        );
        expect((await fetch(`${base}/clusters`, { headers: { Authorization: `Bearer ${secret}` } })).status).toBe(401);
        // A key sent where it does not belong, in the query string, is refused and not logged either.
        expect((await fetch(`${base}/clusters?api_key=${encodeURIComponent(adminKey)}`)).status).toBe(401);

        app.kill('SIGTERM');
        await once(app, 'exit');
        expect(logs).toContain(id); // the logs do hold the requests
        expectNoSecret(logs, secret);
        expectNoSecret(logs, adminKey);
        const dump = await databaseDump(databaseUrl);
        expect(dump).toContain(id);
        expectNoSecret(dump, secret);
        expectNoSecret(dump, adminKey);
      } finally {
        if (app.exitCode === null) app.kill('SIGKILL');
        await dropTestDatabase(databaseUrl);
      }
    });
  });
});
