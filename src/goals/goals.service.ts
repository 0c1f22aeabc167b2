import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { readableClusters } from '../auth/access.js';
import type { Caller } from '../auth/role.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { DomainError } from '../common/domain-error.js';
import { type Page, parseSort } from '../common/pagination.js';
import { countPastEnd, escapeLike, namedQuery, Where } from '../common/sql.js';
import { db } from '../database/transaction-context.js';
import type { CreateItemStatusUpdateDto } from '../plan-items/dto/status-update.dto.js';
import { PlanItems, type PlanItemKind } from '../plan-items/plan-items.service.js';
import type { StatusUpdate } from '../plan-items/history/status-update.entity.js';
import type { CreateGoalDto, GoalResponse, ListGoalsQueryDto, UpdateGoalDto } from './dto/goal.dto.js';
import { Goal, type Horizon } from './goal.entity.js';
import { type GoalRow, toGoalResponse } from './goals.mapper.js';

export const GOAL: PlanItemKind<Goal> = { entity: Goal, subjectType: 'goal', label: 'The goal', hasState: false };

/** A goal with its latest measurement and the goals contributing to it, in one statement. */
const SELECT_GOALS = `
  SELECT g.*, lm.value AS latest_value, lm.measured_on AS latest_measured_on,
         ARRAY(SELECT c.id FROM goal c
               WHERE c.contributes_to_goal_id = g.id AND c.archived_at IS NULL
               ORDER BY c.created_at, c.id) AS contributing_goal_ids,
         count(*) OVER () AS total_count
  FROM goal g
  LEFT JOIN LATERAL (
    SELECT m.value, m.measured_on FROM measurement m
    WHERE m.goal_id = g.id
    ORDER BY m.measured_on DESC, m.created_at DESC
    LIMIT 1
  ) lm ON true`;

const SORT_COLUMNS: Record<string, string> = {
  title: 'g.title',
  dueDate: 'g.due_date',
  createdAt: 'g.created_at',
  updatedAt: 'g.updated_at',
};

function indicatorColumns(indicator: CreateGoalDto['indicator']): Record<string, unknown> {
  if (indicator === undefined) return {};
  return {
    indicatorUnit: indicator?.unit ?? null,
    indicatorBaseline: indicator ? String(indicator.baseline) : null,
    indicatorTarget: indicator ? String(indicator.target) : null,
  };
}

