import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module.js';
import { IndicatorDefinitionsController } from './indicator-definitions.controller.js';
import { IndicatorDefinitionsRepository } from './indicator-definitions.repository.js';
import { IndicatorDefinitionsService } from './indicator-definitions.service.js';
import { IndicatorTotalsController } from './indicator-totals.controller.js';
import { IndicatorTotalsRepository } from './indicator-totals.repository.js';
import { IndicatorTotalsService } from './indicator-totals.service.js';

@Module({
  imports: [ReportsModule],
  controllers: [IndicatorDefinitionsController, IndicatorTotalsController],
  providers: [IndicatorDefinitionsService, IndicatorDefinitionsRepository, IndicatorTotalsService, IndicatorTotalsRepository],
  exports: [IndicatorDefinitionsService],
})
export class IndicatorsModule {}
