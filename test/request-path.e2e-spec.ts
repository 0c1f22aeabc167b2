import { jest } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { Cluster } from '../src/clusters/cluster.entity.js';
import { poolQuery } from '../src/database/pool-query.js';
import { StatusUpdate } from '../src/plan-items/history/status-update.entity.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createGoal } from './support/factories.js';
import { ownStatements } from './support/statements.js';

/**
 * The statements of the benchmark's hot requests (bench/README.md, scenarios 1–3), in order: the baseline server
 * sends exactly these, so an extra one (a SET, a BEGIN around a single read, a second SELECT) shows here first.
 */
describe('the statements of the hot requests', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  let activity: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t);
    await createGoal(t, cluster.id);
    activity = await createActivity(t, cluster.id);
  });
  afterAll(() => t.close());

  it('GET activity: one SELECT, no transaction', async () => {
    const { result: res, statements } = await ownStatements(t, () => t.api().get(`/api/v1/activities/${activity.id}`));
    expect(res.status).toBe(200);
    expect(statements).toEqual([expect.stringMatching(/^SELECT i\.\* FROM activity i WHERE i\.id = \$1/)]);
  });

  it('the reads of GET activity and GET goals go to the pool itself, through no TypeORM query runner', async () => {
    // Every statement sent through a query runner while the requests ran (the guard's API-key lookup aside).
    const throughRunners: string[] = [];
    const createQueryRunner = t.dataSource.createQueryRunner.bind(t.dataSource);
    const spy = jest.spyOn(t.dataSource, 'createQueryRunner').mockImplementation((mode) => {
      const runner = createQueryRunner(mode);
      const query = runner.query.bind(runner);
      runner.query = (sql: string, ...rest: unknown[]) => {
        throughRunners.push(sql);
        return (query as (...args: unknown[]) => Promise<any>)(sql, ...rest);
      };
      return runner;
    });
    try {
      const { statements } = await ownStatements(t, async () => {
        expect((await t.api().get(`/api/v1/activities/${activity.id}`)).status).toBe(200);
        expect((await t.api().get(`/api/v1/clusters/${cluster.id}/goals?limit=50`)).status).toBe(200);
      });
      expect(statements).toHaveLength(3); // counted as before
    } finally {
      spy.mockRestore();
    }
    expect(throughRunners.filter((sql) => !/\bFROM "api_key"/.test(sql))).toEqual([]);
  });

  it('a statement sent to the pool answers as through TypeORM: rows, [rows, count] of an UPDATE, QueryFailedError', async () => {
    const manager = t.dataSource.manager;
    expect(await poolQuery(manager, `SELECT $1::int AS n`, [7])).toEqual([{ n: 7 }]);
    expect(await poolQuery(manager, `UPDATE cluster SET name = name WHERE id = $1`, [cluster.id])).toEqual(
      await manager.query(`UPDATE cluster SET name = name WHERE id = $1`, [cluster.id]),
    );
    const failed = await poolQuery(manager, `SELECT 1/0`, []).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(QueryFailedError);
    expect((failed as QueryFailedError).driverError).toMatchObject({ code: '22012' });
    // The connection an error came back on is fit for the next statement.
    expect(await poolQuery(manager, `SELECT 1 AS one`, [])).toEqual([{ one: 1 }]);
  });

  it('GET goals?limit=50: the cluster, then its goals', async () => {
    const { result: res, statements } = await ownStatements(t, () => t.api().get(`/api/v1/clusters/${cluster.id}/goals?limit=50`));
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(statements).toEqual([expect.stringMatching(/FROM "cluster" "c"/), expect.stringMatching(/FROM goal/)]);
    // The cluster's statement is the one the query builder makes for ClustersService.get, sent as it is.
    const get = t.dataSource.getRepository(Cluster).createQueryBuilder('c').where('c.id = :id', { id: cluster.id }).andWhere('TRUE');
    expect(statements[0]).toBe(get.getQueryAndParameters()[0]);
  });

  it('a status update: lock, update, revision, history entry, in one transaction; the entry as TypeORM writes it', async () => {
    const { result: res, statements } = await ownStatements(t, () =>
      t.api().post(`/api/v1/activities/${activity.id}/status-updates`).send({ status: 'yellow', comment: '  Late  ' }),
    );
    expect(res.status).toBe(201);
    expect(statements.map((sql) => /^\w+( INTO \S+)?/.exec(sql)![0])).toEqual([
      'START',
      'SELECT',
      'UPDATE',
      'INSERT INTO revision',
      'INSERT INTO "status_update"("id",',
      'COMMIT',
    ]);
    // The item's row is locked against concurrent writers, and its cluster against being archived meanwhile.
    expect(statements[1]).toMatch(/ FOR UPDATE OF i FOR SHARE OF c$/);
    // The hand-written INSERT is the statement TypeORM's insert builds for the entity.
    const built = t.dataSource.createQueryBuilder().insert().into(StatusUpdate).values({
      subjectType: 'activity',
      subjectId: activity.id,
      clusterId: cluster.id,
      status: 'yellow',
      state: 'planned',
      comment: 'Late',
      author: 'x',
      authorKeyId: null,
    });
    expect(statements[4]).toBe(built.returning(['id', 'seq', 'createdAt']).getQueryAndParameters()[0]);
    const [entry] = await t.dataSource.query(
      `SELECT status, state, comment, author, author_key_id FROM status_update WHERE subject_id = $1 ORDER BY seq DESC LIMIT 1`,
      [activity.id],
    );
    expect(entry).toMatchObject({ status: 'yellow', state: 'planned', comment: 'Late' });
    expect(entry.author).toBeTruthy();
  });
});
