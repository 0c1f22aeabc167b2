import { Module } from '@nestjs/common';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { statusUpdatesController } from '../plan-items/status-updates.controller.js';
import { FRUIT } from './low-hanging-fruit.kind.js';
import { LowHangingFruitsController } from './low-hanging-fruits.controller.js';

@Module({
  imports: [PlanItemsModule],
  controllers: [LowHangingFruitsController, statusUpdatesController(FRUIT)],
})
export class LowHangingFruitsModule {}
