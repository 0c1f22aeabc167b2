import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module.js';
import { HistoryService } from './history/history.service.js';
import { PlanItems } from './plan-items.service.js';

/** The engine every kind of plan item runs on; each kind's module adds its controllers. */
@Module({
  imports: [ClustersModule],
  providers: [HistoryService, PlanItems],
  exports: [PlanItems],
})
export class PlanItemsModule {}
