import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module.js';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { FundersModule } from '../funders/funders.module.js';
import { GoalsModule } from '../goals/goals.module.js';
import { LowHangingFruitsModule } from '../low-hanging-fruits/low-hanging-fruits.module.js';
import { DemoService } from './demo.service.js';

@Module({
  imports: [ApiKeysModule, ClustersModule, FundersModule, GoalsModule, ActivitiesModule, LowHangingFruitsModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
