import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module.js';
import { ReportSubmissionsController } from './report-submissions.controller.js';
import { ReportSubmissionsService } from './report-submissions.service.js';

@Module({
  imports: [ReportsModule],
  controllers: [ReportSubmissionsController],
  providers: [ReportSubmissionsService],
})
export class ReportSubmissionsModule {}
