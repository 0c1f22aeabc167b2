import { Module } from '@nestjs/common';
import { ActorsModule } from '../actors/actors.module.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { PlanController } from './plan.controller.js';
import { PlanService } from './plan.service.js';

/** The whole plan of a cluster in one answer. */
@Module({
  imports: [ClustersModule, PlanItemsModule, ActorsModule],
  controllers: [PlanController],
  providers: [PlanService],
})
export class PlanModule {}
