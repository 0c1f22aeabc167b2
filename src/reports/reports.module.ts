import { Module } from '@nestjs/common';
import { KeptCompression } from './deliver/kept/kept-compression.js';
import { KeptReports } from './deliver/kept/kept-reports.js';
import { OpenReports } from './deliver/kept/open-reports.js';
import { ReportDelivery } from './deliver/report-delivery.js';
import { ReportLimiter } from './deliver/report-limiter.js';
import { WorkbookLimiter } from './deliver/workbook-limiter.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './read/reports.repository.js';
import { ReportsService } from './reports.service.js';
import { RisksActorsRepository } from './read/risks-actors.repository.js';
// The totals' read model, shared with the indicators routes (it holds nothing but its SQL).
import { IndicatorTotalsRepository } from '../indicators/indicator-totals.repository.js';

@Module({
  controllers: [ReportsController],
  providers: [
    ReportsService,
    ReportsRepository,
    RisksActorsRepository,
    IndicatorTotalsRepository,
    ReportLimiter,
    WorkbookLimiter,
    KeptReports,
    KeptCompression,
    OpenReports,
    ReportDelivery,
  ],
  exports: [ReportsService, ReportsRepository, ReportLimiter, ReportDelivery, KeptReports],
})
export class ReportsModule {}
