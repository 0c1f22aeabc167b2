import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { db, transaction } from '../database/transaction-context.js';
import { readableFunders, readableFundings } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { escapeLike } from '../common/sql.js';
import { updateVersioned } from '../database/versioned-update.js';
import type { CreateFunderDto, ListFundersQueryDto, UpdateFunderDto } from './dto/funder.dto.js';
import type { CreateFundingDto, ListFundingsByFunderQueryDto, UpdateFundingDto } from './dto/funding.dto.js';
import { Funder } from './funder.entity.js';
import { Funding } from './funding.entity.js';

/** Fundings of an archived cluster are kept as they were, like everything else in it. */
const ARCHIVED_CLUSTER = 'The cluster is archived; its fundings are read-only, like everything in it.';

function assertPeriod(startsOn: string, endsOn: string): void {
  if (startsOn > endsOn) throw DomainError.rule('endsOn', 'endsOn must be on or after startsOn');
}

/** Funders and the fundings they give clusters. Admins write (their controller routes say so); the others read what the rules let them. */
@Injectable()
export class FundersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clusters: ClustersService,
  ) {}

  private get funders(): Repository<Funder> {
    return db(this.dataSource).getRepository(Funder);
  }

  private get fundings(): Repository<Funding> {
    return db(this.dataSource).getRepository(Funding);
  }

  async list(caller: Caller, query: ListFundersQueryDto): Promise<Page<Funder>> {
    const visible = readableFunders(caller, 'f.id');
    const qb = this.funders.createQueryBuilder('f').where(visible.sql, visible.params);
    if (query.kind) qb.andWhere('f.kind = :kind', { kind: query.kind });
    if (query.q) qb.andWhere(`f.name ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(query.q)}%` });
    const [items, total] = await qb.orderBy('f.name').addOrderBy('f.id').limit(query.limit).offset(query.offset).getManyAndCount();
    return { items, total, limit: query.limit, offset: query.offset };
  }

  async get(caller: Caller, id: string): Promise<Funder> {
    const visible = readableFunders(caller, 'f.id');
    const funder = await this.funders.createQueryBuilder('f').where('f.id = :id', { id }).andWhere(visible.sql, visible.params).getOne();
    if (!funder) throw DomainError.notFound('The funder');
    return funder;
  }

  async create(dto: CreateFunderDto): Promise<Funder> {
    const { identifiers } = await this.funders.insert({ ...dto, reportingPeriod: dto.reportingPeriod ?? 'yearly' });
    return this.funders.findOneByOrFail({ id: (identifiers[0] as { id: string }).id });
  }

  async update(caller: Caller, id: string, dto: UpdateFunderDto, ifMatch: number[] | undefined): Promise<Funder> {
    const current = await this.get(caller, id);
    return updateVersioned(this.funders, current, ifMatch, { ...dto });
  }

  async listFundings(caller: Caller, funderId: string, query: ListFundingsByFunderQueryDto): Promise<Page<Funding>> {
    await this.get(caller, funderId);
    const visible = readableFundings(caller, 'fd');
    const qb = this.fundings.createQueryBuilder('fd').where('fd.funder_id = :funderId', { funderId }).andWhere(visible.sql, visible.params);
    if (!query.includeArchived) qb.andWhere('fd.archived_at IS NULL');
    if (query.clusterId) qb.andWhere('fd.cluster_id = :clusterId', { clusterId: query.clusterId });
    const [items, total] = await qb
      .orderBy('fd.starts_on', 'DESC')
      .addOrderBy('fd.id')
      .limit(query.limit)
      .offset(query.offset)
      .getManyAndCount();
    return { items, total, limit: query.limit, offset: query.offset };
  }

  async getFunding(caller: Caller, id: string): Promise<Funding> {
    const visible = readableFundings(caller, 'fd');
    const funding = await this.fundings
      .createQueryBuilder('fd')
      .where('fd.id = :id', { id })
      .andWhere(visible.sql, visible.params)
      .getOne();
    if (!funding) throw DomainError.notFound('The funding');
    return funding;
  }

  async createFunding(caller: Caller, funderId: string, dto: CreateFundingDto): Promise<Funding> {
    await this.get(caller, funderId);
    assertPeriod(dto.startsOn, dto.endsOn);
    return transaction(this.dataSource, async () => {
      const cluster = await this.clusters.lockState(dto.clusterId);
      if (cluster === 'missing') throw DomainError.rule('clusterId', 'clusterId names no cluster');
      if (cluster === 'archived') throw DomainError.conflict(ARCHIVED_CLUSTER, 'clusterId');
      const { identifiers } = await this.fundings.insert({ ...dto, funderId, currency: dto.currency ?? 'SEK' });
      return this.fundings.findOneByOrFail({ id: (identifiers[0] as { id: string }).id });
    });
  }

  async updateFunding(caller: Caller, id: string, dto: UpdateFundingDto, ifMatch: number[] | undefined): Promise<Funding> {
    return transaction(this.dataSource, async () => {
      const current = await this.getFunding(caller, id);
      if ((await this.clusters.lockState(current.clusterId)) === 'archived') throw DomainError.conflict(ARCHIVED_CLUSTER);
      if (current.archivedAt) throw DomainError.conflict('The funding is archived; archived fundings are read-only.');
      assertPeriod(dto.startsOn ?? current.startsOn, dto.endsOn ?? current.endsOn);
      return updateVersioned(this.fundings, current, ifMatch, { ...dto });
    });
  }

  async archiveFunding(caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    await transaction(this.dataSource, async () => {
      const current = await this.getFunding(caller, id);
      if ((await this.clusters.lockState(current.clusterId)) === 'archived') throw DomainError.conflict(ARCHIVED_CLUSTER);
      if (current.archivedAt) return;
      await updateVersioned(this.fundings, current, ifMatch, { archivedAt: () => 'now()' });
    });
  }
}
