import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { FollowUpModule } from '../follow-up/follow-up.module.js';
import { DueReminders } from './due-reminders.js';
import { EmailSender } from './email-sender.js';
import { EmailWorker } from './email-worker.js';
import { EventEmails } from './event-emails.js';
import { Mailer } from './mailer.js';
import { SubscriptionsController } from './subscriptions.controller.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { WeeklyDigest } from './weekly-digest.js';

/** Notifications by email: subscriptions with double opt-in, and the outbox that decides and sends. */
@Module({
  imports: [EventsModule, FollowUpModule],
  controllers: [SubscriptionsController],
  providers: [Mailer, SubscriptionsService, DueReminders, WeeklyDigest, EventEmails, EmailSender, EmailWorker],
  exports: [EmailWorker, Mailer, SubscriptionsService],
})
export class NotificationsModule {}
