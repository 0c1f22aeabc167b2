import { Module } from '@nestjs/common';
import { FollowUpModule } from '../../../follow-up/follow-up.module.js';
import { ReportSubmissionsModule } from '../../../report-submissions/report-submissions.module.js';
import { ReportsModule } from '../../reports.module.js';
import { ReportLinksController } from './report-links.controller.js';
import { ReportLinksService } from './report-links.service.js';

/** Report links: a report, a submitted report or a status grid handed on as a URL that needs no key. */
@Module({
  imports: [ReportsModule, ReportSubmissionsModule, FollowUpModule],
  controllers: [ReportLinksController],
  providers: [ReportLinksService],
})
export class ReportLinksModule {}
