import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClustersModule } from '../clusters/clusters.module.js';
import { GoalsModule } from '../goals/goals.module.js';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { LowHangingFruitsController } from './low-hanging-fruits.controller.js';
import { LowHangingFruitsService } from './low-hanging-fruits.service.js';
import { LowHangingFruit } from './low-hanging-fruit.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([LowHangingFruit]), ClustersModule, GoalsModule, PlanItemsModule],
  controllers: [LowHangingFruitsController],
  providers: [LowHangingFruitsService],
  exports: [LowHangingFruitsService],
})
export class LowHangingFruitsModule {}
