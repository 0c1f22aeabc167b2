import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiConditionalRead, ApiNotFound } from '../common/api-responses.js';
import { conditionalGet, digestETag } from '../common/etag.js';
import { UuidParam } from '../common/validation.js';
import { AsOfQueryDto } from '../revisions/as-of.js';
import { PlanResponse } from './plan.dto.js';
import { PlanService } from './plan.service.js';

@ApiTags('plan')
@Controller()
export class PlanController {
  constructor(private readonly plans: PlanService) {}

  @Get('clusters/:clusterId/plan')
  @Auth()
  @ApiOperation({
    summary: 'The whole plan of a cluster, now or as of an instant',
    description:
      'The cluster and every item of its plan that is not archived — goals, activities, low-hanging fruits, risks, actors — in one answer, ' +
      'instead of a paginated list per kind. Any key that may read the cluster. With `asOf`, the plan exactly as it was then.\n\n' +
      'Details: one ETag for the whole plan: poll with If-None-Match, 304 while nothing in it changed. With `asOf`, the items that existed ' +
      'and were not archived at that instant, each with the version it had.',
  })
  @ApiOkResponse({ type: PlanResponse })
  @ApiConditionalRead()
  @ApiBadRequest('clusterId is not a UUID, or asOf is not a past instant.')
  @ApiNotFound('cluster')
  async plan(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: AsOfQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PlanResponse | undefined> {
    const body = await this.plans.plan(caller, clusterId, query.asOf);
    return conditionalGet(request, reply, digestETag(JSON.stringify(body))) ? undefined : body;
  }
}
