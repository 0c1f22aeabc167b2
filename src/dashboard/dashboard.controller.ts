import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentCaller, OptionalAuth, OptionalCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiConditionalRead, ApiNotFound, ProblemResponse } from '../common/api-responses.js';
import { conditionalGet, digestETag } from '../common/etag.js';
import { UuidParam } from '../common/validation.js';
import { DashboardService } from './dashboard.service.js';
import { DashboardQueryDto, DashboardResponse } from './dto/dashboard.dto.js';

// Tagged here: a controller without a tag of its own is tagged with its name ("Dashboard"), a second section in Swagger UI.
@ApiTags('dashboard')
@Controller()
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get('dashboard')
  @Auth()
  @ApiOperation({
    summary: 'Traffic lights of every cluster',
    description:
      'Every cluster that is not archived and that the key may read, with the current lights of its goals, activities and fruits, ' +
      'overdue counts, the worst light and the time of its last status update. One call, no paging.\n\n' +
      'Details: poll with If-None-Match: 304 while nothing changed.',
  })
  @ApiOkResponse({ type: DashboardResponse })
  @ApiConditionalRead()
  @ApiBadRequest()
  async get(
    @CurrentCaller() caller: Caller,
    @Query() query: DashboardQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DashboardResponse | undefined> {
    const body = await this.dashboard.dashboard(caller, query);
    return conditionalGet(request, reply, digestETag(JSON.stringify(body))) ? undefined : body;
  }

  @Get('clusters/:clusterId/badge.svg')
  @OptionalAuth()
  @ApiOperation({
    summary: 'A traffic-light badge of a cluster (SVG)',
    description:
      'The current lights of the cluster’s items as a small SVG. With a key that may read the cluster; without a key when the cluster has ' +
      '`publicBadge: true`, for `<img src=".../badge.svg">` on a region’s web page.',
  })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'The badge.', content: { 'image/svg+xml': { schema: { type: 'string' } } } })
  @ApiConditionalRead()
  @ApiUnauthorizedResponse(ProblemResponse('No key, and the badge is not public; or the key is unknown or revoked.'))
  @ApiNotFound('cluster')
  async badge(
    @OptionalCaller() caller: Caller | undefined,
    @UuidParam('clusterId') clusterId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    const { svg, isPublic } = await this.dashboard.badge(caller, clusterId);
    void reply
      .header('content-type', 'image/svg+xml; charset=utf-8')
      .header('cache-control', isPublic && !caller ? 'public, max-age=60' : 'private, max-age=60')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    return conditionalGet(request, reply, digestETag(svg)) ? undefined : svg;
  }
}
