import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { transaction } from '../database/transaction-context.js';
import type { Caller } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import { updateLocked } from '../database/versioned-update.js';
import { recordRevision } from '../revisions/record.js';
import type { CreateFunderDto, FunderResponse, ListFundersQueryDto, UpdateFunderDto } from './dto/funder.dto.js';
import type { CreateFundingDto, FundingResponse, ListFundingsByFunderQueryDto, UpdateFundingDto } from './dto/funding.dto.js';
import { toFunderResponse, toFundingResponse } from './dto/funders.mapper.js';
import { Funder } from './funder.entity.js';
import { FundersRepository } from './funders.repository.js';
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
    private readonly repository: FundersRepository,
    private readonly clusters: ClustersService,
    private readonly revisions: RevisionsService,
  ) {}

  /** The funders the caller may read; with `asOf`, as they were then. */
  async list(caller: Caller, query: ListFundersQueryDto): Promise<Page<FunderResponse>> {
    const page = await this.repository.listFunders(caller, this.revisions.instant(query.asOf), query);
    return { ...page, items: page.items.map(toFunderResponse) };
  }

  /** A funder the caller may read (404 otherwise); with `asOf`, as it was then (404 if it did not exist yet). */
  async get(caller: Caller, id: string, asOfQuery?: string): Promise<FunderResponse> {
    const asOf = this.revisions.instant(asOfQuery);
    if (!asOf) return toFunderResponse(await this.find(caller, id));
    const row = await this.revisions.rowAsOf('funder', caller, id, asOf);
    if (!row) throw DomainError.notFound('The funder');
    return toFunderResponse(this.repository.funderOf(row));
  }

  /** A funder the caller may read (404 otherwise); with `forUpdate`, locked until the end of the transaction. */
  private async find(caller: Caller, id: string, forUpdate = false): Promise<Funder> {
    const funder = await this.repository.findFunder(caller, id, forUpdate);
    if (!funder) throw DomainError.notFound('The funder');
    return funder;
  }

  async create(caller: Caller, dto: CreateFunderDto): Promise<FunderResponse> {
    return transaction(this.dataSource, async (manager) => {
      const id = await this.repository.insertFunder({
        ...dto,
        reportingPeriod: dto.reportingPeriod ?? 'yearly',
        reportDueDays: dto.reportDueDays ?? 30,
      });
      await recordRevision(manager, 'funder', { id }, caller, 'created');
      return toFunderResponse(await this.repository.funder(id));
    });
  }

  /** Admin keys only (the route says so). */
  async update(caller: Caller, id: string, dto: UpdateFunderDto, ifMatch: number[] | undefined): Promise<FunderResponse> {
    return transaction(this.dataSource, async (manager) => {
      const current = await this.find(caller, id, true);
      return toFunderResponse(
        await updateLocked(manager, Funder, current, ifMatch, { ...dto }, { subject: 'funder', caller, kind: 'updated' }),
      );
    });
  }

  /** A funder's fundings the caller may read; with `asOf`, as they were then. */
  async listFundings(caller: Caller, funderId: string, query: ListFundingsByFunderQueryDto): Promise<Page<FundingResponse>> {
    const asOf = this.revisions.instant(query.asOf);
    await this.find(caller, funderId);
    const page = await this.repository.listFundings(caller, funderId, asOf, query);
    return { ...page, items: page.items.map(toFundingResponse) };
  }

  /** A funding the caller may read (404 otherwise); with `asOf`, as it was then (404 if it did not exist yet). */
  async getFunding(caller: Caller, id: string, asOfQuery?: string): Promise<FundingResponse> {
    const asOf = this.revisions.instant(asOfQuery);
    if (!asOf) return toFundingResponse(await this.findFunding(caller, id));
    const row = await this.revisions.rowAsOf('funding', caller, id, asOf);
    if (!row) throw DomainError.notFound('The funding');
    return toFundingResponse(this.repository.fundingOf(row));
  }

  /** A funding the caller may read (404 otherwise); with `forUpdate`, locked until the end of the transaction. */
  private async findFunding(caller: Caller, id: string, forUpdate = false): Promise<Funding> {
    const funding = await this.repository.findFunding(caller, id, forUpdate);
    if (!funding) throw DomainError.notFound('The funding');
    return funding;
  }

  /** Admin keys only (the route says so). */
  async createFunding(caller: Caller, funderId: string, dto: CreateFundingDto): Promise<FundingResponse> {
    await this.find(caller, funderId);
    assertPeriod(dto.startsOn, dto.endsOn);
    return transaction(this.dataSource, async (manager) => {
      const cluster = await this.clusters.lockState(dto.clusterId);
      if (cluster === 'missing') throw DomainError.rule('clusterId', 'clusterId names no cluster');
      if (cluster === 'archived') throw DomainError.conflict(ARCHIVED_CLUSTER, 'clusterId');
      const id = await this.repository.insertFunding({ ...dto, funderId, currency: dto.currency ?? 'SEK' });
      await recordRevision(manager, 'funding', { id }, caller, 'created');
      return toFundingResponse(await this.repository.funding(id));
    });
  }

  /** Admin keys only (the route says so). */
  async updateFunding(caller: Caller, id: string, dto: UpdateFundingDto, ifMatch: number[] | undefined): Promise<FundingResponse> {
    return transaction(this.dataSource, async (manager) => {
      const current = await this.findFunding(caller, id, true);
      if ((await this.clusters.lockState(current.clusterId)) === 'archived') throw DomainError.conflict(ARCHIVED_CLUSTER);
      if (current.archivedAt) throw DomainError.conflict('The funding is archived; archived fundings are read-only.');
      assertPeriod(dto.startsOn ?? current.startsOn, dto.endsOn ?? current.endsOn);
      return toFundingResponse(
        await updateLocked(manager, Funding, current, ifMatch, { ...dto }, { subject: 'funding', caller, kind: 'updated' }),
      );
    });
  }

  /** Admin keys only (the route says so). */
  async archiveFunding(caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      const current = await this.findFunding(caller, id, true);
      if ((await this.clusters.lockState(current.clusterId)) === 'archived') throw DomainError.conflict(ARCHIVED_CLUSTER);
      if (current.archivedAt) return;
      await updateLocked(
        manager,
        Funding,
        current,
        ifMatch,
        { archivedAt: () => 'now()' },
        { subject: 'funding', caller, kind: 'archived' },
      );
    });
  }
}
