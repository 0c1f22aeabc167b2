import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { ActorsService } from '../actors/actors.service.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { transaction } from '../database/transaction-context.js';
import { PlanItems } from '../plan-items/plan-items.service.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import type { PlanResponse } from './plan.dto.js';
import { PLAN_SECTIONS } from './plan-sections.js';

@Injectable()
export class PlanService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clusters: ClustersService,
    private readonly items: PlanItems,
    private readonly actors: ActorsService,
    private readonly revisions: RevisionsService,
  ) {}

  /**
   * The whole plan of a cluster the caller may read (404 otherwise), now or
   * as of an instant, read from one snapshot (a repeatable-read transaction),
   * so that its parts agree with each other: the cluster with its funders,
   * then one statement per section, whatever the size of the plan and the
   * length of its history.
   */
  plan(caller: Caller, clusterId: string, asOfQuery?: string): Promise<PlanResponse> {
    const asOf = this.revisions.instant(asOfQuery);
    return transaction(
      this.dataSource,
      async () => {
        const plan: PlanResponse = { cluster: await this.clusters.readAt(caller, clusterId, asOf) };
        const readers = { items: this.items, actors: this.actors };
        for (const section of PLAN_SECTIONS) plan[section.name] = await section.read(readers, clusterId, asOf);
        return plan;
      },
      'REPEATABLE READ',
    );
  }
}
