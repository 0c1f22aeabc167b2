import { Module } from '@nestjs/common';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { planItemController } from '../plan-items/plan-item.controller.js';
import { ACTIVITY } from './activity.kind.js';

@Module({
  imports: [PlanItemsModule],
  controllers: [planItemController(ACTIVITY)],
})
export class ActivitiesModule {}
