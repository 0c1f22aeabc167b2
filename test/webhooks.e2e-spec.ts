import standardwebhooks from 'standardwebhooks';
import { WebhookSettings } from '../src/webhooks/webhook-settings.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { Receiver } from './support/receiver.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls (bounded) until `ready` gives something truthy, and returns it. */
async function until<T>(
  ready: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; await sleep(25)) {
    const value = await ready();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/** Webhooks delivered to receivers on 127.0.0.1 (WEBHOOK_ALLOW_PRIVATE=true), with a fast retry schedule. */
describe('webhooks', () => {
  let t: TestApp;
  let receiver: Receiver;
  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_PER_MINUTE: '0',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_WORKER: 'true',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_RETRY_SCHEDULE: '200ms,200ms,200ms',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_DISABLE_AFTER: '1500ms',
    });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    receiver = await new Receiver().start();
  });
  afterEach(() => receiver.close());

  /** The delivery log of a webhook, newest first, as its GET answers it. */
  async function deliveries(id: string): Promise<Record<string, any>[]> {
    return (await t.api().get(`/api/v1/webhooks/${id}/deliveries`).expect(200)).body.items;
  }

  async function webhook(body: Record<string, unknown>, key = t.adminKey): Promise<{ id: string; secret: string }> {
    const res = await t.api(key).post('/api/v1/webhooks').send(body);
    if (res.status !== 201) throw new Error(`webhook: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; secret: string };
  }

  it('delivers an event signed with the Standard Webhooks scheme; the secret is shown once and kept encrypted', async () => {
    const cluster = await createCluster(t);
    const hook = await webhook({ url: receiver.url, clusterIds: [cluster.id], description: 'dashboard' });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const read = await t.api().get(`/api/v1/webhooks/${hook.id}`).expect(200);
    expect(read.body).toMatchObject({
      url: receiver.url,
      clusterIds: [cluster.id],
      types: null,
      description: 'dashboard',
      disabledAt: null,
    });
    expect(read.body.secret).toBeUndefined();
    // Nowhere in the database in plain text.
    const [dump] = await t.dataSource.query<{ text: string }[]>(`SELECT row_to_json(w)::text AS text FROM webhook w WHERE id = $1`, [
      hook.id,
    ]);
    expect(dump.text).not.toContain(hook.secret.slice('whsec_'.length, 20));
    expect(dump.text).not.toContain(hook.secret);

    const goal = await createGoal(t, cluster.id);
    await receiver.waitFor(() => receiver.received.length >= 1);
    const [got] = receiver.received;
    const verified = new standardwebhooks.Webhook(hook.secret).verify(got.body, got.headers as Record<string, string>) as Record<
      string,
      any
    >;
    expect(verified).toMatchObject({ type: 'goal.created', subject: { type: 'goal', id: goal.id }, clusterId: cluster.id });
    expect(verified.data).toMatchObject({ id: goal.id, title: goal.title });
    // The webhook-id is the event's id in the feed.
    const feed = await t.api().get(`/api/v1/events?clusterId=${cluster.id}&types=goal.created`).expect(200);
    expect(got.headers['webhook-id']).toBe(feed.body.items[0].id);
    expect(() => new standardwebhooks.Webhook(hook.secret).verify(`${got.body} `, got.headers as Record<string, string>)).toThrow();

    const log = await t.api().get(`/api/v1/webhooks/${hook.id}/deliveries`).expect(200);
    expect(log.body.items).toEqual([
      expect.objectContaining({ eventId: feed.body.items[0].id, attempt: 1, state: 'succeeded', responseStatus: 200, nextAttemptAt: null }),
    ]);
    expect(log.body.items[0].deliveredAt).toEqual(expect.any(String));
  });

  it('retries a receiver that answers 500 twice, with the same webhook-id, until it answers 200', async () => {
    const cluster = await createCluster(t);
    receiver.answer = (_r, i, res) => {
      res.statusCode = i < 2 ? 500 : 200;
      res.end();
    };
    const hook = await webhook({ url: receiver.url, clusterIds: [cluster.id], types: ['goal.created'] });
    await createGoal(t, cluster.id);
    await receiver.waitFor(() => receiver.received.length >= 3);
    // Succeeded: nothing more will be sent, so no fourth request can still be on its way.
    await until(async () => (await deliveries(hook.id))[0]?.state === 'succeeded', 'the delivery to succeed');
    expect(receiver.received).toHaveLength(3);
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const r of receiver.received) new standardwebhooks.Webhook(hook.secret).verify(r.body, r.headers as Record<string, string>);
    expect(receiver.received[1].at - receiver.received[0].at).toBeGreaterThanOrEqual(150); // the backoff
    const log = await t.api().get(`/api/v1/webhooks/${hook.id}/deliveries`).expect(200);
    expect(log.body.items).toEqual([expect.objectContaining({ attempt: 3, state: 'succeeded', responseStatus: 200 })]);
    expect((await t.api().get(`/api/v1/webhooks/${hook.id}`)).body.failingSince).toBeNull();
  });

  it('gives up after the schedule (failed), can be retried by hand, and disables an endpoint failing for too long', async () => {
    const cluster = await createCluster(t);
    receiver.answer = (_r, _i, res) => {
      res.statusCode = 503;
      res.end();
    };
    const hook = await webhook({ url: receiver.url, clusterIds: [cluster.id] });
    await createGoal(t, cluster.id);
    await receiver.waitFor(() => receiver.received.length >= 4); // the first attempt and three retries
    // Failed: the schedule is spent, no fifth attempt will come.
    await until(async () => (await deliveries(hook.id))[0]?.state === 'failed', 'the delivery to fail');
    expect(receiver.received).toHaveLength(4);
    const [failed] = (await t.api().get(`/api/v1/webhooks/${hook.id}/deliveries?state=failed`).expect(200)).body.items;
    expect(failed).toMatchObject({ attempt: 4, state: 'failed', responseStatus: 503, nextAttemptAt: null });

    receiver.answer = (_r, _i, res) => {
      res.statusCode = 204;
      res.end();
    };
    const retried = await t.api().post(`/api/v1/webhooks/${hook.id}/deliveries/${failed.id}/retry`).expect(202);
    expect(retried.body.state).toBe('pending');
    await receiver.waitFor(() => receiver.received.length >= 5);
    expect(receiver.received[4].headers['webhook-id']).toBe(failed.eventId);
    const [done] = await until(async () => {
      const log = await deliveries(hook.id);
      return log[0]?.state === 'succeeded' && log;
    }, 'the retried delivery to succeed');
    expect(done).toMatchObject({ state: 'succeeded', attempt: 5 });

    // Failing for longer than WEBHOOK_DISABLE_AFTER (1.5 s here) disables it.
    receiver.answer = (_r, _i, res) => {
      res.statusCode = 500;
      res.end();
    };
    const before = receiver.received.length;
    await createGoal(t, cluster.id);
    await receiver.waitFor(() => receiver.received.length > before);
    // Failing for longer than WEBHOOK_DISABLE_AFTER: since when it fails is the webhook's own record.
    const since = await until(
      async () => (await t.api().get(`/api/v1/webhooks/${hook.id}`)).body.failingSince as string | null,
      'failingSince',
    );
    await until(() => Date.now() - Date.parse(since) > 1600, 'the endpoint to fail for 1.6 s', 5000);
    await createGoal(t, cluster.id);
    const deadline = Date.now() + 5000;
    let disabledAt: string | null = null;
    while (!disabledAt && Date.now() < deadline) {
      await sleep(100);
      disabledAt = (await t.api().get(`/api/v1/webhooks/${hook.id}`)).body.disabledAt;
    }
    expect(disabledAt).toEqual(expect.any(String));
    expectProblem(await t.api().post(`/api/v1/webhooks/${hook.id}/ping`), 409);
    const on = await t.api().patch(`/api/v1/webhooks/${hook.id}`).send({ disabled: false }).expect(200);
    expect(on.body).toMatchObject({ disabledAt: null, failingSince: null });
  });

  it('ping sends a signed webhook.ping; a key sees only its own webhooks, an admin all', async () => {
    const cluster = await createCluster(t);
    const editor = (await t.key('editor', { clusterIds: [cluster.id] })).secret;
    const viewer = (await t.key('viewer')).secret;
    const hook = await webhook({ url: receiver.url }, editor);
    const ping = await t.api(editor).post(`/api/v1/webhooks/${hook.id}/ping`).expect(202);
    await receiver.waitFor(() => receiver.received.length >= 1);
    const body = new standardwebhooks.Webhook(hook.secret).verify(
      receiver.received[0].body,
      receiver.received[0].headers as Record<string, string>,
    );
    expect(body).toMatchObject({ type: 'webhook.ping', id: ping.body.eventId, data: { webhookId: hook.id } });

    expectProblem(await t.api(viewer).get(`/api/v1/webhooks/${hook.id}`), 404);
    expectProblem(await t.api(viewer).patch(`/api/v1/webhooks/${hook.id}`).send({ description: 'x' }), 404);
    expectProblem(await t.api(viewer).delete(`/api/v1/webhooks/${hook.id}`), 404);
    expect((await t.api(viewer).get('/api/v1/webhooks').expect(200)).body.items).toEqual([]);
    expect((await t.api(editor).get('/api/v1/webhooks').expect(200)).body.items.map((w: { id: string }) => w.id)).toEqual([hook.id]);
    expect((await t.api().get('/api/v1/webhooks?limit=200').expect(200)).body.items.map((w: { id: string }) => w.id)).toContain(hook.id);
    // An editor may not name a cluster it cannot read.
    const other = await createCluster(t);
    expectProblem(
      await t
        .api(editor)
        .post('/api/v1/webhooks')
        .send({ url: receiver.url, clusterIds: [other.id] }),
      422,
      'clusterIds',
    );
    expectProblem(
      await t
        .api(editor)
        .post('/api/v1/webhooks')
        .send({ url: receiver.url, types: ['goal.exploded'] }),
      400,
      'types',
    );
    const changed = await t
      .api(editor)
      .patch(`/api/v1/webhooks/${hook.id}`)
      .set('If-Match', '"1"')
      .send({ types: ['goal.created'] })
      .expect(200);
    expect(changed.body).toMatchObject({ version: 2, types: ['goal.created'] });
    expectProblem(await t.api(editor).patch(`/api/v1/webhooks/${hook.id}`).set('If-Match', '"1"').send({ description: 'x' }), 412);
    await t.api(editor).delete(`/api/v1/webhooks/${hook.id}`).expect(204);
    await t.api(editor).delete(`/api/v1/webhooks/${hook.id}`).expect(204);
    expect((await t.api(editor).get(`/api/v1/webhooks/${hook.id}`).expect(200)).body.archivedAt).toEqual(expect.any(String));
    expect((await t.api(editor).get('/api/v1/webhooks').expect(200)).body.items).toEqual([]);
    expect((await t.api(editor).get('/api/v1/webhooks?includeArchived=true').expect(200)).body.items).toHaveLength(1);
    expectProblem(await t.api(editor).post(`/api/v1/webhooks/${hook.id}/ping`), 409);
  });

  it("a funder key's webhook carries only its clusters' events; a revoked key's webhook stops", async () => {
    const mine = await createCluster(t);
    const theirs = await createCluster(t);
    const funder = (await t.api().post('/api/v1/funders').send({ name: 'Tillväxtverket', kind: 'national_agency' }).expect(201)).body;
    await t
      .api()
      .post(`/api/v1/funders/${funder.id}/fundings`)
      .send({ clusterId: mine.id, programme: 'P', amount: 1000, startsOn: '2026-01-01', endsOn: '2026-12-31' })
      .expect(201);
    const key = await t.key('funder', { funderId: funder.id });
    await webhook({ url: receiver.url }, key.secret);
    for (let i = 0; i < 3; i++) await createGoal(t, theirs.id);
    const goal = await createGoal(t, mine.id);
    await receiver.waitFor(() => receiver.received.length >= 1);
    // Its event came after the other cluster's three, and the dispatcher passes events in order: by now they were
    // passed, and no delivery was made of them.
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id WHERE w.api_key_id = $1`,
      [key.id],
    );
    expect(count).toBe(1);
    expect(receiver.events().map((e) => [e.type, e.clusterId, e.subject.id])).toEqual([['goal.created', mine.id, goal.id]]);

    await t.api().delete(`/api/v1/api-keys/${key.id}`).expect(204);
    // A witness webhook of the admin key on the same cluster: once it has the next event, that event was dispatched.
    const witness = await new Receiver().start();
    try {
      await webhook({ url: witness.url, clusterIds: [mine.id] });
      const later = await createGoal(t, mine.id);
      await witness.waitFor(() => witness.events().some((e) => e.subject.id === later.id));
      expect(receiver.received).toHaveLength(1);
    } finally {
      await witness.close();
    }
  });

  it('does not follow redirects: a 302 to another address is a failed attempt and nothing reaches it', async () => {
    const target = await new Receiver().start();
    try {
      receiver.answer = (_r, _i, res) => {
        res.statusCode = 302;
        res.setHeader('location', target.url);
        res.end();
      };
      const cluster = await createCluster(t);
      const hook = await webhook({ url: receiver.url, clusterIds: [cluster.id] });
      await createGoal(t, cluster.id);
      await receiver.waitFor(() => receiver.received.length >= 1);
      // The attempt's outcome is written: the 302 was the answer, and nothing followed it.
      const [delivery] = await until(async () => {
        const log = await deliveries(hook.id);
        return log[0]?.responseStatus === 302 && log;
      }, 'the attempt to be written');
      expect(target.received).toEqual([]);
      expect(delivery).toMatchObject({ responseStatus: 302 });
      expect(delivery.state).not.toBe('succeeded');
    } finally {
      await target.close();
    }
  });
});

