import { Body, Controller, Get, HttpCode, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import {
  ApiBadRequest,
  ApiConditionalRead,
  ApiConditionalWrite,
  ApiConflict,
  ApiNotFound,
  ApiUnprocessable,
} from '../common/api-responses.js';
import { IfMatch, WithETag } from '../common/etag.js';
import { PageOf } from '../common/page.dto.js';
import { type Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import { XLSX_MEDIA_TYPE } from '../reports/render/report-xlsx.js';
import {
  AcknowledgeSubmissionDto,
  CreateReportSubmissionDto,
  LateEntryResponse,
  ListClusterSubmissionsQueryDto,
  ListFunderSubmissionsQueryDto,
  ReportSubmissionListItem,
  ReportSubmissionResponse,
  ReturnSubmissionDto,
  SubmissionDueResponse,
  SubmissionsDueQueryDto,
  SubmittedReportQueryDto,
} from './dto/report-submission.dto.js';
import { LateEntriesService } from './late-entries.service.js';
import { ReportSubmissionsService } from './report-submissions.service.js';
import { SubmissionsDueService } from './submissions-due.service.js';
import { sendStoredReport } from './stored-report-response.js';
import { IdempotentRun } from '../idempotency/idempotency.interceptor.js';
import { ReportLimiter } from '../reports/deliver/report-limiter.js';
import { IdempotentPost } from '../idempotency/idempotent-post.js';

const SubmissionPage = PageOf(ReportSubmissionListItem, 'ReportSubmissionPage');
const LateEntryPage = PageOf(LateEntryResponse, 'LateEntryPage');
const SubmissionDuePage = PageOf(SubmissionDueResponse, 'SubmissionDuePage');

const DECIDERS = 'A funder key of the funder the report was submitted to, or an admin key; only a `submitted` report (409 otherwise).';
const DECIDE_CONFLICT = 'The submission is not `submitted`: it was acknowledged or returned already (of two decisions at once, one wins).';

@ApiTags('report-submissions')
@Controller()
export class ReportSubmissionsController {
  constructor(
    private readonly submissions: ReportSubmissionsService,
    private readonly late: LateEntriesService,
    private readonly due: SubmissionsDueService,
  ) {}

  @IdempotentPost('clusters/:clusterId/report-submissions')
  @WithETag()
  @Auth({ write: true, resource: ['clusterId', 'cluster'] })
  @IdempotentRun({ isolation: 'REPEATABLE READ', admission: ReportLimiter })
  @ApiOperation({
    summary: "Submit the cluster's report for a period to a funder",
    description:
      "Hands the cluster's report for an ended period to a funder, who then acknowledges it or returns it for completion. " +
      "The period follows the funder's rhythm (`reportingPeriod`): a half-yearly funder takes `2026-H1`, never `2026-Q3` (422).\n\n" +
      "Details: an editor key of the cluster, or an admin key. The report is rendered as the funder's own key would pull it " +
      "(the cluster's fundings from that funder only), as known at the submission (`knownAt` is `submittedAt`: measurements with `measuredOn` " +
      'in the period recorded by then and the period narrative as it stands then), and kept byte for byte with its SHA-256: ' +
      '`GET /report-submissions/{id}/report` serves exactly those bytes. Give `period` (`2026-Q3`) or `from` and `to`, as for reports; ' +
      'days agreed with the funder (`from`, `to`: a funding that ends mid-period) are taken whatever the rhythm. ' +
      'The period must have ended, and the funder must fund the cluster in it (as the fundings stood at its end): 422 otherwise. ' +
      'Only one submission per cluster, funder and period may be `submitted` or `acknowledged` (409, also when two are made at once); ' +
      'after a `returned` one, a new submission supersedes it and names it in `previousSubmissionId`.',
  })
  // What "Try it out" offers: a period, or from and to — each alone, since both together are a 400.
  @ApiBody({
    type: CreateReportSubmissionDto,
    examples: {
      period: {
        summary: 'Last quarter, by its name',
        value: { funderId: '0b8c6a8e-2f7d-4c7e-9d57-3a1f0c2b9e41', period: '2026-Q3', comment: 'Our report for the third quarter' },
      },
      fromTo: {
        summary: 'Days agreed with the funder, by the first and last day',
        value: { funderId: '0b8c6a8e-2f7d-4c7e-9d57-3a1f0c2b9e41', from: '2026-01-01', to: '2026-06-30' },
      },
    },
  })
  @ApiCreatedResponse({ type: ReportSubmissionResponse })
  @ApiBadRequest('Malformed input: funderId not a UUID, a malformed period, period together with from / to, an unknown field.')
  @ApiNotFound('cluster')
  @ApiConflict('A submitted or acknowledged report for this cluster, funder and period exists already, or the cluster is archived.')
  @ApiUnprocessable("The period has not ended, is not of the funder's rhythm, or the funder does not fund the cluster in it.")
  submit(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Body() dto: CreateReportSubmissionDto,
  ): Promise<ReportSubmissionResponse> {
    return this.submissions.submit(caller, clusterId, dto);
  }

  @Get('clusters/:clusterId/report-submissions')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: "A cluster's submitted reports, newest first",
    description: 'Any key that may read the cluster; a funder key sees the submissions to its own funder only.',
  })
  @ApiOkResponse({ type: SubmissionPage })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  listForCluster(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: ListClusterSubmissionsQueryDto,
  ): Promise<Page<ReportSubmissionListItem>> {
    return this.submissions.listForCluster(caller, clusterId, query);
  }

  @Get('funders/:funderId/report-submissions')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'The reports submitted to a funder, newest first',
    description:
      "Any key that may read the funder; an editor key sees its clusters' submissions only. `?state=submitted` is the funder's inbox.",
  })
  @ApiOkResponse({ type: SubmissionPage })
  @ApiBadRequest()
  @ApiNotFound('funder')
  listForFunder(
    @CurrentCaller() caller: Caller,
    @UuidParam('funderId') funderId: string,
    @Query() query: ListFunderSubmissionsQueryDto,
  ): Promise<Page<ReportSubmissionListItem>> {
    return this.submissions.listForFunder(caller, funderId, query);
  }

  @Get('report-submissions/:submissionId')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'Get a report submission',
    description: "A funder key reads the submissions to its own funder; an editor key its clusters'; admin and viewer keys all.",
  })
  @ApiOkResponse({ type: ReportSubmissionResponse })
  @ApiConditionalRead()
  @ApiBadRequest('submissionId is not a UUID.')
  @ApiNotFound('report submission')
  get(@CurrentCaller() caller: Caller, @UuidParam('submissionId') id: string): Promise<ReportSubmissionResponse> {
    return this.submissions.get(caller, id);
  }

  @Get('report-submissions/:submissionId/report')
  @Auth()
  @ApiOperation({
    summary: 'The submitted report, exactly as submitted',
    description:
      'The report as the cluster handed it to the funder, never changed by what is written later; `format=csv` or `format=xlsx` for a ' +
      'spreadsheet. Any key that may read the submission.\n\n' +
      'Details: JSON: the exact bytes stored at submission, with `ETag: "<sha256>"` (the submission\'s ' +
      '`sha256`) and `Content-Digest: sha-256=:<base64>:` (RFC 9530); `If-None-Match` with that ETag answers 304. ' +
      '`?format=csv` and `?format=xlsx` (with `lang`, and `delimiter` for CSV, as for reports) are rendered from the stored JSON and the ' +
      'latest comments stored with it, never from the live plan, so they too are the same on every pull (ETag: the SHA-256 of their bytes).',
  })
  @ApiProduces('application/json', 'text/csv', XLSX_MEDIA_TYPE)
  @ApiOkResponse({
    description: 'The frozen report.',
    headers: {
      ETag: { description: 'The SHA-256 (hex) of the bytes, quoted.', schema: { type: 'string', maxLength: 66 } },
      'Content-Digest': { description: 'RFC 9530: `sha-256=:<base64 of the SHA-256>:`.', schema: { type: 'string', maxLength: 60 } },
    },
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/ReportResponse' } },
      'text/csv': { schema: { type: 'string' } },
      [XLSX_MEDIA_TYPE]: { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiConditionalRead()
  @ApiBadRequest()
  @ApiNotFound('report submission')
  async report(
    @CurrentCaller() caller: Caller,
    @UuidParam('submissionId') id: string,
    @Query() query: SubmittedReportQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    return sendStoredReport(await this.submissions.report(caller, id), query, request, reply);
  }

  @IdempotentPost('report-submissions/:submissionId/acknowledge')
  @WithETag()
  @HttpCode(200)
  @Auth({ roles: ['admin', 'funder'], resource: ['submissionId', 'report submission'] })
  @ApiOperation({ summary: 'Acknowledge a submitted report (a receipt)', description: DECIDERS })
  @ApiOkResponse({ type: ReportSubmissionResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('report submission')
  @ApiConflict(DECIDE_CONFLICT)
  acknowledge(
    @CurrentCaller() caller: Caller,
    @UuidParam('submissionId') id: string,
    @Body() dto: AcknowledgeSubmissionDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<ReportSubmissionResponse> {
    return this.submissions.decide(caller, id, 'acknowledged', dto.comment, ifMatch);
  }

  @IdempotentPost('report-submissions/:submissionId/return')
  @WithETag()
  @HttpCode(200)
  @Auth({ roles: ['admin', 'funder'], resource: ['submissionId', 'report submission'] })
  @ApiOperation({
    summary: 'Return a submitted report for completion',
    description: `${DECIDERS} The comment says what to complete; the cluster may then submit again, superseding this one.`,
  })
  @ApiOkResponse({ type: ReportSubmissionResponse })
  @ApiConditionalWrite()
  @ApiBadRequest('comment is missing or blank, or another malformed field.')
  @ApiNotFound('report submission')
  @ApiConflict(DECIDE_CONFLICT)
  returnForCompletion(
    @CurrentCaller() caller: Caller,
    @UuidParam('submissionId') id: string,
    @Body() dto: ReturnSubmissionDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<ReportSubmissionResponse> {
    return this.submissions.decide(caller, id, 'returned', dto.comment, ifMatch);
  }

  @Get('report-submissions/:submissionId/late-entries')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'Measurements that came too late for a submitted report',
    description:
      'Any key that may read the submission and, as of now, its cluster: a funder whose funding of the cluster was archived gets 404 here ' +
      '(the submission and its frozen report stay readable to it). ' +
      "The cluster's measurements recorded after the submission's `knownAt` (the submission itself; for " +
      'one made before Styrman knew `knownAt`, the end of its period) whose `measuredOn` falls in its period, ' +
      'oldest first: corrections the frozen report does not hold. Nothing is locked; this is how late ones are seen.',
  })
  @ApiOkResponse({ type: LateEntryPage })
  @ApiBadRequest()
  @ApiNotFound('report submission')
  lateEntries(
    @CurrentCaller() caller: Caller,
    @UuidParam('submissionId') id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<LateEntryResponse>> {
    return this.late.lateEntries(caller, id, query);
  }

  @Get('funders/:funderId/submissions-due')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'The reports a funder is due, period by period',
    description:
      "Any key that may read the funder (an editor key sees its clusters' only). For each funding of the funder (archived ones left out) and each " +
      "ended period of the funder's `reportingPeriod` that overlaps it by at least a day — a funding starting or ending within a period owes " +
      'that period too — the state of the newest submission for the period (`missing` when none). Newest period first.',
  })
  @ApiOkResponse({ type: SubmissionDuePage })
  @ApiBadRequest()
  @ApiNotFound('funder')
  dueForFunder(
    @CurrentCaller() caller: Caller,
    @UuidParam('funderId') funderId: string,
    @Query() query: SubmissionsDueQueryDto,
  ): Promise<Page<SubmissionDueResponse>> {
    return this.due.dueForFunder(caller, funderId, query);
  }

  @Get('clusters/:clusterId/submissions-due')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'The reports a cluster owes its funders, period by period',
    description:
      'Any key that may read the cluster (a funder key sees what is due to itself only). For each funding of the cluster and each ended period ' +
      "of its funder's `reportingPeriod` that overlaps it, as for a funder. Newest period first.",
  })
  @ApiOkResponse({ type: SubmissionDuePage })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  dueForCluster(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: SubmissionsDueQueryDto,
  ): Promise<Page<SubmissionDueResponse>> {
    return this.due.dueForCluster(caller, clusterId, query);
  }
}
