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
import { CreateGoalDto, GoalResponse, ListGoalsQueryDto, UpdateGoalDto } from './dto/goal.dto.js';
import { GOAL } from './goal.kind.js';

const GoalPage = PageOf(GoalResponse, 'GoalPage');

const WRITERS = writers(GOAL);

@ApiTags('plan')
@Controller()
export class GoalsController {
  constructor(private readonly items: PlanItems) {}

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
    return this.items.list(GOAL, caller, clusterId, query);
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
    return this.items.create(GOAL, caller, clusterId, dto);
  }

  @Get('goals/:goalId')
  @Auth()
  @ApiOperation({ summary: 'Get a goal', description: 'Any key that may read its cluster; archived goals stay readable.' })
  @ApiOkResponse({ type: GoalResponse })
  @ApiConditionalRead()
  @ApiBadRequest('goalId is not a UUID.')
  @ApiNotFound('goal')
  get(@CurrentCaller() caller: Caller, @UuidParam('goalId') id: string): Promise<GoalResponse> {
    return this.items.get(GOAL, caller, id);
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
    return this.items.update(GOAL, caller, id, dto, ifMatch);
  }

  @Delete('goals/:goalId')
  @HttpCode(204)
  @Auth()
  @ApiOperation({ summary: 'Archive a goal', description: `${WRITERS} Nothing is deleted; the goal and its history stay readable.` })
  @ApiNoContentResponse({ description: 'Archived (or already archived).' })
  @ApiConflict('The cluster is archived; everything in it is read-only.')
  @ApiConditionalWrite()
  @ApiNotFound('goal')
  archive(@CurrentCaller() caller: Caller, @UuidParam('goalId') id: string, @IfMatch() ifMatch: number[] | undefined): Promise<void> {
    return this.items.archive(GOAL, caller, id, ifMatch);
  }
}