/** SSRF: without WEBHOOK_ALLOW_PRIVATE, webhooks never reach private, loopback, link-local or metadata addresses. */
describe('webhook URLs without WEBHOOK_ALLOW_PRIVATE', () => {
  let t: TestApp;
  let settings: WebhookSettings;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_WORKER: 'true', WEBHOOK_POLL_MS: '50', WEBHOOK_RETRY_SCHEDULE: '10s' });
    settings = t.app.get(WebhookSettings);
  });
  afterAll(() => t.close());

  it.each([
    'http://127.0.0.1/hook',
    'https://127.0.0.1/hook',
    'http://[::1]/hook',
    'https://[::1]/hook',
    'http://169.254.169.254/latest/meta-data',
    'https://169.254.169.254/',
    'https://10.1.2.3/',
    'https://192.168.1.10/',
    'https://[fd00:ec2::254]/',
    'https://[fe80::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:a9fe:a9fe]/',
    'https://0.0.0.0/',
    'http://example.org/hook',
    'https://user:pass@example.org/hook',
  ])('refuses %s (422 naming url)', async (url) => {
    expectProblem(await t.api().post('/api/v1/webhooks').send({ url }), 422, 'url');
  });

  it('a private address: the 422 names WEBHOOK_ALLOW_PRIVATE, and says the address once when the URL already is one', async () => {
    const body = expectProblem(await t.api().post('/api/v1/webhooks').send({ url: 'https://127.0.0.1/hook' }), 422, 'url');
    expect(body.detail).toContain('WEBHOOK_ALLOW_PRIVATE=true');
    expect(body.detail).not.toContain('127.0.0.1 is 127.0.0.1');
  });

  it('refuses what is not an http(s) URL as malformed (400 naming url)', async () => {
    expectProblem(await t.api().post('/api/v1/webhooks').send({ url: 'ftp://example.org/hook' }), 400, 'url');
    expectProblem(await t.api().post('/api/v1/webhooks').send({ url: 'https://exa mple.org/' }), 400, 'url');
  });

  it('refuses a host name that resolves to 10.0.0.1, and re-checks the address at every delivery (DNS rebinding)', async () => {
    settings.resolve = () => Promise.resolve([{ address: '10.0.0.1', family: 4 }]);
    expectProblem(await t.api().post('/api/v1/webhooks').send({ url: 'https://internal.example.org/hook' }), 422, 'url');

    // Public when created, private when delivered: the delivery is refused before any connection.
    settings.resolve = () => Promise.resolve([{ address: '93.184.215.14', family: 4 }]);
    const cluster = await createCluster(t);
    const hook = (
      await t
        .api()
        .post('/api/v1/webhooks')
        .send({ url: 'https://rebind.example.org/hook', clusterIds: [cluster.id] })
        .expect(201)
    ).body;
    settings.resolve = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
    await createGoal(t, cluster.id);
    let delivery: Record<string, any> | undefined;
    const deadline = Date.now() + 5000;
    while (!delivery?.error && Date.now() < deadline) {
      await sleep(50);
      [delivery] = (await t.api().get(`/api/v1/webhooks/${hook.id}/deliveries`)).body.items;
    }
    expect(delivery).toMatchObject({ state: 'pending', attempt: 1, responseStatus: null });
    expect(delivery!.error).toMatch(/private, loopback, link-local or reserved address/);
    // A PATCH to a private address is refused too.
    expectProblem(await t.api().patch(`/api/v1/webhooks/${hook.id}`).send({ url: 'https://[::1]/x' }), 422, 'url');
  });
});
