import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository.js';
import { WebhookSettings } from './webhook-settings.js';
import { WebhookWorker } from './webhook-worker.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksService } from './webhooks.service.js';

/** Webhooks: signed, retried deliveries of the events feed, from a PostgreSQL-backed queue. */
@Module({
  imports: [EventsModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhooksRepository, WebhookSettings, WebhookWorker, WebhookDeliveriesRepository],
  exports: [WebhookSettings, WebhookWorker],
})
export class WebhooksModule {}
