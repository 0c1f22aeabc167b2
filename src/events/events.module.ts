import { Module } from '@nestjs/common';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';
import { FeedSignal } from './feed-signal.js';

/** The events feed: revisions read as events, gap-free, with long polling. */
@Module({
  controllers: [EventsController],
  providers: [EventsService, FeedSignal],
  exports: [EventsService],
})
export class EventsModule {}
