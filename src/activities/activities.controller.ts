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
import { type Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import { StatusUpdatePage } from '../goals/goals.controller.js';
import { CreateItemStatusUpdateDto, type StatusUpdateResponse } from '../plan-items/dto/status-update.dto.js';
import { toStatusUpdateResponse } from '../plan-items/history/history.service.js';
import { ActivitiesService } from './activities.service.js';
import { toActivityResponse } from './activities.mapper.js';
import { ActivityResponse, CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dto/activity.dto.js';

const ActivityPage = PageOf(ActivityResponse, 'ActivityPage');

const WRITERS = 'Admin keys, and editor keys of the activity’s cluster.';

@ApiTags('plan')
@Controller()
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Get('clusters/:clusterId/activities')
  @Auth()
  @ApiOperation({ summary: 'List the activities of a cluster', description: 'Any key that may read the cluster.' })
  @ApiOkResponse({ type: ActivityPage })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  async list(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: ListActivitiesQueryDto,
  ): Promise<Page<ActivityResponse>> {
    const page = await this.activities.list(caller, clusterId, query);
    const today = this.activities.today();
    return { ...page, items: page.items.map((a) => toActivityResponse(a, today)) };
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
  async create(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Body() dto: CreateActivityDto,
  ): Promise<ActivityResponse> {
    return toActivityResponse(await this.activities.create(caller, clusterId, dto), this.activities.today());
  }

  @Get('activities/:activityId')
  @Auth()
  @ApiOperation({ summary: 'Get an activity', description: 'Any key that may read its cluster; archived activities stay readable.' })
  @ApiOkResponse({ type: ActivityResponse })
  @ApiConditionalRead()
  @ApiBadRequest('activityId is not a UUID.')
  @ApiNotFound('activity')
  async get(@CurrentCaller() caller: Caller, @UuidParam('activityId') id: string): Promise<ActivityResponse> {
    return toActivityResponse(await this.activities.get(caller, id), this.activities.today());
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
  async update(
    @CurrentCaller() caller: Caller,
    @UuidParam('activityId') id: string,
    @Body() dto: UpdateActivityDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<ActivityResponse> {
    return toActivityResponse(await this.activities.update(caller, id, dto, ifMatch), this.activities.today());
  }

  @Delete('activities/:activityId')
  @HttpCode(204)
  @Auth()
  @ApiOperation({ summary: 'Archive an activity', description: `${WRITERS} Nothing is deleted; it and its history stay readable.` })
  @ApiNoContentResponse({ description: 'Archived (or already archived).' })
  @ApiConflict('The cluster is archived; everything in it is read-only.')
  @ApiConditionalWrite()
  @ApiNotFound('activity')
  async archive(
    @CurrentCaller() caller: Caller,
    @UuidParam('activityId') id: string,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<void> {
    await this.activities.archive(caller, id, ifMatch);
  }

  @Get('activities/:activityId/status-updates')
  @Auth()
  @ApiTags('status')
  @ApiOperation({ summary: 'The status history of an activity', description: 'Newest first. Any key that may read the activity.' })
  @ApiOkResponse({ type: StatusUpdatePage })
  @ApiBadRequest()
  @ApiNotFound('activity')
  async statusUpdates(
    @CurrentCaller() caller: Caller,
    @UuidParam('activityId') id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<StatusUpdateResponse>> {
    const page = await this.activities.statusUpdates(caller, id, query.limit, query.offset);
    return { ...page, items: page.items.map(toStatusUpdateResponse) };
  }

  @Post('activities/:activityId/status-updates')
  @Auth()
  @ApiTags('status')
  @ApiOperation({
    summary: 'Update the status of an activity',
    description: `${WRITERS} Sets the traffic light (and the state, if given) and appends it to the history with its comment and the key's name as author. Answers with the updated activity.`,
  })
  @ApiCreatedResponse({ type: ActivityResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('activity')
  @ApiConflict('The activity or its cluster is archived.')
  @ApiUnprocessable('A yellow or red status without a comment.')
  async changeStatus(
    @CurrentCaller() caller: Caller,
    @UuidParam('activityId') id: string,
    @Body() dto: CreateItemStatusUpdateDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<ActivityResponse> {
    return toActivityResponse(await this.activities.changeStatus(caller, id, dto, ifMatch), this.activities.today());
  }
}
