import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import pg from 'pg';
import type request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../src/app.factory.js';
import { validateEnvironment } from '../src/config/environment.js';
import { startTestApp, TEST_WEBHOOK_SECRET_KEY, type TestApp } from './support/app.js';
import { createActivity } from './support/factories.js';
import { ownStatements } from './support/statements.js';
import { currentQuarter, fundedCluster, raw } from './support/submissions.js';

/** A build of a report: the statement that opens its snapshot (the first of its connections; any others import it). */
const BUILD = /pg_current_snapshot\(\)::text AS snapshot/;
/** Statements that read the plan or its history: a kept copy makes none. */
const PLAN_TABLES = /\b(goal|activity|low_hanging_fruit|risk|actor|actor_engagement|status_update|measurement)\b/;

/**
 * The report of a running period, kept for a short time in PostgreSQL with the snapshot it was read in: every
 * instance serves the copy while none of its clusters has been written to since, and builds it anew after.
 */
describe('reports of a running period kept per snapshot', () => {
  let t: TestApp;
  let second: NestFastifyApplication;
  let streaming: NestFastifyApplication;
  let funderId: string;
  /** Two clusters in the funder's report, and one of another funder. */
  let inReport: Record<string, any>;
  let otherActivity: Record<string, any>;
  let path: string;

  const instance = (env: Record<string, string> = {}) =>
    createApp(
      validateEnvironment({
        LOG_LEVEL: 'silent',
        WEBHOOK_WORKER: 'false',
        EMAIL_WORKER: 'false',
        WEBHOOK_SECRET_KEY: TEST_WEBHOOK_SECRET_KEY,
        RATE_LIMIT_PER_MINUTE: '0',
        ...env,
        DATABASE_URL: t.databaseUrl,
        ADMIN_API_KEY: t.adminKey,
        DEMO_DATA: 'false',
      }),
    );

  const statementsOf = <T>(app: NestFastifyApplication, work: () => Promise<T>) =>
    ownStatements({ dataSource: app.get<DataSource>(getDataSourceToken()) } as TestApp, work);

  const pull = async (app: NestFastifyApplication, at = path): Promise<request.Response & { body: Buffer }> => {
    const agent = (await import('supertest')).default(app.getHttpServer());
    const res = await agent.get(at).set('Authorization', `Bearer ${t.adminKey}`).buffer(true).parse(raw);
    if (res.status !== 200) throw new Error(`${res.status} ${String(res.body)}`);
    return res;
  };

  /** What a build at this moment gives: the same report from an instance that keeps nothing of running periods. */
  const fresh = async (at = path) => (await pull(streaming, at)).body.toString();

  const statusUpdate = async (activityId: string, comment: string) => {
    const res = await t.api().post(`/api/v1/activities/${activityId}/status-updates`).send({ status: 'yellow', comment });
    if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
  };

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    second = await instance();
    streaming = await instance({ REPORT_OPEN_KEEP_SECONDS: '0' });
    const first = await fundedCluster(t);
    funderId = first.funder.id as string;
    const next = await fundedCluster(t, { funder: first.funder });
    const other = await fundedCluster(t);
    inReport = await createActivity(t, next.cluster.id as string);
    await createActivity(t, first.cluster.id as string);
    otherActivity = await createActivity(t, other.cluster.id as string);
    path = `/api/v1/funders/${funderId}/report?period=${currentQuarter()}`;
  }, 60_000);

  afterAll(async () => {
    await second?.close();
    await streaming?.close();
    await t?.close();
  });

  it('is built once, then served by every instance from PostgreSQL until one of its clusters is written to', async () => {
    const built = await statementsOf(t.app, () => pull(t.app));
    expect(built.statements.filter((sql) => BUILD.test(sql))).toHaveLength(1);
    expect(built.statements.at(-1)).toMatch(/INSERT INTO open_report/);
    expect(built.result.body.toString()).toBe(await fresh());
    expect(JSON.parse(built.result.body.toString()).clusters).toHaveLength(2);

    // The funder, its clusters, the kept copy (still the report?): nothing read from the plan, on either instance.
    for (const app of [t.app, second]) {
      const { result, statements } = await statementsOf(app, () => pull(app));
      expect(statements).toHaveLength(3);
      expect(statements[2]).toMatch(/FROM open_report/);
      expect(statements.filter((sql) => PLAN_TABLES.test(sql))).toEqual([]);
      expect(result.body).toEqual(built.result.body);
    }

    // A write to a cluster of another funder: the copy is still the report.
    await statusUpdate(otherActivity.id as string, 'Elsewhere');
    const unchanged = await statementsOf(t.app, () => pull(t.app));
    expect(unchanged.statements).toHaveLength(3);
    expect(unchanged.result.body).toEqual(built.result.body);

    // A write to one of its clusters: never served again, on any instance; the next pull builds it anew.
    await statusUpdate(inReport.id as string, 'Slower than planned');
    const rebuilt = await statementsOf(second, () => pull(second));
    expect(rebuilt.statements.filter((sql) => BUILD.test(sql))).toHaveLength(1);
    expect(rebuilt.result.body.toString()).toContain('Slower than planned');
    expect(rebuilt.result.body.toString()).toBe(await fresh());
    const again = await statementsOf(t.app, () => pull(t.app));
    expect(again.statements).toHaveLength(3);
    expect(again.result.body).toEqual(rebuilt.result.body);
  });

  it('is not served after a write that was in progress while it was read and committed after', async () => {
    const csv = `${path}&format=csv`;
    const writer = new pg.Client({ connectionString: t.databaseUrl });
    await writer.connect();
    try {
      // A status update as the service writes one (its history entry and revision in one transaction), left open.
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO status_update (subject_type, subject_id, cluster_id, status, state, comment, author)
         SELECT 'activity', a.id, a.cluster_id, 'red', a.state::text::plan_item_state, 'Committed late', 'Test author' FROM activity a WHERE a.id = $1`,
        [inReport.id],
      );
      await writer.query(
        `INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, recorded_at)
         SELECT pg_current_xact_id()::text::bigint, 'activity', a.id, a.cluster_id, a.version, 'status', to_jsonb(a), 'Test author', now()
         FROM activity a WHERE a.id = $1`,
        [inReport.id],
      );
      const before = await pull(t.app, csv);
      expect(before.body.toString()).not.toContain('Committed late');
      expect((await statementsOf(second, () => pull(second, csv))).statements).toHaveLength(3);
      await writer.query('COMMIT');
    } finally {
      await writer.end();
    }
    const after = await statementsOf(second, () => pull(second, csv));
    expect(after.statements.filter((sql) => BUILD.test(sql))).toHaveLength(1);
    expect(after.result.body.toString()).toContain('Committed late');
    expect(after.result.body.toString()).toBe(await fresh(csv));
  });

  it('is built once for pulls that come at the same time', async () => {
    await statusUpdate(inReport.id as string, 'Pulled by four');
    const { result, statements } = await statementsOf(t.app, () => Promise.all([1, 2, 3, 4].map(() => pull(t.app))));
    expect(statements.filter((sql) => BUILD.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /INSERT INTO open_report/.test(sql))).toHaveLength(1);
    for (const res of result) expect(res.body).toEqual(result[0].body);
    expect(result[0].body.toString()).toContain('Pulled by four');
    expect(result[0].body.toString()).toBe(await fresh());
  });
});
