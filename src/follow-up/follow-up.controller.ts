import { ReadFromReplica } from '../revisions/replica-read.js';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiNotFound } from '../common/api-responses.js';
import { PageOf } from '../common/page.dto.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import { NeedsUpdateItem, NeedsUpdateQueryDto } from './dto/needs-update.dto.js';
import { GridCell, StatusGridQueryDto, StatusGridResponse } from './dto/status-grid.dto.js';
import { FollowUpService } from './follow-up.service.js';
import { respond } from './status-grid-response.js';
import { WithETag } from '../common/etag.js';

const NeedsUpdatePage = PageOf(NeedsUpdateItem, 'NeedsUpdatePage');

const GRID_HELP =
  'One row per goal, activity, fruit and risk, one coloured cell per month or quarter: how the lights went over a period. ' +
  'JSON, CSV or an SVG heat map that prints (`format=svg`).\n\n' +
  'Details: give `period` (`2026`, `2026-H2`, `2026-Q3`) or `from` and `to` (calendar days in REPORT_TIME_ZONE, `to` inclusive, or exact ISO timestamps), ' +
  'as for reports; `interval` is `month` (default) or `quarter` of REPORT_TIME_ZONE, the first and last cut to the period. ' +
  'Each cell is the status and state in force at the end of its interval, as the history had them (so the same grid pulled again is the same), ' +
  'with the number of history entries in the interval (the creation not counted); null where the item did not exist yet, or had been archived before the interval. ' +
  'Titles and names are current. JSON by default; `format=csv` (or `Accept: text/csv`): one row per item, one column per interval, ' +
  "text cells that begin with `=`, `+`, `-`, `@`, a tab or a carriage return prefixed with `'`, `delimiter=semicolon` for Excel with Swedish settings; " +
  '`format=svg` (or `Accept: image/svg+xml`): a heat map that prints on A4 — rows grouped by cluster and kind (goals, activities, fruits, risks), a coloured cell with the letter G, Y or R per interval, ' +
  'a `<title>` on each cell, a legend. Dates lie between 1900-01-01 and 2999-12-31; a period covers at most REPORT_MAX_DAYS calendar days.';

const BAD_GRID =
  'A malformed or missing period, from after to, period together with from / to, a date outside 1900-01-01 .. 2999-12-31, a period longer than REPORT_MAX_DAYS, or an unknown interval or format.';

const GRID_CONTENT = {
  description: 'The grid, as JSON, CSV or SVG.',
  content: {
    'application/json': { schema: { $ref: getSchemaPath(StatusGridResponse) } },
    'text/csv': { schema: { type: 'string' }, example: '\uFEFFcluster,kind,id,title,2026-01,2026-02\r\n' },
    'image/svg+xml': { schema: { type: 'string' } },
  },
};

@ApiTags('follow-up')
@ApiExtraModels(StatusGridResponse, GridCell)
@Controller()
export class FollowUpController {
  constructor(private readonly followUp: FollowUpService) {}

  @Get('needs-update')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'Items that need a status update',
    description:
      'Goals, activities, low-hanging fruits and risks (not archived, in clusters that are not archived and that the key may read) with at least one reason: ' +
      "`stale` — no history entry (status update, change of state, or creation) for more than the cluster's `updateCadenceDays` calendar days; " +
      '`red_unchanged` — red, and its newest entry at least 14 days old; `overdue` — due before today and still planned or ongoing. ' +
      'Most urgent first: red lights nobody acts on, then overdue items, then stale ones; ' +
      'then items with more reasons, then the longest without an update.\n\nDetails: days are counted in REPORT_TIME_ZONE.',
  })
  @ApiOkResponse({ type: NeedsUpdatePage })
  @ApiBadRequest()
  needsUpdate(@CurrentCaller() caller: Caller, @Query() query: NeedsUpdateQueryDto): Promise<Page<NeedsUpdateItem>> {
    return this.followUp.needsUpdate(caller, query);
  }

  @Get('clusters/:clusterId/status-grid')
  @ReadFromReplica('to')
  @Auth()
  @ApiOperation({ summary: "A cluster's traffic lights over time", description: `Any key that may read the cluster. ${GRID_HELP}` })
  @ApiProduces('application/json', 'text/csv', 'image/svg+xml')
  @ApiOkResponse(GRID_CONTENT)
  @ApiBadRequest(BAD_GRID)
  @ApiNotFound('cluster')
  async clusterGrid(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: StatusGridQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StatusGridResponse | string> {
    return respond(await this.followUp.clusterGrid(caller, clusterId, query), query, request, reply);
  }

  @Get('funders/:funderId/status-grid')
  @ReadFromReplica('to')
  @Auth()
  @ApiOperation({
    summary: "The traffic lights of a funder's portfolio over time",
    description: `Any key that may read the funder; the clusters are those with a funding from it overlapping the period that the key may read. ${GRID_HELP}`,
  })
  @ApiProduces('application/json', 'text/csv', 'image/svg+xml')
  @ApiOkResponse(GRID_CONTENT)
  @ApiBadRequest(BAD_GRID)
  @ApiNotFound('funder')
  async funderGrid(
    @CurrentCaller() caller: Caller,
    @UuidParam('funderId') funderId: string,
    @Query() query: StatusGridQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StatusGridResponse | string> {
    return respond(await this.followUp.funderGrid(caller, funderId, query), query, request, reply);
  }
}
