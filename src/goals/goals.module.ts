import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClustersModule } from '../clusters/clusters.module.js';
import { StatusModule } from '../status/status.module.js';
import { GoalsController } from './goals.controller.js';
import { GoalsService } from './goals.service.js';
import { MeasurementsController } from './measurements.controller.js';
import { MeasurementsService } from './measurements.service.js';
import { Measurement } from './measurement.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([Measurement]), ClustersModule, StatusModule],
  controllers: [GoalsController, MeasurementsController],
  providers: [GoalsService, MeasurementsService],
  exports: [GoalsService],
})
export class GoalsModule {}
