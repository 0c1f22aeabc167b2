import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ApiKey } from '../auth/api-key.entity.js';
import { generateSecret, hashSecret, prefixOf } from '../auth/api-key-secret.js';
import { AuthService } from '../auth/auth.service.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { Funder } from '../funders/funder.entity.js';
import { db, transaction } from '../database/transaction-context.js';
import type { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse, ListApiKeysQueryDto } from './dto/api-key.dto.js';
import { toApiKeyResponse } from './dto/api-key.mapper.js';

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clusters: ClustersService,
    private readonly auth: AuthService,
  ) {}

  private get keys() {
    return db(this.dataSource).getRepository(ApiKey);
  }

  /** The new key, with its secret: the one time it is shown. */
  async create(dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    const clusterIds = dto.clusterIds ?? [];
    if (dto.role === 'editor' && clusterIds.length === 0) {
      throw DomainError.rule('clusterIds', 'clusterIds must name at least one cluster for an editor key');
    }
    if (dto.role !== 'editor' && dto.clusterIds !== undefined) {
      throw DomainError.rule('clusterIds', 'clusterIds is only for editor keys');
    }
    if (dto.role === 'funder' && !dto.funderId) throw DomainError.rule('funderId', 'funderId is required for a funder key');
    if (dto.role !== 'funder' && dto.funderId !== undefined) throw DomainError.rule('funderId', 'funderId is only for funder keys');

    const missing = await this.clusters.missing(clusterIds);
    if (missing.length > 0) throw DomainError.rule('clusterIds', `No cluster has the id ${missing.join(', ')}`);
    if (dto.funderId && !(await db(this.dataSource).getRepository(Funder).existsBy({ id: dto.funderId }))) {
      throw DomainError.rule('funderId', `No funder has the id ${dto.funderId}`);
    }

    const secret = generateSecret();
    const result = await this.keys.insert({
      name: dto.name,
      role: dto.role,
      prefix: prefixOf(secret),
      secretHash: hashSecret(secret),
      clusterIds,
      funderId: dto.funderId ?? null,
    });
    const id = (result.identifiers[0] as { id: string }).id;
    return { ...toApiKeyResponse(await this.keys.findOneByOrFail({ id })), secret };
  }

  async list(query: ListApiKeysQueryDto): Promise<Page<ApiKeyResponse>> {
    const qb = this.keys.createQueryBuilder('k');
    if (!query.includeRevoked) qb.andWhere('k.revokedAt IS NULL');
    if (query.role) qb.andWhere('k.role = :role', { role: query.role });
    qb.orderBy('k.createdAt', 'ASC').addOrderBy('k.id', 'ASC').limit(query.limit).offset(query.offset);
    const [items, total] = await qb.getManyAndCount();
    return { items: items.map(toApiKeyResponse), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<ApiKeyResponse> {
    const key = await this.keys.findOneBy({ id });
    if (!key) throw DomainError.notFound('The API key');
    return toApiKeyResponse(key);
  }

  /** Revokes a key (again: no change). The last active admin key cannot be revoked. */
  async revoke(id: string): Promise<void> {
    await transaction(this.dataSource, async () => {
      const repo = this.keys;
      // Lock the active admin keys so that two admins cannot revoke each other at once.
      const admins = await repo
        .createQueryBuilder('k')
        .select('k.id', 'id')
        .where(`k.role = 'admin' AND k.revokedAt IS NULL`)
        .setLock('pessimistic_write')
        .getRawMany<{ id: string }>();
      const key = await repo.findOneBy({ id });
      if (!key) throw DomainError.notFound('The API key');
      if (key.revokedAt) return;
      if (key.role === 'admin' && admins.length <= 1) {
        throw DomainError.conflict('This is the last active admin key; create another admin key before revoking it.');
      }
      await repo.update({ id }, { revokedAt: () => 'now()' });
    });
    this.auth.forget(id);
  }
}
