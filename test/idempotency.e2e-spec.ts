import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants.js';
import { ApplicationConfig, DiscoveryService, ModulesContainer } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { IdempotencyInterceptor } from '../src/idempotency/idempotency.interceptor.js';
import { transaction } from '../src/database/transaction-context.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';

describe('Idempotency-Key', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t);
  });
  afterAll(() => t.close());

  const count = async (table: string) => (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  it('refuses to run work asking for REPEATABLE READ in an open READ COMMITTED transaction, and joins an equal one', async () => {
    await expect(
      transaction(t.dataSource, () => transaction(t.dataSource, () => Promise.resolve('joined'), 'REPEATABLE READ')),
    ).rejects.toThrow('A REPEATABLE READ transaction was asked for inside an open READ COMMITTED one');
    const joined = await transaction(
      t.dataSource,
      (outer) =>
        transaction(t.dataSource, async (inner) => {
          expect(inner).toBe(outer);
          return (await inner.query(`SHOW transaction_isolation`))[0].transaction_isolation as string;
        }),
      'REPEATABLE READ',
    );
    expect(joined).toBe('repeatable read');
  });

  it('is bound to every POST route and to no other: a read passes through no interceptor', () => {
    const routes = new DiscoveryService(t.app.get(ModulesContainer)).getControllers().flatMap((wrapper) => {
      const prototype = (wrapper.metatype as { prototype: Record<string, unknown> } | null)?.prototype;
      if (!prototype) return [];
      return Object.getOwnPropertyNames(prototype)
        .map((name) => prototype[name])
        .filter((handler): handler is object => typeof handler === 'function' && Reflect.hasMetadata(METHOD_METADATA, handler));
    });
    const interceptors = (handler: object) => (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
    const posts = routes.filter((handler) => Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST);
    expect(posts.length).toBeGreaterThan(15);
    expect(posts.filter((handler) => !interceptors(handler).includes(IdempotencyInterceptor))).toEqual([]);
    expect(routes.filter((handler) => !posts.includes(handler) && interceptors(handler).length > 0)).toEqual([]);
    expect(t.app.get(ApplicationConfig).getGlobalInterceptors()).toEqual([]);
  });

  it('replays the first response to a retry, and writes once', async () => {
    const key = randomUUID();
    const body = { title: 'Matchmaking event', dueDate: '2027-03-01' };
    const first = await t.api().post(`/api/v1/clusters/${cluster.id}/activities`).set('Idempotency-Key', key).send(body);
    expect(first.status).toBe(201);
    const before = await count('activity');
    const retry = await t.api().post(`/api/v1/clusters/${cluster.id}/activities`).set('Idempotency-Key', key).send(body);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect(await count('activity')).toBe(before);
  });

  it('refuses the same key with another request (422), and keys are per API key', async () => {
    const key = randomUUID();
    await t.api().post(`/api/v1/clusters/${cluster.id}/activities`).set('Idempotency-Key', key).send({ title: 'A' });
    expectProblem(
      await t.api().post(`/api/v1/clusters/${cluster.id}/activities`).set('Idempotency-Key', key).send({ title: 'B' }),
      422,
      'header.Idempotency-Key',
    );
    const editor = (await t.key('editor', { clusterIds: [cluster.id] })).secret;
    const other = await t.api(editor).post(`/api/v1/clusters/${cluster.id}/activities`).set('Idempotency-Key', key).send({ title: 'B' });
    expect(other.status).toBe(201);
    expect(other.body.title).toBe('B');
  });

  it('does not store refused requests: a corrected retry with the same key goes through', async () => {
    const key = randomUUID();
    expectProblem(
      await t
        .api()
        .post(`/api/v1/clusters/${cluster.id}/goals`)
        .set('Idempotency-Key', key)
        .send({ title: 'G', horizon: 'long_term', status: 'red' }),
      422,
    );
    const fixed = await t
      .api()
      .post(`/api/v1/clusters/${cluster.id}/goals`)
      .set('Idempotency-Key', key)
      .send({ title: 'G', horizon: 'long_term', status: 'red', statusComment: 'why' });
    expect(fixed.status).toBe(201);
  });

  it('refuses a malformed key with 400', async () => {
    expectProblem(
      await t.api().post(`/api/v1/clusters/${cluster.id}/activities`).set('Idempotency-Key', 'x'.repeat(201)).send({ title: 'A' }),
      400,
      'header.Idempotency-Key',
    );
  });

  it('20 concurrent identical POSTs with one key create exactly one row and return identical bodies', async () => {
    const key = randomUUID();
    const before = await count('activity');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t
          .api()
          .post(`/api/v1/clusters/${cluster.id}/activities`)
          .set('Idempotency-Key', key)
          .send({ title: 'Concurrent', owner: 'Retrying client' }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(await count('activity')).toBe(before + 1);
  });

  it('makes status updates safe to retry: one history entry for many tries', async () => {
    const a = await createActivity(t, cluster.id);
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.api().post(`/api/v1/activities/${a.id}/status-updates`).set('Idempotency-Key', key).send({ status: 'red', comment: 'Once' }),
      ),
    );
    expect(results.every((r) => r.status === 201 && r.body.version === 2)).toBe(true);
    expect((await t.api().get(`/api/v1/activities/${a.id}/status-updates`)).body.total).toBe(2);
  });

  it('forgets keys after 24 hours', async () => {
    const key = randomUUID();
    const first = await t.api().post(`/api/v1/clusters/${cluster.id}/activities`).set('Idempotency-Key', key).send({ title: 'Old' });
    await t.dataSource.query(`UPDATE idempotency_key SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
    const again = await t.api().post(`/api/v1/clusters/${cluster.id}/activities`).set('Idempotency-Key', key).send({ title: 'Old' });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
  });
});
