import { Module } from '@nestjs/common';
import { FollowUpController } from './follow-up.controller.js';
import { FollowUpRepository } from './follow-up.repository.js';
import { FollowUpService } from './follow-up.service.js';

/** The follow-up rhythm: what needs an update, and the traffic lights over time. */
@Module({
  controllers: [FollowUpController],
  providers: [FollowUpService, FollowUpRepository],
  exports: [FollowUpService],
})
export class FollowUpModule {}
