import { Body, Controller, Delete, Get, HttpCode, Param, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExcludeEndpoint, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { Auth, CurrentCaller, Public } from '../../../auth/auth.decorators.js';
import { type Caller, ROLES } from '../../../auth/role.js';
import { ApiBadRequest, ApiNotFound } from '../../../common/api-responses.js';
import { UuidParam } from '../../../common/validation.js';
import { Environment, publicUrl } from '../../../config/environment.js';
import { SecretInResponse } from '../../../idempotency/idempotency.interceptor.js';
import type { StatusGridResponse } from '../../../follow-up/dto/status-grid.dto.js';
import { FollowUpService } from '../../../follow-up/follow-up.service.js';
import { respond } from '../../../follow-up/status-grid-response.js';
import { ReportSubmissionsService } from '../../../report-submissions/report-submissions.service.js';
import { sendStoredReport } from '../../../report-submissions/stored-report-response.js';
import { ReportDelivery } from '../report-delivery.js';
import { CreateReportLinkDto, ReportLinkInfo, ReportLinkResponse } from './report-link.dto.js';
import { REPORT_LINK_DAYS, ReportLinksService } from './report-links.service.js';
import { IdempotentPost } from '../../../idempotency/idempotent-post.js';

const SHARED_PATH = 'reports/shared';

@ApiTags('reports')
@Controller()
export class ReportLinksController {
  private readonly publicUrl: string;

  constructor(
    private readonly links: ReportLinksService,
    private readonly delivery: ReportDelivery,
    private readonly submissions: ReportSubmissionsService,
    private readonly followUp: FollowUpService,
    env: Environment,
  ) {
    this.publicUrl = publicUrl(env);
  }

  @IdempotentPost('reports/links')
  // Every role: whoever may read the report (checked by the service) may link to it.
  @Auth({ roles: ROLES })
  // The url holds the token: never kept by an Idempotency-Key record.
  @SecretInResponse({
    fields: ['url'],
    did: (id) => (id ? `created report link ${id}` : 'created a report link'),
    lost: 'If the url was lost, delete that link (DELETE /reports/links/{id}) and make another.',
  })
  @ApiOperation({
    summary: 'Make a link to a report, to hand it to a colleague',
    description:
      'A link that opens one report, submitted report or status grid, in one format, without a key, for ' +
      `${REPORT_LINK_DAYS} days: paste it in a browser or a spreadsheet, or send it by mail. Any key that may read what it points at can make one.\n\n` +
      'Details: `path` is what you would GET, with `/api/v1`: `/funders/{funderId}/report?period=2026-Q3&format=csv`, a cluster report, ' +
      '`/report-submissions/{submissionId}/report?format=xlsx` (the submitted report) or `/clusters/{clusterId}/status-grid?period=2026&format=svg` ' +
      "(or a funder's grid), with only that route's own query parameters. `GET` on the answer's `url` answers as `GET` on `path` would, " +
      'as your key at each use (a revoked key stops its links); an unknown, expired or revoked link is a 404. The url is shown once (only a hash of its token ' +
      'is kept); revoke the link with `DELETE /reports/links/{id}`. Making, opening and revoking links is logged.',
  })
  @ApiCreatedResponse({ type: ReportLinkResponse })
  @ApiBadRequest('path is not a report, submitted report or status grid, has an unknown or repeated query parameter, or a bad value in it.')
  @ApiNotFound('cluster, funder or submission of the path')
  async create(@CurrentCaller() caller: Caller, @Body() dto: CreateReportLinkDto): Promise<ReportLinkResponse> {
    const { link, token } = await this.links.create(caller, dto.path);
    return {
      id: link.id,
      // PUBLIC_URL, never the request's Host or X-Forwarded-Host: a forged header must not aim the link elsewhere.
      url: `${this.publicUrl}/api/v1/${SHARED_PATH}/${token}`,
      expiresAt: link.expiresAt.toISOString(),
    };
  }

  @Get('reports/links/:id')
  @Auth()
  @ApiOperation({
    summary: 'Get a report link',
    description:
      'The key that made the link, or an admin key: what it opens, until when, and whether it was revoked. The url is not shown again.',
  })
  @ApiOkResponse({ type: ReportLinkInfo })
  @ApiNotFound('report link')
  async get(
    @CurrentCaller() caller: Caller,
    @UuidParam('id', 'POST /api/v1/reports/links (the link it made)') id: string,
  ): Promise<ReportLinkInfo> {
    const link = await this.links.get(caller, id);
    return {
      id: link.id,
      path: link.path,
      createdAt: link.createdAt.toISOString(),
      expiresAt: link.expiresAt.toISOString(),
      revokedAt: link.revokedAt?.toISOString() ?? null,
    };
  }

  @Delete('reports/links/:id')
  // Every role: the link's maker (checked by the service) or an admin.
  @Auth({ roles: ROLES })
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a report link', description: 'The key that made the link, or an admin key. Revoking again is fine.' })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked).' })
  @ApiNotFound('report link')
  async revoke(
    @CurrentCaller() caller: Caller,
    @UuidParam('id', 'POST /api/v1/reports/links (the link it made)') id: string,
  ): Promise<void> {
    await this.links.revoke(caller, id);
  }

  /**
   * Not in the OpenAPI document: its URL is opaque, handed out by `POST /reports/links` (whose description says
   * what it answers), and a browser or a spreadsheet opens it as it is.
   */
  @Get(`${SHARED_PATH}/:token`)
  @Public()
  @ApiExcludeEndpoint()
  async open(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable | Buffer | string | StatusGridResponse> {
    const { target, caller } = await this.links.open(token);
    void reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');
    // The link's query says the format and language: the request's Accept and Accept-Language are not asked.
    delete request.headers.accept;
    delete request.headers['accept-language'];
    switch (target.kind) {
      case 'report': {
        const headers = { 'accept-encoding': request.headers['accept-encoding'], 'if-none-match': request.headers['if-none-match'] };
        return this.delivery.deliver(caller, { subject: target.subject, id: target.id }, target.query, headers, reply);
      }
      case 'submission': {
        const stored = await this.submissions.report(caller, target.id);
        const body = await sendStoredReport(stored, target.query, request, reply);
        // The shared link is never cached, whatever the stored report's own answer says.
        void reply.header('cache-control', 'private, no-store, no-transform');
        return body;
      }
      case 'statusGrid': {
        const grid =
          target.subject === 'cluster'
            ? await this.followUp.clusterGrid(caller, target.id, target.query)
            : await this.followUp.funderGrid(caller, target.id, target.query);
        return respond(grid, target.query, request, reply);
      }
      default: {
        const never: never = target;
        return never;
      }
    }
  }
}
