import { Global, Module } from '@nestjs/common';
import { ParseAsOfPipe } from './as-of.js';
import { RevisionsController } from './revisions.controller.js';
import { RevisionsService } from './revisions.service.js';

/** Every version of every resource, and reads as of an instant; every feature that writes records its revisions. */
@Global()
@Module({
  controllers: [RevisionsController],
  providers: [RevisionsService, ParseAsOfPipe],
  exports: [RevisionsService, ParseAsOfPipe],
})
export class RevisionsModule {}
