import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryService } from './history/history.service.js';
import { PlanItems } from './plan-items.service.js';
import { StatusUpdate } from './history/status-update.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([StatusUpdate])],
  providers: [HistoryService, PlanItems],
  exports: [HistoryService, PlanItems],
})
export class PlanItemsModule {}
