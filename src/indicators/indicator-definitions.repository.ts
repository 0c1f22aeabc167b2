import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { EXAMPLE_IDS } from '../auth/example-callers.js';
import type { Page } from '../common/pagination.js';
import { namedQuery, pageRows, rowToEntity, Where } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import { updateVersion } from '../database/versioned-update.js';
import { type Aggregation, IndicatorDefinition } from './indicator-definition.entity.js';

export interface DefinitionFilters {
  funderId?: string;
  common?: 'true' | 'false';
  aggregation?: Aggregation;
  includeArchived?: boolean;
  limit: number;
  offset: number;
}

const EXAMPLE_DEFINITION = '00000000-0000-4000-8000-0000000060d1';

function exampleDefinition(): IndicatorDefinition {
  return Object.assign(new IndicatorDefinition(), {
    id: EXAMPLE_DEFINITION,
    code: 'F-NEW-MEMBERS',
    name: 'Nya medlemsföretag',
    unit: 'företag',
    aggregation: 'organisations',
    breakdown: null,
    funderId: EXAMPLE_IDS.funder,
    version: 2,
  });
}

/** The programme indicator definitions: every statement their service sends, but the revisions. */
@Injectable()
export class IndicatorDefinitionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get definitions(): Repository<IndicatorDefinition> {
    return db(this.dataSource).getRepository(IndicatorDefinition);
  }

  /** A page of the definitions, filtered: the common ones first, then by funder and code. */
  @GenerateSql(
    { name: 'the live definitions', args: () => [{ limit: 50, offset: 0 }] },
    {
      name: "a funder's own organisation counts, archived too",
      args: () => [
        { funderId: EXAMPLE_IDS.funder, common: 'false', aggregation: 'organisations', includeArchived: true, limit: 20, offset: 20 },
      ],
    },
  )
  async list(filters: DefinitionFilters): Promise<Page<IndicatorDefinition>> {
    const manager = db(this.dataSource);
    const where = new Where()
      .when(filters.funderId, 'd.funder_id = :funderId', { funderId: filters.funderId })
      .when(filters.aggregation, 'd.aggregation = :aggregation', { aggregation: filters.aggregation });
    if (filters.common === 'true') where.add('d.funder_id IS NULL');
    if (filters.common === 'false') where.add('d.funder_id IS NOT NULL');
    if (!filters.includeArchived) where.add('d.archived_at IS NULL');
    const { rows, total } = await pageRows<Record<string, unknown>>(
      manager,
      { columns: 'd.*', from: 'indicator_definition d', where, orderBy: 'd.funder_id NULLS FIRST, d.code, d.id' },
      filters,
    );
    const items = rows.map((row) => rowToEntity(this.definitions, row));
    return { items, total, limit: filters.limit, offset: filters.offset };
  }

  /** A definition; locked for the write under way when `forUpdate`. */
  @GenerateSql(
    { name: 'a definition', args: () => [EXAMPLE_DEFINITION, false] },
    { name: 'a definition to change', args: () => [EXAMPLE_DEFINITION, true] },
  )
  find(id: string, forUpdate: boolean): Promise<IndicatorDefinition | null> {
    const qb = this.definitions.createQueryBuilder('d').where('d.id = :id', { id });
    if (forUpdate) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** Whether the funder exists, key-share-locked so that it stays while its definition is added. */
  @GenerateSql({ name: 'a funder', args: () => [EXAMPLE_IDS.funder] })
  async funderExists(funderId: string): Promise<boolean> {
    const [funder] = await namedQuery(db(this.dataSource), 'SELECT 1 FROM funder WHERE id = :funderId FOR KEY SHARE', { funderId });
    return funder !== undefined;
  }

  /** Whether the owner (a funder, or none for the common definitions) has a definition with the code. */
  @GenerateSql(
    { name: "a funder's code", args: () => [EXAMPLE_IDS.funder, 'F-NEW-MEMBERS'] },
    { name: 'a common code', args: () => [null, 'NEW-MEMBERS'] },
  )
  async codeTaken(funderId: string | null, code: string): Promise<boolean> {
    const [taken] = await namedQuery(
      db(this.dataSource),
      'SELECT 1 FROM indicator_definition WHERE funder_id IS NOT DISTINCT FROM CAST(:funderId AS uuid) AND code = :code',
      { funderId, code },
    );
    return taken !== undefined;
  }

  /** Adds a definition; its id. */
  @GenerateSql({
    name: "a funder's definition",
    args: () => [
      {
        code: 'F-NEW-MEMBERS',
        name: 'Nya medlemsföretag',
        description: null,
        unit: 'företag',
        aggregation: 'organisations',
        breakdown: 'enterprise_size',
        funderId: EXAMPLE_IDS.funder,
      },
    ],
  })
  async insert(values: Partial<IndicatorDefinition>): Promise<string> {
    const { identifiers } = await this.definitions.insert(values);
    return (identifiers[0] as { id: string } | undefined)?.id ?? '';
  }

  /** A definition as stored. */
  @GenerateSql({ name: 'a definition', args: () => [EXAMPLE_DEFINITION] })
  get(id: string): Promise<IndicatorDefinition> {
    return this.definitions.findOneByOrFail({ id });
  }

  /** Changes fields of the locked definition and raises its version: the definition changed, or none when nothing would change. */
  @GenerateSql(
    { name: 'a new name', args: () => [exampleDefinition(), { name: 'Nya medlemmar' }] },
    { name: 'archived', args: () => [exampleDefinition(), { archivedAt: () => 'now()' }] },
  )
  update(current: IndicatorDefinition, changes: Record<string, unknown>): Promise<IndicatorDefinition | undefined> {
    return updateVersion(db(this.dataSource), IndicatorDefinition, current, changes);
  }
}
