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
import { FRUIT } from './low-hanging-fruit.kind.js';
import {
  LowHangingFruitResponse,
  CreateLowHangingFruitDto,
  ListLowHangingFruitsQueryDto,
  UpdateLowHangingFruitDto,
} from './dto/low-hanging-fruit.dto.js';

const LowHangingFruitPage = PageOf(LowHangingFruitResponse, 'LowHangingFruitPage');

const WRITERS = writers(FRUIT);

@ApiTags('plan')
@Controller()
export class LowHangingFruitsController {
  constructor(private readonly items: PlanItems) {}

  @Get('clusters/:clusterId/low-hanging-fruits')
  @Auth()
  @ApiOperation({ summary: 'List the low-hanging fruits of a cluster', description: 'Any key that may read the cluster.' })
  @ApiOkResponse({ type: LowHangingFruitPage })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  list(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: ListLowHangingFruitsQueryDto,
  ): Promise<Page<LowHangingFruitResponse>> {
    return this.items.list(FRUIT, caller, clusterId, query);
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
  create(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Body() dto: CreateLowHangingFruitDto,
  ): Promise<LowHangingFruitResponse> {
    return this.items.create(FRUIT, caller, clusterId, dto);
  }

  @Get('low-hanging-fruits/:id')
  @Auth()
  @ApiOperation({ summary: 'Get a low-hanging fruit', description: 'Any key that may read its cluster; archived fruits stay readable.' })
  @ApiOkResponse({ type: LowHangingFruitResponse })
  @ApiConditionalRead()
  @ApiBadRequest('id is not a UUID.')
  @ApiNotFound('low-hanging fruit')
  get(@CurrentCaller() caller: Caller, @UuidParam('id') id: string): Promise<LowHangingFruitResponse> {
    return this.items.get(FRUIT, caller, id);
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
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('id') id: string,
    @Body() dto: UpdateLowHangingFruitDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<LowHangingFruitResponse> {
    return this.items.update(FRUIT, caller, id, dto, ifMatch);
  }

  @Delete('low-hanging-fruits/:id')
  @HttpCode(204)
  @Auth()
  @ApiOperation({ summary: 'Archive a low-hanging fruit', description: `${WRITERS} Nothing is deleted; it and its history stay readable.` })
  @ApiNoContentResponse({ description: 'Archived (or already archived).' })
  @ApiConflict('The cluster is archived; everything in it is read-only.')
  @ApiConditionalWrite()
  @ApiNotFound('low-hanging fruit')
  archive(@CurrentCaller() caller: Caller, @UuidParam('id') id: string, @IfMatch() ifMatch: number[] | undefined): Promise<void> {
    return this.items.archive(FRUIT, caller, id, ifMatch);
  }
}
