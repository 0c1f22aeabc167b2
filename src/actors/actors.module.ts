import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module.js';
import { ActorsController } from './actors.controller.js';
import { ActorsRepository } from './actors.repository.js';
import { ActorsService } from './actors.service.js';

@Module({
  imports: [ClustersModule],
  controllers: [ActorsController],
  providers: [ActorsService, ActorsRepository],
  exports: [ActorsService],
})
export class ActorsModule {}
