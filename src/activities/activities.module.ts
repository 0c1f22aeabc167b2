import { Module } from '@nestjs/common';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { statusUpdatesController } from '../plan-items/status-updates.controller.js';
import { ActivitiesController } from './activities.controller.js';
import { ACTIVITY } from './activity.kind.js';

@Module({
  imports: [PlanItemsModule],
  controllers: [ActivitiesController, statusUpdatesController(ACTIVITY)],
})
export class ActivitiesModule {}
