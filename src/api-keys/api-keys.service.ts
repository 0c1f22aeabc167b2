import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { generateSecret, hashSecret, prefixOf } from '../auth/api-key-secret.js';
import { AuthService } from '../auth/auth.service.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { transaction } from '../database/transaction-context.js';
import type { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse, ListApiKeysQueryDto } from './dto/api-key.dto.js';
import { toApiKeyResponse } from './dto/api-key.mapper.js';
import { ApiKeysRepository } from './api-keys.repository.js';

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ApiKeysRepository,
    private readonly clusters: ClustersService,
    private readonly auth: AuthService,
  ) {}

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
    if (dto.funderId && !(await this.repository.funderExists(dto.funderId))) {
      throw DomainError.rule('funderId', `No funder has the id ${dto.funderId}`);
    }

    const secret = generateSecret();
    const id = await this.repository.insert({
      name: dto.name,
      role: dto.role,
      prefix: prefixOf(secret),
      secretHash: hashSecret(secret),
      clusterIds,
      funderId: dto.funderId ?? null,
    });
    const key = await this.repository.find(id);
    if (!key) throw new Error('The new API key was not found');
    return { ...toApiKeyResponse(key), secret };
  }

  async list(query: ListApiKeysQueryDto): Promise<Page<ApiKeyResponse>> {
    const [items, total] = await this.repository.list(query);
    return { items: items.map(toApiKeyResponse), total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<ApiKeyResponse> {
    const key = await this.repository.find(id);
    if (!key) throw DomainError.notFound('The API key');
    return toApiKeyResponse(key);
  }

  /** Revokes a key (again: no change). The last active admin key cannot be revoked. */
  async revoke(id: string): Promise<void> {
    await transaction(this.dataSource, async () => {
      // Lock the active admin keys so that two admins cannot revoke each other at once.
      const admins = await this.repository.lockActiveAdmins();
      const key = await this.repository.find(id);
      if (!key) throw DomainError.notFound('The API key');
      if (key.revokedAt) return;
      if (key.role === 'admin' && admins.length <= 1) {
        throw DomainError.conflict('This is the last active admin key; create another admin key before revoking it.');
      }
      await this.repository.revoke(id);
    });
    this.auth.forget(id);
  }
}
