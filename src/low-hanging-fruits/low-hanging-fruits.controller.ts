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
import { LowHangingFruitsService } from './low-hanging-fruits.service.js';
import { toLowHangingFruitResponse } from './low-hanging-fruits.mapper.js';
import {
  LowHangingFruitResponse,
  CreateLowHangingFruitDto,
  ListLowHangingFruitsQueryDto,
  UpdateLowHangingFruitDto,
} from './dto/low-hanging-fruit.dto.js';

const LowHangingFruitPage = PageOf(LowHangingFruitResponse, 'LowHangingFruitPage');

const WRITERS = 'Admin keys, and editor keys of the fruit’s cluster.';

@ApiTags('plan')
@Controller()
export class LowHangingFruitsController {
  constructor(private readonly fruits: LowHangingFruitsService) {}

  @Get('clusters/:clusterId/low-hanging-fruits')
  @Auth()
  @ApiOperation({ summary: 'List the low-hanging fruits of a cluster', description: 'Any key that may read the cluster.' })
  @ApiOkResponse({ type: LowHangingFruitPage })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  async list(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: ListLowHangingFruitsQueryDto,
  ): Promise<Page<LowHangingFruitResponse>> {
    const page = await this.fruits.list(caller, clusterId, query);
    const today = this.fruits.today();
    return { ...page, items: page.items.map((a) => toLowHangingFruitResponse(a, today)) };
  }

  @Post('clusters/:clusterId/low-hanging-fruits')
  @Auth()
  @ApiOperation({
    summary: 'Add a low-hanging fruit',
    description: `Admin keys, and editor keys of the cluster. Records the first status (default green) and state (default planned) in the history.`,
  })
  @ApiCreatedResponse({ type: LowHangingFruitResponse })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  @ApiConflict('The cluster is archived.')
  @ApiUnprocessable('a goalId of another cluster, or a yellow / red status without statusComment.')
  async create(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Body() dto: CreateLowHangingFruitDto,
  ): Promise<LowHangingFruitResponse> {
    return toLowHangingFruitResponse(await this.fruits.create(caller, clusterId, dto), this.fruits.today());
  }

  @Get('low-hanging-fruits/:id')
  @Auth()
  @ApiOperation({ summary: 'Get a low-hanging fruit', description: 'Any key that may read its cluster; archived fruits stay readable.' })
  @ApiOkResponse({ type: LowHangingFruitResponse })
  @ApiConditionalRead()
  @ApiBadRequest('id is not a UUID.')
  @ApiNotFound('low-hanging fruit')
  async get(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<LowHangingFruitResponse> {
    return toLowHangingFruitResponse(await this.fruits.get(caller, id), this.fruits.today());
  }

  @Patch('low-hanging-fruits/:id')
  @Auth()
  @ApiOperation({
    summary: 'Change a low-hanging fruit',
    description: `${WRITERS} Only the fields sent change; a new state is recorded in the history. The status changes only through status updates.`,
  })
  @ApiOkResponse({ type: LowHangingFruitResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('low-hanging fruit')
  @ApiConflict('The fruit or its cluster is archived.')
  @ApiUnprocessable('A goalId of another cluster.')
  async update(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: UpdateLowHangingFruitDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<LowHangingFruitResponse> {
    return toLowHangingFruitResponse(await this.fruits.update(caller, id, dto, ifMatch), this.fruits.today());
  }

  @Delete('low-hanging-fruits/:id')
  @HttpCode(204)
  @Auth()
  @ApiOperation({ summary: 'Archive a low-hanging fruit', description: `${WRITERS} Nothing is deleted; it and its history stay readable.` })
  @ApiNoContentResponse({ description: 'Archived (or already archived).' })
  @ApiConflict('The cluster is archived; everything in it is read-only.')
  @ApiConditionalWrite()
  @ApiNotFound('low-hanging fruit')
  async archive(@CurrentCaller() caller: Caller, @UuidParam('id') id: string, @IfMatch() ifMatch: number[] | undefined): Promise<void> {
    await this.fruits.archive(caller, id, ifMatch);
  }

  @Get('low-hanging-fruits/:id/status-updates')
  @Auth()
  @ApiTags('status')
  @ApiOperation({ summary: 'The status history of a low-hanging fruit', description: 'Newest first. Any key that may read the fruit.' })
  @ApiOkResponse({ type: StatusUpdatePage })
  @ApiBadRequest()
  @ApiNotFound('low-hanging fruit')
  async statusUpdates(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<StatusUpdateResponse>> {
    const page = await this.fruits.statusUpdates(caller, id, query.limit, query.offset);
    return { ...page, items: page.items.map(toStatusUpdateResponse) };
  }

  @Post('low-hanging-fruits/:id/status-updates')
  @Auth()
  @ApiTags('status')
  @ApiOperation({
    summary: 'Update the status of a low-hanging fruit',
    description: `${WRITERS} Sets the traffic light (and the state, if given) and appends it to the history with its comment and the key's name as author. Answers with the updated fruit.`,
  })
  @ApiCreatedResponse({ type: LowHangingFruitResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('low-hanging fruit')
  @ApiConflict('The fruit or its cluster is archived.')
  @ApiUnprocessable('A yellow or red status without a comment.')
  async changeStatus(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: CreateItemStatusUpdateDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<LowHangingFruitResponse> {
    return toLowHangingFruitResponse(await this.fruits.changeStatus(caller, id, dto, ifMatch), this.fruits.today());
  }
}
