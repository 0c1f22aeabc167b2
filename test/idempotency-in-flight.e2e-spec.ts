import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';

/**
 * "A retry while the first is still running waits for it up to 5 s, then gets 409."
 *
 * The first request is held inside its transaction, after it has claimed its
 * Idempotency-Key, by a gate of the test's own: a trigger on `status_update`
 * that sleeps while the gate is closed. A row lock taken by the test would not
 * do: the claim sets `lock_timeout` for the whole transaction, so the first
 * request would give up waiting for the row before the retry gives up waiting
 * for the key. A sleep is not a lock wait, so the first request is held for
 * as long as the test wants, whatever the timing.
 */
describe('Idempotency-Key while the first request still runs', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t);
    await t.dataSource.query(`CREATE TABLE test_gate (open boolean NOT NULL)`);
    await t.dataSource.query(`INSERT INTO test_gate VALUES (false)`);
    await t.dataSource.query(`
      CREATE FUNCTION test_hold() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Each statement of a function sees the gate as committed now; at most a minute, never for ever.
        FOR i IN 1..3000 LOOP
          EXIT WHEN (SELECT open FROM test_gate);
          PERFORM pg_sleep(0.02);
        END LOOP;
        RETURN NEW;
      END $$`);
    await t.dataSource.query(
      `CREATE TRIGGER test_hold BEFORE INSERT ON status_update FOR EACH ROW WHEN (NEW.comment = 'held') EXECUTE FUNCTION test_hold()`,
    );
  });
  afterAll(async () => {
    await t.dataSource.query(`UPDATE test_gate SET open = true`);
    await t.close();
  });

  /** Backends of this database sleeping at the gate. */
  const held = async () =>
    (
      await t.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'`,
      )
    )[0].n as number;

  it('answers a retry with 409 while the first runs, then the first completes and later retries get its answer', async () => {
    const a = await createActivity(t, cluster.id);
    const key = randomUUID();
    const send = () =>
      t.api().post(`/api/v1/activities/${a.id}/status-updates`).set('Idempotency-Key', key).send({ status: 'red', comment: 'held' });

    let firstAnswered = false;
    const first = send().then((res: Response) => {
      firstAnswered = true;
      return res;
    });
    // The first request has claimed the key and sits at the gate, inside its transaction.
    for (let i = 0; (await held()) === 0; i++) {
      if (i > 500) throw new Error('the first request never reached the gate');
      await new Promise((r) => setTimeout(r, 20));
    }

    const started = Date.now();
    const retry = await send();
    const waited = Date.now() - started;
    expectProblem(retry, 409);
    expect(retry.body.detail).toMatch(/still being processed/);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(firstAnswered).toBe(false);
    expect(await held()).toBe(1);
    // It waited for the first (5 s), not refused at once.
    expect(waited).toBeGreaterThanOrEqual(4500);

    await t.dataSource.query(`UPDATE test_gate SET open = true`);
    const done = await first;
    expect(done.status).toBe(201);
    expect(done.headers['idempotent-replayed']).toBeUndefined();
    expect(done.body).toMatchObject({ id: a.id, status: 'red', version: 2 });

    const later = await send();
    expect(later.status).toBe(201);
    expect(later.headers['idempotent-replayed']).toBe('true');
    expect(later.body).toEqual(done.body);
    const entries = await t.dataSource.query(`SELECT comment FROM status_update WHERE subject_id = $1 AND comment = 'held'`, [a.id]);
    expect(entries).toHaveLength(1);
  });
});
