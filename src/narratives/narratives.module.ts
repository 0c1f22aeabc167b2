import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module.js';
import { NarrativesController } from './narratives.controller.js';
import { NarrativesRepository } from './narratives.repository.js';
import { NarrativesService } from './narratives.service.js';

@Module({
  imports: [ClustersModule],
  controllers: [NarrativesController],
  providers: [NarrativesService, NarrativesRepository],
  exports: [NarrativesService],
})
export class NarrativesModule {}
