import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, Raw } from 'typeorm';
import { RevisionsService } from '../revisions/revisions.service.js';
import type { Caller } from '../auth/role.js';
import { Today } from '../common/calendar.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { db, transaction } from '../database/transaction-context.js';
import { PlanItems } from '../plan-items/plan-items.service.js';
import type { CreateMeasurementDto, MeasurementResponse } from './dto/measurement.dto.js';
import { GOAL } from './goal.kind.js';
import { Measurement } from './measurement.entity.js';
import { toMeasurementResponse } from './measurements.mapper.js';
import { recordRevision } from '../revisions/record.js';

/** Measured values of goal indicators: append-only, a correction is a new measurement. */
@Injectable()
export class MeasurementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly items: PlanItems,
    private readonly revisions: RevisionsService,
    private readonly today: Today,
  ) {}

  /** Newest first: by the day measured, then by when recorded. */
  async list(caller: Caller, goalId: string, page: { limit: number; offset: number; asOf?: string }): Promise<Page<MeasurementResponse>> {
    const asOf = this.revisions.instant(page.asOf);
    await this.items.assertReadable(GOAL, caller, goalId);
    // Measurements never change: as of an instant, those recorded by then (to the millisecond, as the API shows them).
    const [items, total] = await db(this.dataSource)
      .getRepository(Measurement)
      .findAndCount({
        where: { goalId, ...(asOf ? { createdAt: Raw((at) => `date_trunc('milliseconds', ${at}) <= :asOf`, { asOf }) } : {}) },
        order: { measuredOn: 'DESC', createdAt: 'DESC' },
        take: page.limit,
        skip: page.offset,
      });
    return { items: items.map(toMeasurementResponse), total, limit: page.limit, offset: page.offset };
  }

  /** Records a value of an open goal's indicator, locking the goal (404, 403, 409 as for any change of it). */
  async create(caller: Caller, goalId: string, dto: CreateMeasurementDto): Promise<MeasurementResponse> {
    return transaction(this.dataSource, async (manager) => {
      const { item: goal } = await this.items.getOpenForWrite(GOAL, caller, goalId, manager);
      if (goal.indicatorUnit === null) throw DomainError.rule('value', 'The goal has no indicator to measure; give it one first.');
      if (dto.measuredOn > this.today.get()) throw DomainError.rule('measuredOn', 'measuredOn cannot be in the future');
      const measurements = manager.getRepository(Measurement);
      const result = await measurements.insert({
        goalId,
        definitionId: goal.indicatorDefinitionId,
        value: String(dto.value),
        measuredOn: dto.measuredOn,
        comment: dto.comment?.trim() || null,
        author: caller.name,
        authorKeyId: caller.keyId,
      });
      const id = (result.identifiers[0] as { id: string }).id;
      await recordRevision(manager, 'measurement', { id }, caller, 'created');
      return toMeasurementResponse(await measurements.findOneByOrFail({ id }));
    });
  }
}
