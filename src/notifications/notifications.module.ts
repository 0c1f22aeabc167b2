import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { FollowUpModule } from '../follow-up/follow-up.module.js';
import { DueReminders } from './due-reminders.js';
import { EmailSender } from './email-sender.js';
import { EmailsRepository } from './emails.repository.js';
import { EmailWorker } from './email-worker.js';
import { EventEmails } from './event-emails.js';
import { Mailer } from './mailer.js';
import { OutboxRepository } from './outbox.repository.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { WeeklyDigest } from './weekly-digest.js';

/** Notifications by email: subscriptions with double opt-in, and the outbox that decides and sends. */
@Module({
  imports: [EventsModule, FollowUpModule],
  controllers: [SubscriptionsController],
  providers: [
    Mailer,
    SubscriptionsService,
    SubscriptionsRepository,
    DueReminders,
    WeeklyDigest,
    EventEmails,
    EmailSender,
    EmailWorker,
    OutboxRepository,
    EmailsRepository,
  ],
  exports: [EmailWorker, Mailer, SubscriptionsService],
})
export class NotificationsModule {}
