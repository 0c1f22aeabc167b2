import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { transaction } from '../database/transaction-context.js';
import { checkVersion } from '../database/versioned-update.js';
import { recordRevision } from '../revisions/record.js';
import type {
  CreateIndicatorDefinitionDto,
  IndicatorDefinitionResponse,
  ListIndicatorDefinitionsQueryDto,
  UpdateIndicatorDefinitionDto,
} from './dto/indicator-definition.dto.js';
import type { IndicatorDefinition } from './indicator-definition.entity.js';
import { IndicatorDefinitionsRepository } from './indicator-definitions.repository.js';
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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: IndicatorDefinitionsRepository,
  ) {}

  async list(query: ListIndicatorDefinitionsQueryDto): Promise<Page<IndicatorDefinitionResponse>> {
    const page = await this.repository.list(query);
    return { ...page, items: page.items.map(toIndicatorDefinitionResponse) };
  }

  async get(id: string): Promise<IndicatorDefinitionResponse> {
    return toIndicatorDefinitionResponse(await this.find(id));
  }

  /** A definition, or 404; locked for the write under way when `forUpdate`. */
  private async find(id: string, forUpdate = false): Promise<IndicatorDefinition> {
    const definition = await this.repository.find(id, forUpdate);
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
        if (!(await this.repository.funderExists(funderId))) throw DomainError.rule('funderId', 'funderId names no funder');
      }
      await this.assertCodeFree(funderId, dto.code);
      const id = await this.repository.insert({
        code: dto.code,
        name: dto.name,
        description: dto.description ?? null,
        unit: dto.unit,
        aggregation: dto.aggregation,
        breakdown: dto.breakdown ?? null,
        funderId,
      });
      await recordRevision(manager, 'indicator_definition', { id }, caller, 'created');
      return toIndicatorDefinitionResponse(await this.repository.get(id));
    });
  }

  async update(
    caller: Caller,
    id: string,
    dto: UpdateIndicatorDefinitionDto,
    ifMatch: number[] | undefined,
  ): Promise<IndicatorDefinitionResponse> {
    return transaction(this.dataSource, async (manager) => {
      const current = await this.find(id, true);
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
      if (dto.code !== undefined && dto.code !== current.code) await this.assertCodeFree(current.funderId, dto.code);
      checkVersion(current, ifMatch);
      const changed = await this.repository.update(current, { ...dto });
      // None: every value was as stored (the lock rules out anything else), so no revision either.
      if (!changed) return toIndicatorDefinitionResponse(current);
      await recordRevision(manager, 'indicator_definition', current, caller, 'updated');
      return toIndicatorDefinitionResponse(changed);
    });
  }

  async archive(caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    await transaction(this.dataSource, async (manager) => {
      const current = await this.find(id, true);
      this.assertWritable(caller, current);
      if (current.archivedAt) return;
      checkVersion(current, ifMatch);
      if (await this.repository.update(current, { archivedAt: () => 'now()' })) {
        await recordRevision(manager, 'indicator_definition', current, caller, 'archived');
      }
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

  private async assertCodeFree(funderId: string | null, code: string): Promise<void> {
    if (await this.repository.codeTaken(funderId, code))
      throw DomainError.conflict(`Its owner already has a definition with the code ${code}.`, 'code');
  }
}
