import { Module } from '@nestjs/common';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { EventsService } from './events.service.js';
import { FeedSignal } from './feed-signal.js';
import { FeedWaiters } from './feed-waiters.js';
import { WaiterBudget } from './waiter-budget.js';

/** The events feed: revisions read as events, gap-free, with long polling. */
@Module({
  controllers: [EventsController],
  providers: [EventsService, EventsRepository, FeedSignal, FeedWaiters, WaiterBudget],
  exports: [EventsService, EventsRepository, FeedWaiters],
})
export class EventsModule {}
