import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { db, transaction } from '../database/transaction-context.js';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { Today } from '../common/calendar.js';
import type { CreateMeasurementDto, MeasurementResponse } from './dto/measurement.dto.js';
import { GoalsService } from './goals.service.js';
import { Measurement } from './measurement.entity.js';

export function toMeasurementResponse(m: Measurement): MeasurementResponse {
  return {
    id: m.id,
    goalId: m.goalId,
    value: Number(m.value),
    measuredOn: m.measuredOn,
    comment: m.comment,
    author: m.author,
    authorKeyId: m.authorKeyId,
    createdAt: m.createdAt.toISOString(),
  };
}

/** Measured values of goal indicators: append-only, a correction is a new measurement. */
@Injectable()
export class MeasurementsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly goals: GoalsService,
    private readonly today: Today,
  ) {}

  private get measurements(): Repository<Measurement> {
    return db(this.dataSource).getRepository(Measurement);
  }

  /** Newest first: by the day measured, then by when recorded. */
  async list(caller: Caller, goalId: string, limit: number, offset: number): Promise<Page<Measurement>> {
    await this.goals.entity(caller, goalId);
    const [items, total] = await this.measurements.findAndCount({
      where: { goalId },
      order: { measuredOn: 'DESC', createdAt: 'DESC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  async create(caller: Caller, goalId: string, dto: CreateMeasurementDto): Promise<Measurement> {
    return transaction(this.dataSource, async (manager) => {
      const goal = await this.goals.entityForWrite(caller, goalId, manager);
      if (goal.indicatorUnit === null) throw DomainError.rule('value', 'The goal has no indicator to measure; give it one first.');
      if (dto.measuredOn > this.today.get()) throw DomainError.rule('measuredOn', 'measuredOn cannot be in the future');
      const measurements = manager.getRepository(Measurement);
      const result = await measurements.insert({
        goalId,
        value: String(dto.value),
        measuredOn: dto.measuredOn,
        comment: dto.comment?.trim() || null,
        author: caller.name,
        authorKeyId: caller.keyId,
      });
      return measurements.findOneByOrFail({ id: (result.identifiers[0] as { id: string }).id });
    });
  }
}
