import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClustersModule } from '../clusters/clusters.module.js';
import { FundersController } from './funders.controller.js';
import { FundersService } from './funders.service.js';
import { Funder } from './funder.entity.js';
import { Funding } from './funding.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([Funder, Funding]), ClustersModule],
  controllers: [FundersController],
  providers: [FundersService],
  exports: [FundersService],
})
export class FundersModule {}
