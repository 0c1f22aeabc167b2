import { Module } from '@nestjs/common';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { planItemController } from '../plan-items/plan-item.controller.js';
import { GOAL } from './goal.kind.js';
import { MeasurementsController } from './measurements.controller.js';
import { MeasurementsRepository } from './measurements.repository.js';
import { MeasurementsService } from './measurements.service.js';

@Module({
  imports: [PlanItemsModule],
  controllers: [planItemController(GOAL), MeasurementsController],
  providers: [MeasurementsService, MeasurementsRepository],
})
export class GoalsModule {}
