import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module.js';
import { SignaturesModule } from '../signatures/signatures.module.js';
import { ReportSubmissionsController } from './report-submissions.controller.js';
import { LateEntriesRepository } from './late-entries.repository.js';
import { LateEntriesService } from './late-entries.service.js';
import { ReportSubmissionsRepository } from './report-submissions.repository.js';
import { ReportSubmissionsService } from './report-submissions.service.js';
import { SubmissionsDueService } from './submissions-due.service.js';
import { SubmissionCompareController } from './submission-compare.controller.js';
import { SubmissionCompareRepository } from './submission-compare.repository.js';
import { SubmissionCompareService } from './submission-compare.service.js';

@Module({
  imports: [ReportsModule, SignaturesModule],
  controllers: [ReportSubmissionsController, SubmissionCompareController],
  providers: [
    ReportSubmissionsService,
    ReportSubmissionsRepository,
    LateEntriesRepository,
    LateEntriesService,
    SubmissionsDueService,
    SubmissionCompareService,
    SubmissionCompareRepository,
  ],
  exports: [ReportSubmissionsService],
})
export class ReportSubmissionsModule {}
