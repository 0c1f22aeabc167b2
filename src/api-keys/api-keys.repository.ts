import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { ApiKey } from '../auth/api-key.entity.js';
import { EXAMPLE_IDS } from '../auth/example-callers.js';
import type { Role } from '../auth/role.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import { Funder } from '../funders/funder.entity.js';

export interface KeyFilters {
  includeRevoked?: boolean;
  role?: Role;
  limit: number;
  offset: number;
}

const EXAMPLE_KEY = '00000000-0000-4000-8000-00000000a001';

/** The API keys: every statement the keys' service sends. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get keys(): Repository<ApiKey> {
    return db(this.dataSource).getRepository(ApiKey);
  }

  /** Whether a funder has the id. */
  @GenerateSql({ name: 'a funder', args: () => [EXAMPLE_IDS.funder] })
  funderExists(id: string): Promise<boolean> {
    return db(this.dataSource).getRepository(Funder).existsBy({ id });
  }

  /** Adds a key; its id. */
  @GenerateSql({
    name: 'an editor key',
    args: () => [
      {
        name: 'Findit process leader',
        role: 'editor',
        prefix: 'sty_abcd',
        secretHash: Buffer.alloc(32, 7),
        clusterIds: [EXAMPLE_IDS.cluster],
        funderId: null,
      },
    ],
  })
  async insert(values: Pick<ApiKey, 'name' | 'role' | 'prefix' | 'secretHash' | 'clusterIds' | 'funderId'>): Promise<string> {
    const result = await this.keys.insert(values);
    return (result.identifiers[0] as { id: string } | undefined)?.id ?? '';
  }

  /** A page of the keys, oldest first, and their number. */
  @GenerateSql(
    { name: 'the active keys', args: () => [{ limit: 50, offset: 0 }] },
    { name: 'the editor keys, revoked too', args: () => [{ includeRevoked: true, role: 'editor', limit: 20, offset: 20 }] },
  )
  list(filters: KeyFilters): Promise<[ApiKey[], number]> {
    const qb = this.keys.createQueryBuilder('k');
    if (!filters.includeRevoked) qb.andWhere('k.revokedAt IS NULL');
    if (filters.role) qb.andWhere('k.role = :role', { role: filters.role });
    qb.orderBy('k.createdAt', 'ASC').addOrderBy('k.id', 'ASC').limit(filters.limit).offset(filters.offset);
    return qb.getManyAndCount();
  }

  /** A key, revoked or not. */
  @GenerateSql({ name: 'a key', args: () => [EXAMPLE_KEY] })
  find(id: string): Promise<ApiKey | null> {
    return this.keys.findOneBy({ id });
  }

  /** The ids of the active admin keys, locked: two admins cannot revoke each other at once. */
  @GenerateSql({ name: 'the active admin keys', args: () => [] })
  async lockActiveAdmins(): Promise<string[]> {
    const rows = await this.keys
      .createQueryBuilder('k')
      .select('k.id', 'id')
      .where(`k.role = 'admin' AND k.revokedAt IS NULL`)
      .setLock('pessimistic_write')
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** Revokes a key from now on. */
  @GenerateSql({ name: 'a key', args: () => [EXAMPLE_KEY] })
  async revoke(id: string): Promise<void> {
    await this.keys.update({ id }, { revokedAt: () => 'now()' });
  }
}
