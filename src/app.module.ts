import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivitiesModule } from './activities/activities.module.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ClustersModule } from './clusters/clusters.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DemoModule } from './demo/demo.module.js';
import { ProblemDetailsFilter } from './common/problem-details.filter.js';
import { createValidationPipe } from './common/validation.js';
import type { Environment } from './config/environment.js';
import { EnvironmentModule } from './config/environment.module.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { ReplicaModule } from './database/replica.module.js';
import { ReplicaReadInterceptor } from './revisions/replica-read.js';
import { ENTITIES } from './entities.js';
import { FollowUpModule } from './follow-up/follow-up.module.js';
import { FundersModule } from './funders/funders.module.js';
import { GoalsModule } from './goals/goals.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { LowHangingFruitsModule } from './low-hanging-fruits/low-hanging-fruits.module.js';
import { PlanModule } from './plan/plan.module.js';
import { ReportLinksModule } from './reports/deliver/links/report-links.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { RisksModule } from './risks/risks.module.js';
import { ActorsModule } from './actors/actors.module.js';
import { RevisionsModule } from './revisions/revisions.module.js';
import { ReportSubmissionsModule } from './report-submissions/report-submissions.module.js';
import { NarrativesModule } from './narratives/narratives.module.js';
import { EventsModule } from './events/events.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { IndicatorsModule } from './indicators/indicators.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';

@Module({})
export class AppModule {
  /** The application for a validated environment whose DATABASE_URL is set. */
  static forRoot(env: Environment): DynamicModule {
    if (!env.DATABASE_URL) throw new Error('AppModule needs DATABASE_URL (main.ts starts the embedded database first)');
    const imports = [
      EnvironmentModule.forRoot(env),
      TypeOrmModule.forRoot({
        ...dataSourceOptions(env.DATABASE_URL, ENTITIES, env.DB_POOL_SIZE),
        migrationsRun: true,
        retryAttempts: 3,
        retryDelay: 1000,
      }),
      AuthModule,
      HealthModule,
      MetricsModule,
      ReplicaModule,
      ClustersModule,
      ApiKeysModule,
      GoalsModule,
      ActivitiesModule,
      LowHangingFruitsModule,
      RisksModule,
      ActorsModule,
      PlanModule,
      FundersModule,
      ReportsModule,
      ReportLinksModule,
      ReportSubmissionsModule,
      NarrativesModule,
      IndicatorsModule,
      RevisionsModule,
      EventsModule,
      WebhooksModule,
      NotificationsModule,
      DashboardModule,
      FollowUpModule,
      DemoModule,
    ];
    return {
      module: AppModule,
      imports,
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // Only with a replica: without one, a read passes through no interceptor at all.
        ...(env.DATABASE_REPLICA_URL ? [{ provide: APP_INTERCEPTOR, useClass: ReplicaReadInterceptor }] : []),
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
