import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { IfMatch } from '../common/etag.js';
import { PageOf } from '../common/page.dto.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import { PlanItems } from '../plan-items/plan-items.service.js';
import { writers } from '../plan-items/status-updates.controller.js';
import { ACTIVITY } from './activity.kind.js';
import { ActivityResponse, CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dto/activity.dto.js';

const ActivityPage = PageOf(ActivityResponse, 'ActivityPage');

const WRITERS = writers(ACTIVITY);

@ApiTags('plan')
@Controller()
export class ActivitiesController {
  constructor(private readonly items: PlanItems) {}

  @Get('clusters/:clusterId/activities')
  @Auth()
  @ApiOperation({ summary: 'List the activities of a cluster', description: 'Any key that may read the cluster.' })
  @ApiOkResponse({ type: ActivityPage })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  list(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: ListActivitiesQueryDto,
  ): Promise<Page<ActivityResponse>> {
    return this.items.list(ACTIVITY, caller, clusterId, query);
  }

  @Post('clusters/:clusterId/activities')
  @Auth()
  @ApiOperation({
    summary: 'Add an activity',
    description: `Admin keys, and editor keys of the cluster. Records the first status (default green) and state (default planned) in the history.`,
  })
  @ApiCreatedResponse({ type: ActivityResponse })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  @ApiConflict('The cluster is archived.')
  @ApiUnprocessable('startDate after dueDate, a goalId of another cluster, or a yellow / red status without statusComment.')
  create(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Body() dto: CreateActivityDto,
  ): Promise<ActivityResponse> {
    return this.items.create(ACTIVITY, caller, clusterId, dto);
  }

  @Get('activities/:activityId')
  @Auth()
  @ApiOperation({ summary: 'Get an activity', description: 'Any key that may read its cluster; archived activities stay readable.' })
  @ApiOkResponse({ type: ActivityResponse })
  @ApiConditionalRead()
  @ApiBadRequest('activityId is not a UUID.')
  @ApiNotFound('activity')
  get(@CurrentCaller() caller: Caller, @UuidParam('activityId') id: string): Promise<ActivityResponse> {
    return this.items.get(ACTIVITY, caller, id);
  }

  @Patch('activities/:activityId')
  @Auth()
  @ApiOperation({
    summary: 'Change an activity',
    description: `${WRITERS} Only the fields sent change; a new state is recorded in the history. The status changes only through status updates.`,
  })
  @ApiOkResponse({ type: ActivityResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('activity')
  @ApiConflict('The activity or its cluster is archived.')
  @ApiUnprocessable('startDate after dueDate, or a goalId of another cluster.')
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('activityId') id: string,
    @Body() dto: UpdateActivityDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<ActivityResponse> {
    return this.items.update(ACTIVITY, caller, id, dto, ifMatch);
  }

  @Delete('activities/:activityId')
  @HttpCode(204)
  @Auth()
  @ApiOperation({ summary: 'Archive an activity', description: `${WRITERS} Nothing is deleted; it and its history stay readable.` })
  @ApiNoContentResponse({ description: 'Archived (or already archived).' })
  @ApiConflict('The cluster is archived; everything in it is read-only.')
  @ApiConditionalWrite()
  @ApiNotFound('activity')
  archive(@CurrentCaller() caller: Caller, @UuidParam('activityId') id: string, @IfMatch() ifMatch: number[] | undefined): Promise<void> {
    return this.items.archive(ACTIVITY, caller, id, ifMatch);
  }
}
