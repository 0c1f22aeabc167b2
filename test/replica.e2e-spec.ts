import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ENTITIES } from '../src/entities.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { HistoryBuilder } from './support/history.js';
import { PrimaryAndReplica } from './support/replica.js';
import { fundedCluster } from './support/submissions.js';

/** The value of `styrman_db_routed_reads_total{target}` in an instance's /metrics. */
async function routed(t: TestApp, target: 'replica' | 'primary'): Promise<number> {
  const res = await t.api().get('/metrics');
  const line = res.text.split('\n').find((l) => l.startsWith(`styrman_db_routed_reads_total{target="${target}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/**
 * A primary and a streaming replica of it (made with the low-level backup API
 * from the embedded binaries), and Styrman with DATABASE_REPLICA_URL: reads
 * about the past go to the replica once it has replayed what they need, to the
 * primary otherwise (replay paused here).
 */
describe('reads from a streaming replica', () => {
  let pair: PrimaryAndReplica;
  let t: TestApp;
  let primaryOnly: TestApp;
  let databaseUrl: string;
  let clusterId: string;
  let goalId: string;
  let replica: pg.Client;

  beforeAll(async () => {
    pair = await PrimaryAndReplica.start();
    const primaryUrl = new URL(pair.primary.url);
    primaryUrl.pathname = '/styrman';
    databaseUrl = primaryUrl.toString();
    const migrate = new DataSource(dataSourceOptions(databaseUrl, ENTITIES));
    await migrate.initialize();
    await migrate.runMigrations({ transaction: 'all' });
    await migrate.destroy();
    // No kept reports: each pull below is built from the rows, on whichever database it was sent to.
    const env = { REPORT_KEEP: 'false', RATE_LIMIT_PER_MINUTE: '0' };
    t = await startTestApp({ ...env, DATABASE_REPLICA_URL: pair.onReplica(databaseUrl) }, {}, databaseUrl);
    primaryOnly = await startTestApp(env, {}, databaseUrl);
    clusterId = (await createCluster(t, { name: 'Smart Textiles' })).id as string;
    const history = new HistoryBuilder(t.dataSource, clusterId);
    await history.backdate('cluster', clusterId, '2026-01-10T09:00:00Z');
    goalId = await history.goal({ title: 'Forty firms' }, [
      { status: 'green', at: '2026-02-01T09:00:00Z' },
      { status: 'yellow', comment: 'Slow autumn', at: '2026-08-20T09:00:00Z' },
    ]);
    await pair.caughtUp('styrman');
    replica = new pg.Client({ connectionString: pair.onReplica(databaseUrl) });
    await replica.connect();
  }, 120_000);
  afterAll(async () => {
    await replica?.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
    await replica?.end();
    await primaryOnly?.app.close();
    await t?.app.close();
    await pair?.stop();
  });

  it('builds complete reports on the replica, byte-identical to the primary’s, and keeps doing so while replay is paused', async () => {
    const path = `/api/v1/clusters/${clusterId}/report?period=2026-Q3`;
    for (const format of ['', '&format=csv']) {
      const before = await routed(t, 'replica');
      const fromReplica = await t
        .api()
        .get(path + format)
        .buffer(true);
      expect(fromReplica.status).toBe(200);
      expect(await routed(t, 'replica')).toBe(before + 1);
      const fromPrimary = await primaryOnly
        .api()
        .get(path + format)
        .buffer(true);
      expect(fromPrimary.status).toBe(200);
      expect(fromReplica.text).toBe(fromPrimary.text);
      expect(Buffer.from(fromReplica.text).equals(Buffer.from(fromPrimary.text))).toBe(true);
      expect(fromReplica.headers.etag).toBe(fromPrimary.headers.etag);
    }
    expect(JSON.stringify((await t.api().get(`/api/v1/clusters/${clusterId}/report?period=2026-Q3`)).body)).toContain('Slow autumn');
  });

  it('builds a complete report of several clusters on the replica on two connections in one snapshot, byte-identical to the primary’s', async () => {
    // Two clusters, built to be kept: read on two connections of the replica (REPORT_READ_CONNECTIONS), the second in the
    // snapshot the first exported on the standby (PostgreSQL 10 and later export and import snapshots during recovery).
    const first = await fundedCluster(t, { cluster: { id: clusterId } });
    const other = (await createCluster(t, { name: 'Wood Works' })).id as string;
    await fundedCluster(t, { cluster: { id: other }, funder: first.funder });
    await new HistoryBuilder(t.dataSource, other).goal({ title: 'Ten mills' }, [
      { status: 'red', comment: 'Wet summer', at: '2026-07-20T09:00:00Z' },
    ]);
    await pair.caughtUp('styrman');
    const path = `/api/v1/funders/${first.funder.id}/report?period=2026-Q3`;
    const before = await routed(t, 'replica');
    const fromReplica = await t.api().get(path).buffer(true);
    expect(fromReplica.status).toBe(200);
    expect(await routed(t, 'replica')).toBe(before + 1);
    expect(fromReplica.body.clusters).toHaveLength(2);
    expect(fromReplica.text).toContain('Wet summer');
    const fromPrimary = await primaryOnly.api().get(path).buffer(true);
    expect(fromPrimary.status).toBe(200);
    expect(fromReplica.text).toBe(fromPrimary.text);
  });

  it('adds up an ended period’s indicator totals on the replica, byte-identical to the primary’s; a running period’s on the primary', async () => {
    const goal = await createGoal(t, clusterId, {
      indicator: { definitionId: '00000000-0000-4000-8000-0000000c1002', baseline: 0, target: 9 },
    });
    await t.api().post(`/api/v1/goals/${goal.id}/measurements`).send({ measuredOn: '2026-02-01', value: 5 }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const end = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Recorded after the end: not counted, and a commit the replica replays past the end.
    await t.api().post(`/api/v1/goals/${goal.id}/measurements`).send({ measuredOn: '2026-03-01', value: 9 }).expect(201);
    await pair.caughtUp('styrman');

    const path = `/api/v1/indicator-totals?from=2026-01-01&to=${encodeURIComponent(end)}`;
    const before = await routed(t, 'replica');
    const fromReplica = await t.api().get(path).expect(200);
    // The clusters as of the end, then their totals.
    expect(await routed(t, 'replica')).toBe(before + 2);
    expect(fromReplica.body.items).toMatchObject([{ total: 5, clusters: [{ clusterId, value: 5 }] }]);
    const fromPrimary = await primaryOnly.api().get(path).expect(200);
    expect(fromReplica.text).toBe(fromPrimary.text);
    expect(fromReplica.headers.etag).toBe(fromPrimary.headers.etag);

    const primaryBefore = await routed(t, 'primary');
    const running = await t.api().get('/api/v1/indicator-totals?period=2026').expect(200);
    expect(running.body.items).toMatchObject([{ total: 9 }]);
    expect(await routed(t, 'replica')).toBe(before + 2);
    expect(await routed(t, 'primary')).toBe(primaryBefore);
  });

  it('sends a read to the primary when the replica has not replayed what it needs (replay paused), and to the replica again once it has', async () => {
    await replica.query('SELECT pg_wal_replay_pause()');
    try {
      await pausedThenResumed();
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()');
    }
  });

  async function pausedThenResumed(): Promise<void> {
    await t.api().patch(`/api/v1/goals/${goalId}`).send({ title: 'Fifty firms' }).expect(200);
    const now = new Date().toISOString();

    const primaryBefore = await routed(t, 'primary');
    const replicaBefore = await routed(t, 'replica');
    // As of now, the list of revisions, the plan changes up to now: the replica lacks the write; the primary answers.
    const asOf = await t.api().get(`/api/v1/goals/${goalId}?asOf=${encodeURIComponent(now)}`);
    expect(asOf.body.title).toBe('Fifty firms');
    const revisions = await t.api().get(`/api/v1/goals/${goalId}/revisions`);
    expect(revisions.body.items.map((r: { version: number }) => r.version)).toContain(asOf.body.version);
    const changes = await t.api().get(`/api/v1/clusters/${clusterId}/plan/changes?from=2026-09-01&to=${encodeURIComponent(now)}`);
    expect(JSON.stringify(changes.body)).toContain('Fifty firms');
    expect(await routed(t, 'primary')).toBe(primaryBefore + 3);
    // As of a time the replica has replayed: the replica, even now.
    const past = await t.api().get(`/api/v1/clusters/${clusterId}?asOf=2026-09-30`);
    expect(past.body.name).toBe('Smart Textiles');
    expect(await routed(t, 'replica')).toBe(replicaBefore + 1);

    await replica.query('SELECT pg_wal_replay_resume()');
    await pair.caughtUp('styrman');
    const again = await t.api().get(`/api/v1/goals/${goalId}/revisions`);
    expect(again.body).toEqual(revisions.body);
    expect(await routed(t, 'replica')).toBe(replicaBefore + 2);
  }

  it('the events cursor’s horizon exists on a standby, but LISTEN does not: the feed stays on the primary', async () => {
    const primary = new pg.Client({ connectionString: databaseUrl });
    await primary.connect();
    try {
      // A transaction holding an xid that has written nothing yet, then a commit after it.
      await primary.query('BEGIN');
      const [{ xid }] = (await primary.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows;
      await t.api().patch(`/api/v1/goals/${goalId}`).send({ title: 'Sixty firms' }).expect(200);
      await pair.caughtUp('styrman');
      const [{ xmin }] = (await replica.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin')).rows;
      // The standby counts the open transaction as running (it learnt of its xid from the later one), as the primary does.
      expect(BigInt(xmin)).toBeLessThanOrEqual(BigInt(xid));
      await primary.query('ROLLBACK');
    } finally {
      await primary.end();
    }
    await expect(replica.query('LISTEN styrman_revision')).rejects.toThrow(/cannot execute LISTEN during recovery/);
  });
});
