import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { HistoryService } from './history.service.js';
import { PlanItems } from './plan-items.js';
import { StatusUpdate } from './status-update.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([StatusUpdate])],
  providers: [HistoryService, PlanItems],
  exports: [HistoryService, PlanItems],
})
export class StatusModule {}
