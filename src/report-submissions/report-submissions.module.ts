import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module.js';
import { ReportSubmissionsController } from './report-submissions.controller.js';
import { ReportSubmissionsService } from './report-submissions.service.js';
import { SubmissionCompareController } from './submission-compare.controller.js';
import { SubmissionCompareRepository } from './submission-compare.repository.js';
import { SubmissionCompareService } from './submission-compare.service.js';

@Module({
  imports: [ReportsModule],
  controllers: [ReportSubmissionsController, SubmissionCompareController],
  providers: [ReportSubmissionsService, SubmissionCompareService, SubmissionCompareRepository],
  exports: [ReportSubmissionsService],
})
export class ReportSubmissionsModule {}
