import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module.js';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { PlanController } from './plan.controller.js';
import { PlanService } from './plan.service.js';

/** The whole plan of a cluster in one answer. */
@Module({
  imports: [ClustersModule, PlanItemsModule],
  controllers: [PlanController],
  providers: [PlanService],
})
export class PlanModule {}
