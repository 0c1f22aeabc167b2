import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module.js';
import { FundersController } from './funders.controller.js';
import { FundersService } from './funders.service.js';

@Module({
  imports: [ClustersModule],
  controllers: [FundersController],
  providers: [FundersService],
  exports: [FundersService],
})
export class FundersModule {}
