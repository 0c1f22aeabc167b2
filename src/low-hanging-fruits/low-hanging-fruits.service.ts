import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { type Page, parseSort } from '../common/pagination.js';
import { Environment } from '../config/environment.js';
import { GoalsService } from '../goals/goals.service.js';
import type { CreateItemStatusUpdateDto } from '../plan-items/dto/status-update.dto.js';
import { itemFilters } from '../plan-items/list-filters.js';
import { PlanItems, type PlanItemKind } from '../plan-items/plan-items.service.js';
import type { StatusUpdate } from '../plan-items/history/status-update.entity.js';
import { todayIn } from '../common/calendar.js';
import type { CreateLowHangingFruitDto, ListLowHangingFruitsQueryDto, UpdateLowHangingFruitDto } from './dto/low-hanging-fruit.dto.js';
import { LowHangingFruit } from './low-hanging-fruit.entity.js';

export const FRUIT: PlanItemKind<LowHangingFruit> = {
  entity: LowHangingFruit,
  subjectType: 'low_hanging_fruit',
  label: 'The low-hanging fruit',
  hasState: true,
};

const SORT_COLUMNS: Record<string, string> = {
  what: 'f.what',
  when: 'f.when_date',
  createdAt: 'f.created_at',
  updatedAt: 'f.updated_at',
};

@Injectable()
export class LowHangingFruitsService {
  constructor(
    @InjectRepository(LowHangingFruit) private readonly fruits: Repository<LowHangingFruit>,
    private readonly clusters: ClustersService,
    private readonly goals: GoalsService,
    private readonly items: PlanItems,
    private readonly env: Environment,
  ) {}

  today(): string {
    return todayIn(this.env.REPORT_TIME_ZONE);
  }

  async list(caller: Caller, clusterId: string, query: ListLowHangingFruitsQueryDto): Promise<Page<LowHangingFruit>> {
    await this.clusters.get(caller, clusterId);
    const where = itemFilters('f', { due: 'when_date', search: 'what' }, clusterId, query, this.today());
    const sort = parseSort(query.sort, SORT_COLUMNS, 'when');
    const [items, total] = await this.fruits
      .createQueryBuilder('f')
      .where(where.sql, where.params)
      .orderBy(sort.column, sort.direction, 'NULLS LAST')
      .addOrderBy('f.id', 'ASC')
      .limit(query.limit)
      .offset(query.offset)
      .getManyAndCount();
    return { items, total, limit: query.limit, offset: query.offset };
  }

  get(caller: Caller, id: string): Promise<LowHangingFruit> {
    return this.items.get(FRUIT, caller, id);
  }

  async create(caller: Caller, clusterId: string, dto: CreateLowHangingFruitDto): Promise<LowHangingFruit> {
    await this.clusters.getForPlanWrite(caller, clusterId);
    if (dto.goalId) await this.goals.assertGoalOfCluster(clusterId, dto.goalId, 'goalId');
    return this.items.create(
      FRUIT,
      caller,
      {
        clusterId,
        what: dto.what,
        when: dto.when,
        how: dto.how ?? null,
        owner: dto.owner ?? null,
        goalId: dto.goalId ?? null,
        state: dto.state ?? 'planned',
        status: dto.status ?? 'green',
      },
      dto.statusComment,
    );
  }

  update(caller: Caller, id: string, dto: UpdateLowHangingFruitDto, ifMatch: number[] | undefined): Promise<LowHangingFruit> {
    return this.items.update(FRUIT, caller, id, ifMatch, async (current) => {
      if (dto.goalId) await this.goals.assertGoalOfCluster(current.clusterId, dto.goalId, 'goalId');
      return { ...dto };
    });
  }

  changeStatus(caller: Caller, id: string, dto: CreateItemStatusUpdateDto, ifMatch: number[] | undefined): Promise<LowHangingFruit> {
    return this.items.changeStatus(FRUIT, caller, id, ifMatch, dto);
  }

  archive(caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    return this.items.archive(FRUIT, caller, id, ifMatch);
  }

  statusUpdates(caller: Caller, id: string, limit: number, offset: number): Promise<Page<StatusUpdate>> {
    return this.items.history(FRUIT, caller, id, limit, offset);
  }
}
