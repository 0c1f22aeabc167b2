import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { readableFunders, readableFundings } from '../auth/access.js';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import type { Page } from '../common/pagination.js';
import { escapeLike, pageRows, rowToEntity, Where } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import { rowsAt } from '../revisions/as-of.js';
import type { FunderKind } from './funder.entity.js';
import { Funder } from './funder.entity.js';
import { Funding } from './funding.entity.js';

type Row = Record<string, unknown>;

interface Paging {
  limit: number;
  offset: number;
}

export interface FunderFilters extends Paging {
  kind?: FunderKind;
  q?: string;
}

export interface FundingFilters extends Paging {
  clusterId?: string;
  includeArchived?: boolean;
}

const EXAMPLE_FUNDING = '00000000-0000-4000-8000-00000000fd01';
const EXAMPLE_INSTANT = new Date('2026-06-30T12:00:00Z');

/** The funders and their fundings: every statement the funders' service sends, but the revisions it records. */
@Injectable()
export class FundersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get funders(): Repository<Funder> {
    return db(this.dataSource).getRepository(Funder);
  }

  private get fundings(): Repository<Funding> {
    return db(this.dataSource).getRepository(Funding);
  }

  /** A row as it was at an instant (from the revisions) made a funder. */
  funderOf(row: Row): Funder {
    return rowToEntity(this.funders, row);
  }

  /** A row as it was at an instant (from the revisions) made a funding. */
  fundingOf(row: Row): Funding {
    return rowToEntity(this.fundings, row);
  }

  /** The funders the caller may read; with `asOf`, as they were then. */
  @GenerateSql(
    {
      name: 'the funders of an editor key, by name',
      args: () => [exampleCaller('editor'), undefined, { q: 'vinn', limit: 50, offset: 0 }],
    },
    { name: 'the funders of a funder key, as they were', args: () => [exampleCaller('funder'), EXAMPLE_INSTANT, { limit: 50, offset: 0 }] },
  )
  async listFunders(caller: Caller, asOf: Date | undefined, filters: FunderFilters): Promise<Page<Funder>> {
    const visible = readableFunders(caller, 'f.id');
    const where = new Where()
      .add(visible.sql, { ...visible.params, asOf })
      .when(filters.kind, 'f.kind = :kind', { kind: filters.kind })
      .when(filters.q, `f.name ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(filters.q ?? '')}%` });
    const page = await this.page(`${rowsAt('funder', asOf)} f`, where, 'f.name, f.id', filters);
    return { ...page, items: page.items.map((row) => this.funderOf(row)) };
  }

  /** A funder's fundings the caller may read; with `asOf`, as they were then. */
  @GenerateSql(
    {
      name: 'the live fundings of a funder, for an admin key',
      args: () => [exampleCaller('admin'), EXAMPLE_IDS.funder, undefined, { limit: 50, offset: 0 }],
    },
    {
      name: 'the fundings of a funder in a cluster, as they were, for an editor key',
      args: () => [
        exampleCaller('editor'),
        EXAMPLE_IDS.funder,
        EXAMPLE_INSTANT,
        { clusterId: EXAMPLE_IDS.cluster, includeArchived: true, limit: 50, offset: 0 },
      ],
    },
  )
  async listFundings(caller: Caller, funderId: string, asOf: Date | undefined, filters: FundingFilters): Promise<Page<Funding>> {
    const visible = readableFundings(caller, 'fd');
    const where = new Where().add('fd.funder_id = :funderId', { funderId, asOf }).add(visible.sql, visible.params);
    if (!filters.includeArchived) where.add('fd.archived_at IS NULL');
    where.when(filters.clusterId, 'fd.cluster_id = :clusterId', { clusterId: filters.clusterId });
    const page = await this.page(`${rowsAt('funding', asOf, 'live.funder_id = :funderId')} fd`, where, 'fd.starts_on DESC, fd.id', filters);
    return { ...page, items: page.items.map((row) => this.fundingOf(row)) };
  }

  /** A page of rows of `from` (which names its rows by an alias `where` and `orderBy` use), with the total. */
  private async page(from: string, where: Where, orderBy: string, paging: Paging): Promise<Page<Row>> {
    const { rows, total } = await pageRows<Row>(db(this.dataSource), { columns: '*', from, where, orderBy }, paging);
    return { items: rows, total, limit: paging.limit, offset: paging.offset };
  }

  /** A funder the caller may read, if any; with `forUpdate`, locked until the end of the transaction. */
  @GenerateSql(
    { name: 'a funder, for a funder key', args: () => [exampleCaller('funder'), EXAMPLE_IDS.funder] },
    { name: 'a funder to change, locked', args: () => [exampleCaller('admin'), EXAMPLE_IDS.funder, true] },
  )
  findFunder(caller: Caller, id: string, forUpdate = false): Promise<Funder | null> {
    const visible = readableFunders(caller, 'f.id');
    const qb = this.funders.createQueryBuilder('f').where('f.id = :id', { id }).andWhere(visible.sql, visible.params);
    if (forUpdate) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** A funding the caller may read, if any; with `forUpdate`, locked until the end of the transaction. */
  @GenerateSql(
    { name: 'a funding, for an editor key', args: () => [exampleCaller('editor'), EXAMPLE_FUNDING] },
    { name: 'a funding to change, locked', args: () => [exampleCaller('admin'), EXAMPLE_FUNDING, true] },
  )
  findFunding(caller: Caller, id: string, forUpdate = false): Promise<Funding | null> {
    const visible = readableFundings(caller, 'fd');
    const qb = this.fundings.createQueryBuilder('fd').where('fd.id = :id', { id }).andWhere(visible.sql, visible.params);
    if (forUpdate) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** Adds a funder; its id. */
  @GenerateSql({
    name: 'a new funder',
    args: () => [{ name: 'Vinnova', kind: 'national_agency', reportingPeriod: 'yearly', reportDueDays: 30 }],
  })
  async insertFunder(values: Partial<Funder>): Promise<string> {
    const { identifiers } = await this.funders.insert(values);
    return (identifiers[0] as { id: string } | undefined)?.id ?? '';
  }

  /** The funder with the id (which must exist). */
  @GenerateSql({ name: 'a funder by id', args: () => [EXAMPLE_IDS.funder] })
  funder(id: string): Promise<Funder> {
    return this.funders.findOneByOrFail({ id });
  }

  /** Adds a funding; its id. */
  @GenerateSql({
    name: 'a new funding',
    args: () => [
      {
        funderId: EXAMPLE_IDS.funder,
        clusterId: EXAMPLE_IDS.cluster,
        programme: 'Vinnväxt',
        amount: '250000.00',
        currency: 'SEK',
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
      },
    ],
  })
  async insertFunding(values: Partial<Funding>): Promise<string> {
    const { identifiers } = await this.fundings.insert(values);
    return (identifiers[0] as { id: string } | undefined)?.id ?? '';
  }

  /** The funding with the id (which must exist). */
  @GenerateSql({ name: 'a funding by id', args: () => [EXAMPLE_FUNDING] })
  funding(id: string): Promise<Funding> {
    return this.fundings.findOneByOrFail({ id });
  }
}
