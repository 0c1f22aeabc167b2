import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiNotFound, ProblemResponse } from '../common/api-responses.js';
import { UuidParam } from '../common/validation.js';
import { ReportResponse } from './dto/report.dto.js';
import { ReportQueryDto } from './dto/report-query.dto.js';
import { ReportDelivery } from './deliver/report-delivery.js';
import { XLSX_MEDIA_TYPE } from './render/report-xlsx.js';

/** What a report is, said to the people who read it; how it is served, in a "Details" paragraph after it. */
const PERIOD_HELP =
  'Give a `period` (`2026`, `2026-H2`, `2026-Q3`), or `from` and `to`. Everything in it is as it stood in that period, so a report ' +
  'pulled again next year is the same. JSON by default; `format=csv` for a spreadsheet (`delimiter=semicolon` for Swedish Excel), ' +
  '`format=xlsx` for an Excel workbook that prints; `lang=sv` for Swedish. To hand it to someone without a key, make a link with `POST /reports/links`.\n\n' +
  'Details: `from` and `to` are calendar days in REPORT_TIME_ZONE (`to` inclusive) or exact ISO timestamps. Statuses and states are those at the ' +
  "period's start and end, with the changes and replans within it; titles, dates, indicators, the cluster, the funder and the fundings as they " +
  'were at its end (a funding archived later still counts). A report whose period has ended (`complete`) is byte for byte the same on every pull, ' +
  'served with `ETag: "<SHA-256 of the body>"` and `Cache-Control: private, max-age=REPORT_MAX_AGE_SECONDS` (300), `If-None-Match` answering 304, ' +
  'and kept after the first pull. `Accept: text/csv` and the XLSX media type in `Accept` choose those forms too, `Accept-Language: sv` Swedish; ' +
  '`Accept-Encoding: br` or `gzip` is honoured for JSON and CSV. CSV and XLSX columns: period, cluster, region, kind, id, title, horizon, ' +
  'statuses at start and end, status changes in the period (the creation of an item created in it not counted), created in period, state, due date, ' +
  "overdue, the indicator and the latest comment as of the period's end; the workbook adds fundings, milestones, actors, re-plans and status changes. " +
  "In CSV, text cells that begin with `=`, `+`, `-`, `@`, a tab or a carriage return are prefixed with `'` (numbers stay numbers), and cells " +
  'holding the delimiter, a quote, CR or LF are quoted; `delimiter=semicolon` writes decimals with a comma. Dates lie between 1900-01-01 and ' +
  '2999-12-31; a period covers at most REPORT_MAX_DAYS calendar days (3660 by default). Each instance builds at most REPORT_CONCURRENCY reports ' +
  'at once (2 by default); one that cannot start within REPORT_QUEUE_TIMEOUT_MS (10 s) is a 503 with Retry-After.';

const BAD_PERIOD =
  'A malformed or missing period, from after to, period together with from / to, a date outside 1900-01-01 .. 2999-12-31, or a period longer than REPORT_MAX_DAYS.';

const ApiBusy = () =>
  ApiServiceUnavailableResponse({
    ...ProblemResponse(
      'Too many reports are being built on this instance; none could start in time. Retry after the seconds in Retry-After.',
    ),
    headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 600 } } },
  });

const REPORT_CONTENT = {
  description:
    'The report, as JSON, as a CSV file (one row per goal, activity and fruit) or as an Excel workbook (a summary sheet and one sheet per kind).',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(ReportResponse) } },
    'text/csv': {
      schema: { type: 'string' },
      example:
        '\uFEFFPeriod,Cluster,Region,Kind,Id,Title,Horizon,Status at start,Status at end,Status changes,Created in period,State at end,Due date,Overdue at end,Indicator unit,Baseline,Target,Latest value,Progress %,Latest comment\r\n',
    },
    [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } },
  },
};

@ApiTags('reports')
@ApiExtraModels(ReportResponse)
@Controller()
export class ReportsController {
  constructor(private readonly delivery: ReportDelivery) {}

  @Get('clusters/:clusterId/report')
  @Auth()
  @ApiOperation({
    summary: 'Report on a cluster over a period',
    description: `What the cluster did in a period, for its steering group or a funder. Any key that may read the cluster. ${PERIOD_HELP}`,
  })
  @ApiProduces('application/json', 'text/csv', XLSX_MEDIA_TYPE)
  @ApiOkResponse(REPORT_CONTENT)
  @ApiBadRequest(BAD_PERIOD)
  @ApiNotFound('cluster')
  @ApiBusy()
  async clusterReport(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: ReportQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable | Buffer | string> {
    return this.delivery.deliver(caller, { subject: 'cluster', id: clusterId }, query, request.headers, reply);
  }

  @Get('funders/:funderId/report')
  @Auth()
  @ApiOperation({
    summary: 'Report on every cluster a funder funds over a period',
    description: `The clusters a funder funds in a period, in one report: the pack a programme officer reads. Any key that may read the funder; the clusters are those with a funding from it overlapping the period that the key may read. ${PERIOD_HELP}`,
  })
  @ApiProduces('application/json', 'text/csv', XLSX_MEDIA_TYPE)
  @ApiOkResponse(REPORT_CONTENT)
  @ApiBadRequest(BAD_PERIOD)
  @ApiNotFound('funder')
  @ApiBusy()
  async funderReport(
    @CurrentCaller() caller: Caller,
    @UuidParam('funderId') funderId: string,
    @Query() query: ReportQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable | Buffer | string> {
    return this.delivery.deliver(caller, { subject: 'funder', id: funderId }, query, request.headers, reply);
  }
}
