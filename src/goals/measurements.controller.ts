import { Body, Controller, Get, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiConflict, ApiNotFound, ApiUnprocessable } from '../common/api-responses.js';
import { PageOf } from '../common/page.dto.js';
import type { Page } from '../common/pagination.js';
import { MeasurementListQueryDto } from './dto/measurement.dto.js';
import { UuidParam } from '../common/validation.js';
import { CreateMeasurementDto, MeasurementResponse } from './dto/measurement.dto.js';
import { MeasurementsService } from './measurements.service.js';
import { GOAL } from './goal.kind.js';
import { WithETag } from '../common/etag.js';
import { IdempotentPost } from '../idempotency/idempotent-post.js';

const MeasurementPage = PageOf(MeasurementResponse, 'MeasurementPage');
const GOAL_RESOURCE = { table: GOAL.table, label: GOAL.routes.notFound };

@ApiTags('goals')
@Controller('goals/:goalId/measurements')
export class MeasurementsController {
  constructor(private readonly measurements: MeasurementsService) {}

  @Get()
  @WithETag()
  @Auth()
  @ApiOperation({ summary: 'Measurements of a goal’s indicator', description: 'Newest first. Any key that may read the goal.' })
  @ApiOkResponse({ type: MeasurementPage })
  @ApiBadRequest()
  @ApiNotFound('goal')
  list(
    @CurrentCaller() caller: Caller,
    @UuidParam('goalId') goalId: string,
    @Query() query: MeasurementListQueryDto,
  ): Promise<Page<MeasurementResponse>> {
    return this.measurements.list(caller, goalId, query);
  }

  @IdempotentPost()
  @Auth({ write: true, resource: ['goalId', GOAL_RESOURCE] })
  @ApiOperation({
    summary: 'Record a measurement',
    description: 'Admin keys, and editor keys of the goal’s cluster. Append-only: to correct a value, record a new measurement.',
  })
  @ApiCreatedResponse({ type: MeasurementResponse })
  @ApiBadRequest()
  @ApiNotFound('goal')
  @ApiConflict('The goal or its cluster is archived.')
  @ApiUnprocessable('The goal has no indicator, or measuredOn is in the future.')
  create(
    @CurrentCaller() caller: Caller,
    @UuidParam('goalId') goalId: string,
    @Body() dto: CreateMeasurementDto,
  ): Promise<MeasurementResponse> {
    return this.measurements.create(caller, goalId, dto);
  }
}