@Injectable()
export class GoalsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clusters: ClustersService,
    private readonly items: PlanItems,
  ) {}

  async list(caller: Caller, clusterId: string, query: ListGoalsQueryDto): Promise<Page<GoalResponse>> {
    await this.clusters.get(caller, clusterId);
    const where = new Where().add('g.cluster_id = :clusterId', { clusterId });
    if (!query.includeArchived) where.add('g.archived_at IS NULL');
    where
      .when(query.status, 'g.status = :status', { status: query.status })
      .when(query.horizon, 'g.horizon = :horizon', { horizon: query.horizon })
      .when(query.perspective, 'g.perspective = :perspective', { perspective: query.perspective })
      .when(query.contributesToGoalId, 'g.contributes_to_goal_id = :contributesTo', { contributesTo: query.contributesToGoalId })
      .when(query.dueBefore, 'g.due_date <= :dueBefore', { dueBefore: query.dueBefore })
      .when(query.dueAfter, 'g.due_date >= :dueAfter', { dueAfter: query.dueAfter })
      .when(query.q, `g.title ILIKE :q ESCAPE '\\'`, { q: `%${escapeLike(query.q ?? '')}%` });
    const sort = parseSort(query.sort, SORT_COLUMNS, 'createdAt');
    const rows = await namedQuery<GoalRow & { total_count: string }>(
      db(this.dataSource),
      `${SELECT_GOALS} WHERE ${where.sql}
       ORDER BY ${sort.column} ${sort.direction} NULLS LAST, g.id LIMIT :limit OFFSET :offset`,
      { ...where.params, limit: query.limit, offset: query.offset },
    );
    const total = rows.length > 0 ? Number(rows[0].total_count) : await countPastEnd(db(this.dataSource), 'goal g', where, query.offset);
    return { items: rows.map(toGoalResponse), total, limit: query.limit, offset: query.offset };
  }

  async get(caller: Caller, id: string): Promise<GoalResponse> {
    const visible = readableClusters(caller, 'g.cluster_id');
    const [row] = await namedQuery<GoalRow>(db(this.dataSource), `${SELECT_GOALS} WHERE g.id = :id AND ${visible.sql}`, {
      id,
      ...visible.params,
    });
    if (!row) throw DomainError.notFound('The goal');
    return toGoalResponse(row);
  }

  /** The response of a goal just written, read in the writing transaction. */
  private readonly view = async (manager: EntityManager, goal: Goal): Promise<GoalResponse> => {
    const [row] = await namedQuery<GoalRow>(manager, `${SELECT_GOALS} WHERE g.id = :id`, { id: goal.id });
    return toGoalResponse(row);
  };

  async create(caller: Caller, clusterId: string, dto: CreateGoalDto): Promise<GoalResponse> {
    await this.clusters.getForPlanWrite(caller, clusterId);
    if (dto.contributesToGoalId) await this.assertContribution(clusterId, dto.horizon, dto.contributesToGoalId, undefined);
    return this.items.create(
      GOAL,
      caller,
      {
        clusterId,
        title: dto.title,
        description: dto.description ?? null,
        horizon: dto.horizon,
        perspective: dto.perspective ?? null,
        contributesToGoalId: dto.contributesToGoalId ?? null,
        dueDate: dto.dueDate ?? null,
        ...indicatorColumns(dto.indicator),
        status: dto.status ?? 'green',
      },
      dto.statusComment,
      this.view,
    );
  }

  update(caller: Caller, id: string, dto: UpdateGoalDto, ifMatch: number[] | undefined): Promise<GoalResponse> {
    return this.items.update(
      GOAL,
      caller,
      id,
      ifMatch,
      async (current) => {
        const horizon = dto.horizon ?? current.horizon;
        const contributesTo = dto.contributesToGoalId !== undefined ? dto.contributesToGoalId : current.contributesToGoalId;
        if (contributesTo && (dto.contributesToGoalId !== undefined || horizon !== current.horizon)) {
          await this.assertContribution(current.clusterId, horizon, contributesTo, current.id);
        }
        if (horizon === 'short_term' && current.horizon === 'long_term') await this.assertNoContributors(current.id);
        const { indicator, ...fields } = dto;
        return { ...fields, ...indicatorColumns(indicator) };
      },
      this.view,
    );
  }

  changeStatus(caller: Caller, id: string, dto: CreateItemStatusUpdateDto, ifMatch: number[] | undefined): Promise<GoalResponse> {
    return this.items.changeStatus(GOAL, caller, id, ifMatch, dto, this.view);
  }

  async archive(caller: Caller, id: string, ifMatch: number[] | undefined): Promise<void> {
    await this.items.archive(GOAL, caller, id, ifMatch);
  }

  statusUpdates(caller: Caller, id: string, limit: number, offset: number): Promise<Page<StatusUpdate>> {
    return this.items.history(GOAL, caller, id, limit, offset);
  }

  /** A goal the caller may read, as an entity (for measurements). */
  async entity(caller: Caller, id: string): Promise<Goal> {
    return this.items.get(GOAL, caller, id);
  }

  /** A goal the caller may add to (measurements), locked for the rest of the transaction; 409 if it or its cluster is archived. */
  async entityForWrite(caller: Caller, id: string, manager: EntityManager): Promise<Goal> {
    const goal = await this.items.getForWrite(GOAL, caller, id, manager);
    if (goal.archivedAt) throw DomainError.conflict('The goal is archived; archived items are read-only.');
    return goal;
  }

  /**
   * `goalId` of an activity or fruit: a goal of the same cluster that is not
   * archived. Anything else is a 422 naming the field, and says nothing about
   * goals the caller may not read.
   */
  async assertGoalOfCluster(clusterId: string, goalId: string, field: string): Promise<void> {
    const goal = await db(this.dataSource).getRepository(Goal).findOneBy({ id: goalId });
    if (!goal || goal.clusterId !== clusterId) throw DomainError.rule(field, `${field} must name a goal of the same cluster`);
    if (goal.archivedAt) throw DomainError.rule(field, `${field} names an archived goal`);
  }

  /** Only a short-term goal may contribute, and only to a long-term goal of its own cluster. */
  private async assertContribution(clusterId: string, horizon: Horizon, targetId: string, selfId: string | undefined): Promise<void> {
    const field = 'contributesToGoalId';
    if (horizon !== 'short_term') throw DomainError.rule(field, 'Only a short-term goal (a result) may contribute to another goal');
    if (targetId === selfId) throw DomainError.rule(field, 'A goal cannot contribute to itself');
    await this.assertGoalOfCluster(clusterId, targetId, field);
    const target = await db(this.dataSource).getRepository(Goal).findOneByOrFail({ id: targetId });
    if (target.horizon !== 'long_term') throw DomainError.rule(field, `${field} must name a long-term goal (an effect)`);
  }

  private async assertNoContributors(id: string): Promise<void> {
    const contributors = await db(this.dataSource).getRepository(Goal).countBy({ contributesToGoalId: id });
    if (contributors > 0) {
      throw DomainError.rule('horizon', `${contributors} short-term goal(s) contribute to this goal; it must stay long-term while they do`);
    }
  }
}
