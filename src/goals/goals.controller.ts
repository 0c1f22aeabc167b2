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
import { CreateGoalStatusUpdateDto, StatusUpdateResponse } from '../plan-items/dto/status-update.dto.js';
import { toStatusUpdateResponse } from '../plan-items/history/history.service.js';
import { CreateGoalDto, GoalResponse, ListGoalsQueryDto, UpdateGoalDto } from './dto/goal.dto.js';
import { GoalsService } from './goals.service.js';

const GoalPage = PageOf(GoalResponse, 'GoalPage');
export const StatusUpdatePage = PageOf(StatusUpdateResponse, 'StatusUpdatePage');

const WRITERS = 'Admin keys, and editor keys of the goal’s cluster.';

@ApiTags('plan')
@Controller()
export class GoalsController {
  constructor(private readonly goals: GoalsService) {}

  @Get('clusters/:clusterId/goals')
  @Auth()
  @ApiOperation({ summary: 'List the goals of a cluster', description: 'Any key that may read the cluster.' })
  @ApiOkResponse({ type: GoalPage })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  list(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: ListGoalsQueryDto,
  ): Promise<Page<GoalResponse>> {
    return this.goals.list(caller, clusterId, query);
  }

  @Post('clusters/:clusterId/goals')
  @Auth()
  @ApiOperation({
    summary: 'Add a goal',
    description: `${WRITERS} Records the first status (default green) in the history; yellow or red need a statusComment.`,
  })
  @ApiCreatedResponse({ type: GoalResponse })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  @ApiConflict('The cluster is archived.')
  @ApiUnprocessable('contributesToGoalId breaks the effect logic, or a yellow / red status has no statusComment.')
  create(@CurrentCaller() caller: Caller, @UuidParam('clusterId') clusterId: string, @Body() dto: CreateGoalDto): Promise<GoalResponse> {
    return this.goals.create(caller, clusterId, dto);
  }

  @Get('goals/:goalId')
  @Auth()
  @ApiOperation({ summary: 'Get a goal', description: 'Any key that may read its cluster; archived goals stay readable.' })
  @ApiOkResponse({ type: GoalResponse })
  @ApiConditionalRead()
  @ApiBadRequest('goalId is not a UUID.')
  @ApiNotFound('goal')
  get(@CurrentCaller() caller: Caller, @UuidParam('goalId') id: string): Promise<GoalResponse> {
    return this.goals.get(caller, id);
  }

  @Patch('goals/:goalId')
  @Auth()
  @ApiOperation({
    summary: 'Change a goal',
    description: `${WRITERS} Only the fields sent change. The status changes only through status updates (a PATCH with status is a 400).`,
  })
  @ApiOkResponse({ type: GoalResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('goal')
  @ApiConflict('The goal or its cluster is archived.')
  @ApiUnprocessable('contributesToGoalId or horizon breaks the effect logic.')
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('goalId') id: string,
    @Body() dto: UpdateGoalDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<GoalResponse> {
    return this.goals.update(caller, id, dto, ifMatch);
  }

  @Delete('goals/:goalId')
  @HttpCode(204)
  @Auth()
  @ApiOperation({ summary: 'Archive a goal', description: `${WRITERS} Nothing is deleted; the goal and its history stay readable.` })
  @ApiNoContentResponse({ description: 'Archived (or already archived).' })
  @ApiConflict('The cluster is archived; everything in it is read-only.')
  @ApiConditionalWrite()
  @ApiNotFound('goal')
  async archive(@CurrentCaller() caller: Caller, @UuidParam('goalId') id: string, @IfMatch() ifMatch: number[] | undefined): Promise<void> {
    await this.goals.archive(caller, id, ifMatch);
  }

  @Get('goals/:goalId/status-updates')
  @Auth()
  @ApiTags('status')
  @ApiOperation({ summary: 'The status history of a goal', description: 'Newest first. Any key that may read the goal.' })
  @ApiOkResponse({ type: StatusUpdatePage })
  @ApiBadRequest()
  @ApiNotFound('goal')
  async statusUpdates(
    @CurrentCaller() caller: Caller,
    @UuidParam('goalId') id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<StatusUpdateResponse>> {
    const page = await this.goals.statusUpdates(caller, id, query.limit, query.offset);
    return { ...page, items: page.items.map(toStatusUpdateResponse) };
  }

  @Post('goals/:goalId/status-updates')
  @Auth()
  @ApiTags('status')
  @ApiOperation({
    summary: 'Update the status of a goal',
    description: `${WRITERS} Sets the traffic light and appends it to the history, with its comment and the key's name as author. Answers with the updated goal.`,
  })
  @ApiCreatedResponse({ type: GoalResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('goal')
  @ApiConflict('The goal or its cluster is archived.')
  @ApiUnprocessable('A yellow or red status without a comment.')
  changeStatus(
    @CurrentCaller() caller: Caller,
    @UuidParam('goalId') id: string,
    @Body() dto: CreateGoalStatusUpdateDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<GoalResponse> {
    return this.goals.changeStatus(caller, id, dto, ifMatch);
  }
}
