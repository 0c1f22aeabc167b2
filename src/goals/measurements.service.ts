import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RevisionsService } from '../revisions/revisions.service.js';
import type { Caller } from '../auth/role.js';
import { Today } from '../common/calendar.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { transaction } from '../database/transaction-context.js';
import { PlanItems } from '../plan-items/plan-items.service.js';
import type { CreateMeasurementDto, MeasuredOrganisationResponse, MeasurementResponse } from './dto/measurement.dto.js';
import { GOAL } from './goal.kind.js';
import { MeasurementsRepository } from './measurements.repository.js';
import { toMeasurementResponse } from './measurements.mapper.js';
import { recordRevision } from '../revisions/record.js';

/** Measured values of goal indicators: append-only, a correction is a new measurement. */
@Injectable()
export class MeasurementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: MeasurementsRepository,
    private readonly items: PlanItems,
    private readonly revisions: RevisionsService,
    private readonly today: Today,
  ) {}

  /** Newest first: by the day measured, then by when recorded. */
  async list(caller: Caller, goalId: string, page: { limit: number; offset: number; asOf?: string }): Promise<Page<MeasurementResponse>> {
    const asOf = this.revisions.instant(page.asOf);
    await this.items.assertReadable(GOAL, caller, goalId);
    const [items, total] = await this.repository.list(goalId, asOf, page);
    const organisations = await this.organisationsOf(items.map((m) => m.id));
    return { items: items.map((m) => toMeasurementResponse(m, organisations.get(m.id))), total, limit: page.limit, offset: page.offset };
  }

  /** Records a value of an open goal's indicator, locking the goal (404, 403, 409 as for any change of it). */
  async create(caller: Caller, goalId: string, dto: CreateMeasurementDto): Promise<MeasurementResponse> {
    return transaction(this.dataSource, async (manager) => {
      const { item: goal } = await this.items.getOpenForWrite(GOAL, caller, goalId, manager);
      if (goal.indicatorUnit === null) throw DomainError.rule('value', 'The goal has no indicator to measure; give it one first.');
      if (dto.measuredOn > this.today.get()) throw DomainError.rule('measuredOn', 'measuredOn cannot be in the future');
      const organisations = await this.organisations(goal.indicatorDefinitionId, dto);
      const id = await this.repository.insert({
        goalId,
        definitionId: goal.indicatorDefinitionId,
        value: String(organisations ? organisations.length : dto.value),
        measuredOn: dto.measuredOn,
        comment: dto.comment?.trim() || null,
        author: caller.name,
        authorKeyId: caller.keyId,
      });
      if (organisations) await this.repository.insertOrganisations(id, organisations);
      await recordRevision(manager, 'measurement', { id }, caller, 'created');
      const sorted = organisations && [...organisations].sort((a, b) => (a.organisationNumber < b.organisationNumber ? -1 : 1));
      return toMeasurementResponse(await this.repository.find(id), sorted);
    });
  }

  /**
   * The organisations a measurement counts, in the order sent: required for (and only for) an indicator that adopts
   * an `organisations` definition, each number once, each with its enterprise size when the definition breaks down
   * by it (422 naming the field); its value, when sent, must be their number.
   */
  private async organisations(definitionId: string | null, dto: CreateMeasurementDto): Promise<MeasuredOrganisationResponse[] | undefined> {
    const definition = definitionId ? await this.repository.definition(definitionId) : undefined;
    if (definition?.aggregation !== 'organisations') {
      if (dto.organisations !== undefined) {
        throw DomainError.rule('organisations', 'Only an indicator that adopts an organisations definition lists organisations');
      }
      if (dto.value === undefined) throw DomainError.rule('value', 'value is required');
      return undefined;
    }
    if (dto.organisations === undefined) {
      throw DomainError.rule('organisations', 'The indicator counts organisations: list them (its value is their number)');
    }
    const seen = new Set<string>();
    const listed = dto.organisations.map((o, i) => {
      if (seen.has(o.organisationNumber)) {
        throw DomainError.rule(`organisations.${i}.organisationNumber`, `${o.organisationNumber} is listed twice`);
      }
      seen.add(o.organisationNumber);
      if (definition.breakdown === 'enterprise_size' && o.enterpriseSize === undefined) {
        throw DomainError.rule(
          `organisations.${i}.enterpriseSize`,
          'The indicator breaks down by enterprise size: give each organisation’s',
        );
      }
      return { organisationNumber: o.organisationNumber, enterpriseSize: o.enterpriseSize ?? null };
    });
    if (dto.value !== undefined && dto.value !== listed.length) {
      throw DomainError.rule('value', `value is the number of organisations listed (${listed.length}); leave it out or send that`);
    }
    return listed;
  }

  /** The organisations of measurements, by measurement: one statement for a page. */
  private async organisationsOf(ids: string[]): Promise<Map<string, MeasuredOrganisationResponse[]>> {
    const byMeasurement = new Map<string, MeasuredOrganisationResponse[]>();
    if (ids.length === 0) return byMeasurement;
    for (const r of await this.repository.organisationsOf(ids)) {
      const list = byMeasurement.get(r.measurement_id) ?? [];
      list.push({ organisationNumber: r.organisation_number, enterpriseSize: r.enterprise_size });
      byMeasurement.set(r.measurement_id, list);
    }
    return byMeasurement;
  }
}
