import { Module } from '@nestjs/common';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { statusUpdatesController } from '../plan-items/status-updates.controller.js';
import { GOAL } from './goal.kind.js';
import { GoalsController } from './goals.controller.js';
import { MeasurementsController } from './measurements.controller.js';
import { MeasurementsService } from './measurements.service.js';

@Module({
  imports: [PlanItemsModule],
  controllers: [GoalsController, statusUpdatesController(GOAL), MeasurementsController],
  providers: [MeasurementsService],
})
export class GoalsModule {}
