import { Module } from '@nestjs/common';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { planItemController } from '../plan-items/plan-item.controller.js';
import { RISK } from './risk.kind.js';

@Module({
  imports: [PlanItemsModule],
  controllers: [planItemController(RISK)],
})
export class RisksModule {}
