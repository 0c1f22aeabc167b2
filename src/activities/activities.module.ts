import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClustersModule } from '../clusters/clusters.module.js';
import { GoalsModule } from '../goals/goals.module.js';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { ActivitiesController } from './activities.controller.js';
import { ActivitiesService } from './activities.service.js';
import { Activity } from './activity.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([Activity]), ClustersModule, GoalsModule, PlanItemsModule],
  controllers: [ActivitiesController],
  providers: [ActivitiesService],
  exports: [ActivitiesService],
})
export class ActivitiesModule {}
