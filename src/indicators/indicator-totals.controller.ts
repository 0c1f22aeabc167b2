import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiConditionalRead, ApiNotFound } from '../common/api-responses.js';
import { conditionalGet } from '../common/etag.js';
import { UuidParam } from '../common/validation.js';
import { IndicatorTotalsQueryDto, IndicatorTotalsResponse, RegionIndicatorTotalsQueryDto } from './dto/indicator-totals.dto.js';
import { IndicatorTotalsService, type TotalsBody } from './indicator-totals.service.js';

const HOW =
  'Give `period` (`2026`, `2026-H1`, `2026-Q3`) or `from` and `to`, as for reports. Per definition: each cluster’s value — for a `sum` ' +
  'definition its latest value measured on or before `to`, for an `organisations` definition the distinct organisations it measured in ' +
  'the period — counting only measurements recorded by `to`, on goals not archived before the period began, made while the goal had ' +
  'adopted that definition. `total` adds the clusters up: a sum, or each organisation number once across the clusters, and `overlap` ' +
  'says how many the clusters’ own counts counted more than once; `byEnterpriseSize` counts each organisation by its latest size. ' +
  'Names are as they were at `to`. Once the period has ended (`complete`) the totals are the same on every pull, byte for byte.' +
  '\n\nDetails: `ETag: "<SHA-256 hex of the body>"`, and `If-None-Match` gives 304.';
const BAD_PERIOD = 'A malformed or missing period, from after to, period together with from / to, or a period longer than REPORT_MAX_DAYS.';

/** The exact bytes with their SHA-256 as ETag, as reports have it. */
function send(request: FastifyRequest, reply: FastifyReply, { body, etag }: TotalsBody): Buffer | undefined {
  void reply.header('content-type', 'application/json; charset=utf-8');
  return conditionalGet(request, reply, `"${etag}"`) ? undefined : body;
}

@ApiTags('indicators')
@Controller()
export class IndicatorTotalsController {
  constructor(private readonly totals: IndicatorTotalsService) {}

  @Get('funders/:funderId/indicator-totals')
  @Auth()
  @ApiOperation({
    summary: 'A funder’s programme indicators added up over a period',
    description:
      'Any key that may read the funder. The clusters are those of its report: with a funding from it overlapping the period (as of `to`) ' +
      'that the key may read now; the definitions the common ones and the funder’s own. ' +
      HOW,
  })
  @ApiOkResponse({ type: IndicatorTotalsResponse })
  @ApiConditionalRead()
  @ApiBadRequest(BAD_PERIOD)
  @ApiNotFound('funder')
  async funder(
    @CurrentCaller() caller: Caller,
    @UuidParam('funderId') funderId: string,
    @Query() query: IndicatorTotalsQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | undefined> {
    return send(request, reply, await this.totals.funderTotals(caller, funderId, query));
  }

  @Get('indicator-totals')
  @Auth('admin', 'viewer')
  @ApiOperation({
    summary: 'Programme indicators added up over every cluster, or a region’s',
    description:
      'Admin and viewer keys. Every cluster that existed at `to` and was not archived before the period began, or those of `region` ' +
      '(as it was at `to`); every definition, whoever owns it. ' +
      HOW,
  })
  @ApiOkResponse({ type: IndicatorTotalsResponse })
  @ApiConditionalRead()
  @ApiBadRequest(BAD_PERIOD)
  async region(
    @Query() query: RegionIndicatorTotalsQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | undefined> {
    return send(request, reply, await this.totals.regionTotals(query));
  }
}
