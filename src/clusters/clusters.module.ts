import { Module } from '@nestjs/common';
import { ClustersController } from './clusters.controller.js';
import { ClustersRepository } from './clusters.repository.js';
import { ClustersService } from './clusters.service.js';

@Module({
  controllers: [ClustersController],
  providers: [ClustersService, ClustersRepository],
  exports: [ClustersService],
})
export class ClustersModule {}
