import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module.js';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { GoalsController } from './goals.controller.js';
import { GoalsService } from './goals.service.js';
import { MeasurementsController } from './measurements.controller.js';
import { MeasurementsService } from './measurements.service.js';

@Module({
  imports: [ClustersModule, PlanItemsModule],
  controllers: [GoalsController, MeasurementsController],
  providers: [GoalsService, MeasurementsService],
  exports: [GoalsService],
})
export class GoalsModule {}
