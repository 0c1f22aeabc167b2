import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { type AppOptions, createApp } from '../../src/app.factory.js';
import { validateEnvironment } from '../../src/config/environment.js';
import type { Role } from '../../src/auth/role.js';
import { createTestDatabase, dropTestDatabase, pooledUrl } from './database.js';

/** The WEBHOOK_SECRET_KEY of test applications (a test may give another). */
export const TEST_WEBHOOK_SECRET_KEY = '5e'.repeat(32);

export interface TestApp {
  app: NestFastifyApplication;
  dataSource: DataSource;
  adminKey: string;
  databaseUrl: string;
  /** A supertest request against the app, with the given key (the admin key by default; `null` for none). */
  api(key?: string | null): TestAgent;
  /** Creates an API key through the API and returns its secret and id. */
  key(role: Role, options?: { clusterIds?: string[]; funderId?: string; name?: string }): Promise<{ secret: string; id: string }>;
  close(): Promise<void>;
}

type Method = 'get' | 'post' | 'patch' | 'delete' | 'put' | 'head';
export type TestAgent = Record<Method, (path: string) => request.Test>;

/** The real application on a fresh database of its own (or on `existingDatabaseUrl`, which `close` then drops). */
export async function startTestApp(
  env: Record<string, string> = {},
  options: AppOptions = {},
  existingDatabaseUrl?: string,
): Promise<TestApp> {
  const databaseUrl = existingDatabaseUrl ?? (await createTestDatabase());
  const adminKey = `sty_test_admin_${randomBytes(16).toString('hex')}`;
  const app = await createApp(
    validateEnvironment({
      LOG_LEVEL: 'silent',
      WEBHOOK_WORKER: 'false',
      // Emails can be made (POST /subscriptions works) but are written nowhere unless a test runs the worker.
      EMAIL_WORKER: 'false',
      EMAIL_OUTBOX_DIR: join(tmpdir(), 'styrman-test-outbox'),
      WEBHOOK_SECRET_KEY: TEST_WEBHOOK_SECRET_KEY,
      ...env,
      DATABASE_URL: pooledUrl(databaseUrl),
      DATABASE_DIRECT_URL: databaseUrl,
      ADMIN_API_KEY: adminKey,
      DEMO_DATA: 'false',
    }),
    options,
  );
  const server = app.getHttpServer();
  const api = (key: string | null = testApp.adminKey): TestAgent => {
    const agent = request(server);
    const withKey = (test: request.Test) => (key === null ? test : test.set('Authorization', `Bearer ${key}`));
    return {
      get: (path) => withKey(agent.get(path)),
      post: (path) => withKey(agent.post(path)),
      patch: (path) => withKey(agent.patch(path)),
      delete: (path) => withKey(agent.delete(path)),
      put: (path) => withKey(agent.put(path)),
      head: (path) => withKey(agent.head(path)),
    };
  };
  const testApp: TestApp = {
    app,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    adminKey,
    databaseUrl,
    api,
    async key(role, options = {}) {
      const res = await api()
        .post('/api/v1/api-keys')
        .send({ name: options.name ?? `${role} key`, role, clusterIds: options.clusterIds, funderId: options.funderId });
      if (res.status !== 201) throw new Error(`could not create a ${role} key: ${res.status} ${JSON.stringify(res.body)}`);
      return { secret: res.body.secret as string, id: res.body.id as string };
    },
    async close() {
      await app.close();
      await dropTestDatabase(databaseUrl);
    },
  };
  return testApp;
}
