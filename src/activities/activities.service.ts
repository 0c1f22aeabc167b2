import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DomainError } from '../common/domain-error.js';
import { type Page, parseSort } from '../common/pagination.js';
import { Environment } from '../config/environment.js';
import { GoalsService } from '../goals/goals.service.js';
import type { CreateItemStatusUpdateDto } from '../plan-items/dto/status-update.dto.js';
import { itemFilters } from '../plan-items/list-filters.js';
import { PlanItems, type PlanItemKind } from '../plan-items/plan-items.service.js';
import type { StatusUpdate } from '../plan-items/history/status-update.entity.js';
import { todayIn } from '../common/calendar.js';
import { Activity } from './activity.entity.js';
import type { CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dto/activity.dto.js';

export const ACTIVITY: PlanItemKind<Activity> = { entity: Activity, subjectType: 'activity', label: 'The activity', hasState: true };

const SORT_COLUMNS: Record<string, string> = {
  title: 'a.title',
  startDate: 'a.start_date',
  dueDate: 'a.due_date',
  createdAt: 'a.created_at',
  updatedAt: 'a.updated_at',
};

function assertDateOrder(startDate: string | null | undefined, dueDate: string | null | undefined): void {
  if (startDate && dueDate && startDate > dueDate) throw DomainError.rule('dueDate', 'dueDate must be on or after startDate');
}

@Injectable()
export class ActivitiesService {
  constructor(
    @InjectRepository(Activity) private readonly activities: Repository<Activity>,
    private readonly clusters: ClustersService,
    private readonly goals: GoalsService,
    private readonly items: PlanItems,
    private readonly env: Environment,
  ) {}

  /** Today in the reporting time zone: what "overdue" is measured against. */
  today(): string {
    return todayIn(this.env.REPORT_TIME_ZONE);
  }

  async list(caller: Caller, clusterId: string, query: ListActivitiesQueryDto): Promise<Page<Activity>> {
    await this.clusters.get(caller, clusterId);
    const where = itemFilters('a', { due: 'due_date', search: 'title' }, clusterId, query, this.today());
    const sort = parseSort(query.sort, SORT_COLUMNS, 'dueDate');
    const [items, total] = await this.activities
      .createQueryBuilder('a')
      .where(where.sql, where.params)
      .orderBy(sort.column, sort.direction, 'NULLS LAST')
      .addOrderBy('a.id', 'ASC')
      .limit(query.limit)
      .offset(query.offset)
      .getManyAndCount();
    return { items, total, limit: query.limit, offset: query.offset };
  }

  get(caller: Caller, id: string): Promise<Activity> {
    return this.items.get(ACTIVITY, caller, id);
  }

  async create(caller: Caller, clusterId: string, dto: CreateActivityDto): Promise<Activity> {
    await this.clusters.getForPlanWrite(caller, clusterId);
    assertDateOrder(dto.startDate, dto.dueDate);
    if (dto.goalId) await this.goals.assertGoalOfCluster(clusterId, dto.goalId, 'goalId');
    return this.items.create(
      ACTIVITY,
      caller,
      {
        clusterId,
        title: dto.title,
        description: dto.description ?? null,
        owner: dto.owner ?? null,
        goalId: dto.goalId ?? null,
        startDate: dto.startDate ?? null,
        dueDate: dto.dueDate ?? null,
        state: dto.state ?? 'planned',
        status: dto.status ?? 'green',
      },
      dto.statusComment,
    );
  }

  update(caller: Caller, id: string, dto: UpdateActivityDto, ifMatch: number[] | undefined): Promise<Activity> {
    return this.items.update(ACTIVITY, caller, id, ifMatch, async (current) => {
      assertDateOrder(
        dto.startDate !== undefined ? dto.startDate : current.startDate,
        dto.dueDate !== undefined ? dto.dueDate : current.dueDate,
      );
      if (dto.goalId) await this.goals.assertGoalOfCluster(current.clusterId, dto.goalId, 'goalId');
      return { ...dto };
    });
  }

  changeStatus(caller: Caller, id: string, dto: CreateItemStatusUpdateDto, ifMatch: number[] | undefined): Promise<Activity> {
    return this.items.changeStatus(ACTIVITY, caller, id, ifMatch, dto);
  }

  archive(caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    return this.items.archive(ACTIVITY, caller, id, ifMatch);
  }

  statusUpdates(caller: Caller, id: string, limit: number, offset: number): Promise<Page<StatusUpdate>> {
    return this.items.history(ACTIVITY, caller, id, limit, offset);
  }
}
