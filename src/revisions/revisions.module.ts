import { Global, Module } from '@nestjs/common';
import { RevisionsController } from './revisions.controller.js';
import { RevisionsRepository } from './revisions.repository.js';
import { RevisionsService } from './revisions.service.js';

/** Every version of every resource, and reads as of an instant; every feature that writes records its revisions. */
@Global()
@Module({
  controllers: [RevisionsController],
  providers: [RevisionsService, RevisionsRepository],
  exports: [RevisionsService],
})
export class RevisionsModule {}
