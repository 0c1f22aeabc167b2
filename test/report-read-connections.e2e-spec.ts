import pg from 'pg';
import type { QueryRunner } from 'typeorm';
import type { Caller } from '../src/auth/role.js';
import { reportJson } from '../src/reports/render/report-json.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity } from './support/factories.js';
import { currentQuarter, fundedCluster, raw } from './support/submissions.js';

const WRITTEN_BETWEEN = 'Written after the first connection took its snapshot';

/**
 * A report built to be kept reads its batches on two connections at once (REPORT_READ_CONNECTIONS), the second in
 * the snapshot the first exported: a write that commits after the first connection's snapshot and before the second
 * connection's transaction begins is in neither, so the report is one moment of the plan however its batches are
 * spread over the connections.
 */
describe('a report read on two connections', () => {
  let t: TestApp;
  let funderId: string;
  const activities: { id: string; clusterId: string }[] = [];
  const admin: Caller = { keyId: 'test', name: 'test', role: 'admin', clusterIds: [], funderId: null };

  beforeAll(async () => {
    // One report at a time on two connections of four: with three held by the test, the second connection waits.
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', DB_POOL_SIZE: '4', REPORT_CONCURRENCY: '1' });
    const first = await fundedCluster(t);
    funderId = first.funder.id as string;
    const clusters = [
      first.cluster,
      (await fundedCluster(t, { funder: first.funder })).cluster,
      (await fundedCluster(t, { funder: first.funder })).cluster,
    ];
    for (const cluster of clusters)
      activities.push({ id: (await createActivity(t, cluster.id as string)).id as string, clusterId: cluster.id as string });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  it('reads every batch in the first connection’s snapshot, also one committed between the two connections’ starts', async () => {
    const path = `/api/v1/funders/${funderId}/report?period=${currentQuarter()}`;
    const watcher = new pg.Client({ connectionString: t.databaseUrl });
    await watcher.connect();
    const held: QueryRunner[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const runner = t.dataSource.createQueryRunner();
        await runner.connect();
        held.push(runner);
      }
      const pulled = (async () => {
        const agent = (await import('supertest')).default(t.app.getHttpServer());
        return agent.get(path).set('Authorization', `Bearer ${t.adminKey}`).buffer(true).parse(raw);
      })();
      // The first connection has its snapshot (a transaction with an xmin) and the second waits for the pool.
      const pool = (t.dataSource.driver as unknown as { master: { waitingCount: number } }).master;
      let started = false;
      for (let i = 0; i < 400 && !started; i++) {
        const [row] = (
          await watcher.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND state = 'idle in transaction' AND backend_xmin IS NOT NULL`,
          )
        ).rows;
        started = row.n >= 1 && pool.waitingCount >= 1;
        if (!started) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(started).toBe(true);
      // Committed now, on a connection of the pool that the second connection then gets.
      for (const activity of activities) {
        await held[0].query(
          `INSERT INTO status_update (subject_type, subject_id, cluster_id, status, state, comment, author, created_at)
           SELECT 'activity', $1, $2, 'red', su.state, $3, 'Test author', now()
           FROM status_update su WHERE su.subject_id = $1 ORDER BY su.created_at DESC, su.seq DESC LIMIT 1`,
          [activity.id, activity.clusterId, WRITTEN_BETWEEN],
        );
      }
      await held.shift()!.release();
      const res = await pulled;
      expect(res.status).toBe(200);
      const report = JSON.parse((res.body as Buffer).toString());
      expect(report.clusters).toHaveLength(3);
      expect((res.body as Buffer).toString()).not.toContain(WRITTEN_BETWEEN);
    } finally {
      for (const runner of held) await runner.release();
      await watcher.end();
    }
    // The write is there: a report built now shows it in every cluster.
    const reports = t.app.get(ReportsService);
    const period = reports.period({ period: currentQuarter() });
    const now = await reports.document(await reports.resolve(admin, { subject: 'funder', id: funderId }, period));
    const text = [...reportJson(now)].join('');
    expect(text.split(WRITTEN_BETWEEN)).toHaveLength(4);
  });
});
