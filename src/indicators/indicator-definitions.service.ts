import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { countPastEnd, namedQuery, rowToEntity, Where } from '../common/sql.js';
import { db, transaction } from '../database/transaction-context.js';
import { updateLocked } from '../database/versioned-update.js';
import { recordRevision } from '../revisions/record.js';
import type {
  CreateIndicatorDefinitionDto,
  IndicatorDefinitionResponse,
  ListIndicatorDefinitionsQueryDto,
  UpdateIndicatorDefinitionDto,
} from './dto/indicator-definition.dto.js';
import { IndicatorDefinition } from './indicator-definition.entity.js';
import { toIndicatorDefinitionResponse } from './indicator-definitions.mapper.js';

/** What a definition measures: frozen once a goal has adopted it, since the clusters' values are in it. */
const FROZEN = ['code', 'unit', 'aggregation', 'breakdown'] as const;

/** Only an `organisations` indicator lists organisations, so only it can break down by their size. */
function assertBreakdown(aggregation: string, breakdown: string | null | undefined): void {
  if (breakdown && aggregation !== 'organisations') {
    throw DomainError.rule('breakdown', 'Only an organisations indicator can break down by enterprise size');
  }
}

/**
 * Programme indicator definitions. Every key reads them; an admin key writes
 * any but the shipped ones, a funder key its own funder's; nobody else writes.
 */
@Injectable()
export class IndicatorDefinitionsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get definitions(): Repository<IndicatorDefinition> {
    return db(this.dataSource).getRepository(IndicatorDefinition);
  }

  async list(query: ListIndicatorDefinitionsQueryDto): Promise<Page<IndicatorDefinitionResponse>> {
    const manager = db(this.dataSource);
    const where = new Where()
      .when(query.funderId, 'd.funder_id = :funderId', { funderId: query.funderId })
      .when(query.aggregation, 'd.aggregation = :aggregation', { aggregation: query.aggregation });
    if (query.common === 'true') where.add('d.funder_id IS NULL');
    if (query.common === 'false') where.add('d.funder_id IS NOT NULL');
    if (!query.includeArchived) where.add('d.archived_at IS NULL');
    const rows = await namedQuery<Record<string, unknown> & { total_count: string }>(
      manager,
      `SELECT d.*, count(*) OVER () AS total_count FROM indicator_definition d WHERE ${where.sql}
       ORDER BY d.funder_id NULLS FIRST, d.code, d.id LIMIT :limit OFFSET :offset`,
      { ...where.params, limit: query.limit, offset: query.offset },
    );
    const total =
      rows.length > 0 ? Number(rows[0].total_count) : await countPastEnd(manager, 'indicator_definition d', where, query.offset);
    const items = rows.map((row) => toIndicatorDefinitionResponse(rowToEntity(this.definitions, row)));
    return { items, total, limit: query.limit, offset: query.offset };
  }

  async get(id: string): Promise<IndicatorDefinitionResponse> {
    return toIndicatorDefinitionResponse(await this.find(id));
  }

  private async find(id: string, manager?: EntityManager): Promise<IndicatorDefinition> {
    const repo = manager ? manager.getRepository(IndicatorDefinition) : this.definitions;
    const qb = repo.createQueryBuilder('d').where('d.id = :id', { id });
    if (manager) qb.setLock('pessimistic_write');
    const definition = await qb.getOne();
    if (!definition) throw DomainError.notFound('The indicator definition');
    return definition;
  }

  /** Admin (any owner, or none) and funder keys (their own funder only). */
  async create(caller: Caller, dto: CreateIndicatorDefinitionDto): Promise<IndicatorDefinitionResponse> {
    let funderId = dto.funderId ?? null;
    if (caller.role === 'funder') {
      if (funderId !== null && funderId !== caller.funderId) {
        throw DomainError.forbidden('A funder key creates definitions of its own funder only.');
      }
      funderId = caller.funderId;
    }
    assertBreakdown(dto.aggregation, dto.breakdown);
    return transaction(this.dataSource, async (manager) => {
      if (funderId !== null) {
        const [funder] = await namedQuery(manager, 'SELECT 1 FROM funder WHERE id = :funderId FOR KEY SHARE', { funderId });
        if (!funder) throw DomainError.rule('funderId', 'funderId names no funder');
      }
      await this.assertCodeFree(manager, funderId, dto.code);
      const repo = manager.getRepository(IndicatorDefinition);
      const { identifiers } = await repo.insert({
        code: dto.code,
        name: dto.name,
        description: dto.description ?? null,
        unit: dto.unit,
        aggregation: dto.aggregation,
        breakdown: dto.breakdown ?? null,
        funderId,
      });
      const id = (identifiers[0] as { id: string }).id;
      await recordRevision(manager, 'indicator_definition', { id }, caller, 'created');
      return toIndicatorDefinitionResponse(await repo.findOneByOrFail({ id }));
    });
  }

  async update(
    caller: Caller,
    id: string,
    dto: UpdateIndicatorDefinitionDto,
    ifMatch: number[] | undefined,
  ): Promise<IndicatorDefinitionResponse> {
    return transaction(this.dataSource, async (manager) => {
      const current = await this.find(id, manager);
      this.assertWritable(caller, current);
      if (current.archivedAt) throw DomainError.conflict('The indicator definition is archived; archived definitions are read-only.');
      if (current.adoptedAt) {
        const frozen = FROZEN.find((field) => dto[field] !== undefined && dto[field] !== current[field]);
        if (frozen) {
          throw DomainError.conflict(
            `A goal has adopted this definition: its ${frozen} can no longer change (name and description can).`,
            frozen,
          );
        }
      }
      assertBreakdown(dto.aggregation ?? current.aggregation, dto.breakdown === undefined ? current.breakdown : dto.breakdown);
      if (dto.code !== undefined && dto.code !== current.code) await this.assertCodeFree(manager, current.funderId, dto.code);
      return toIndicatorDefinitionResponse(
        await updateLocked(
          manager,
          IndicatorDefinition,
          current,
          ifMatch,
          { ...dto },
          { subject: 'indicator_definition', caller, kind: 'updated' },
        ),
      );
    });
  }

  async archive(caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      const current = await this.find(id, manager);
      this.assertWritable(caller, current);
      if (current.archivedAt) return;
      await updateLocked(
        manager,
        IndicatorDefinition,
        current,
        ifMatch,
        { archivedAt: () => 'now()' },
        { subject: 'indicator_definition', caller, kind: 'archived' },
      );
    });
  }

  private assertWritable(caller: Caller, definition: IndicatorDefinition): void {
    if (definition.shipped) throw DomainError.forbidden('The common indicators shipped with Styrman are read-only.');
    if (caller.role === 'admin') return;
    if (caller.role === 'funder' && definition.funderId === caller.funderId) return;
    throw DomainError.forbidden(
      caller.role === 'funder'
        ? 'A funder key changes only its own funder’s definitions.'
        : 'Only admin and funder keys change definitions.',
    );
  }

  private async assertCodeFree(manager: EntityManager, funderId: string | null, code: string): Promise<void> {
    const [taken] = await namedQuery(
      manager,
      'SELECT 1 FROM indicator_definition WHERE funder_id IS NOT DISTINCT FROM CAST(:funderId AS uuid) AND code = :code',
      { funderId, code },
    );
    if (taken) throw DomainError.conflict(`Its owner already has a definition with the code ${code}.`, 'code');
  }
}
