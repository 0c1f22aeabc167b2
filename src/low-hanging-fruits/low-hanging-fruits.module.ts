import { Module } from '@nestjs/common';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { planItemController } from '../plan-items/plan-item.controller.js';
import { FRUIT } from './low-hanging-fruit.kind.js';

@Module({
  imports: [PlanItemsModule],
  controllers: [planItemController(FRUIT)],
})
export class LowHangingFruitsModule {}
