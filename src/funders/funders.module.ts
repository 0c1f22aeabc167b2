import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module.js';
import { FundersController } from './funders.controller.js';
import { FundersRepository } from './funders.repository.js';
import { FundersService } from './funders.service.js';

@Module({
  imports: [ClustersModule],
  controllers: [FundersController],
  providers: [FundersService, FundersRepository],
  exports: [FundersService],
})
export class FundersModule {}
