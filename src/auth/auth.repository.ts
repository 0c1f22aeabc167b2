import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import { readableClusters, readableResource, type Resource } from './access.js';
import { ApiKey } from './api-key.entity.js';
import { EXAMPLE_IDS, exampleCaller } from './example-callers.js';
import type { Caller, Role } from './role.js';

const EXAMPLE_SUBMISSION = '00000000-0000-4000-8000-00000000d001';
const EXAMPLE_DIGEST = Buffer.alloc(32, 7);

/** What the guard and start-up ask of the database: who a secret is, what a caller may read, the admin key. */
@Injectable()
export class AuthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Whether the caller may read the resource with this id (archived or not). */
  @GenerateSql(
    { name: 'a cluster, for an editor key', args: () => [exampleCaller('editor'), 'cluster', EXAMPLE_IDS.cluster] },
    { name: 'a submission, for a funder key', args: () => [exampleCaller('funder'), 'report submission', EXAMPLE_SUBMISSION] },
  )
  async mayRead(caller: Caller, resource: Resource, id: string): Promise<boolean> {
    const { sql, params } = readableResource(caller, resource);
    const rows = await namedQuery(db(this.dataSource), sql, { ...params, id });
    return rows.length > 0;
  }

  /** How many of the clusters named the caller may read. */
  @GenerateSql({
    name: 'two clusters, for a funder key',
    args: () => [exampleCaller('funder'), [EXAMPLE_IDS.cluster, EXAMPLE_IDS.otherCluster]],
  })
  async readableClusterCount(caller: Caller, clusterIds: string[]): Promise<number> {
    const visible = readableClusters(caller, 'c.id');
    const [row] = await namedQuery<{ n: string }>(
      db(this.dataSource),
      `SELECT count(*) AS n FROM cluster c WHERE c.id IN (:...ids) AND ${visible.sql}`,
      { ids: clusterIds, ...visible.params },
    );
    return Number(row?.n ?? 0);
  }

  /**
   * The key with this secret digest, revoked or not: for the guard on the primary (it asks before a request opens a
   * transaction or has its reads routed), for start-up in its locked transaction.
   */
  @GenerateSql({ name: 'a digest', args: () => [EXAMPLE_DIGEST] })
  byDigest(secretHash: Buffer): Promise<ApiKey | null> {
    return db(this.dataSource).getRepository(ApiKey).findOne({ where: { secretHash } });
  }

  /** Waits for the lock of start-up's admin key, held until the transaction ends: of instances starting at once, one decides. */
  @GenerateSql({ name: 'the lock', args: () => [] })
  async lockAdminKey(): Promise<void> {
    await db(this.dataSource).query(`SELECT pg_advisory_xact_lock(hashtext('styrman.ensure-admin-key'))`);
  }

  /** How many admin keys are not revoked. */
  @GenerateSql({ name: 'the active admin keys', args: () => [] })
  activeAdmins(): Promise<number> {
    return db(this.dataSource).getRepository(ApiKey).createQueryBuilder('k').where(`k.role = 'admin' AND k.revokedAt IS NULL`).getCount();
  }

  /** Registers an admin key. */
  @GenerateSql({ name: 'an admin key', args: () => ['admin (ADMIN_API_KEY)', 'sty_abcd', EXAMPLE_DIGEST] })
  async insertAdmin(name: string, prefix: string, secretHash: Buffer): Promise<void> {
    await db(this.dataSource).getRepository(ApiKey).insert({ name, role: 'admin', prefix, secretHash });
  }

  /** How many keys of each role are not revoked (roles without any left out). */
  @GenerateSql({ name: 'all', args: () => [] })
  activeKeysByRole(): Promise<{ role: Role; n: number }[]> {
    return db(this.dataSource).query<{ role: Role; n: number }[]>(
      `SELECT role, count(*)::int AS n FROM api_key WHERE revoked_at IS NULL GROUP BY role`,
    );
  }
}
