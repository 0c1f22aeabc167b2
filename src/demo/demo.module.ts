import { Module } from '@nestjs/common';
import { ActorsModule } from '../actors/actors.module.js';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { ClustersModule } from '../clusters/clusters.module.js';
import { FundersModule } from '../funders/funders.module.js';
import { NarrativesModule } from '../narratives/narratives.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { PlanItemsModule } from '../plan-items/plan-items.module.js';
import { DemoService } from './demo.service.js';

@Module({
  imports: [ApiKeysModule, ClustersModule, FundersModule, PlanItemsModule, ActorsModule, NarrativesModule, NotificationsModule],
  providers: [DemoService],
  exports: [DemoService],
})
export class DemoModule {}
