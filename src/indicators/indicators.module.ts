import { Module } from '@nestjs/common';
import { IndicatorDefinitionsController } from './indicator-definitions.controller.js';
import { IndicatorDefinitionsService } from './indicator-definitions.service.js';

@Module({
  controllers: [IndicatorDefinitionsController],
  providers: [IndicatorDefinitionsService],
  exports: [IndicatorDefinitionsService],
})
export class IndicatorsModule {}
