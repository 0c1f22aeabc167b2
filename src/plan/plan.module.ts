import { Module } from '@nestjs/common';
import { ActorsModule } from '../actors/actors.module.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { PlanChangesController } from './plan-changes.controller.js';
import { PlanChangesRepository } from './plan-changes.repository.js';
import { PlanChangesService } from './plan-changes.service.js';
import { PlanController } from './plan.controller.js';
import { PlanService } from './plan.service.js';

/** The whole plan of a cluster in one answer, and what changed in it between two instants. */
@Module({
  imports: [ClustersModule, PlanItemsModule, ActorsModule],
  controllers: [PlanController, PlanChangesController],
  providers: [PlanService, PlanChangesService, PlanChangesRepository],
})
export class PlanModule {}
