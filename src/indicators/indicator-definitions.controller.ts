import { Body, Controller, Delete, Get, HttpCode, Patch, Query } from '@nestjs/common';
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
import { IfMatch, WithETag } from '../common/etag.js';
import { PageOf } from '../common/page.dto.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import {
  CreateIndicatorDefinitionDto,
  IndicatorDefinitionResponse,
  ListIndicatorDefinitionsQueryDto,
  UpdateIndicatorDefinitionDto,
} from './dto/indicator-definition.dto.js';
import { IndicatorDefinitionsService } from './indicator-definitions.service.js';
import { IdempotentPost } from '../idempotency/idempotent-post.js';

const IndicatorDefinitionPage = PageOf(IndicatorDefinitionResponse, 'IndicatorDefinitionPage');
const WRITERS = 'Admin keys (any but the shipped common indicators), and funder keys (their own funder’s definitions); other keys get 403.';

/** Programme indicators: what funders ask every cluster to measure the same way, so that it adds up. */
@ApiTags('indicators')
@Controller()
export class IndicatorDefinitionsController {
  constructor(private readonly definitions: IndicatorDefinitionsService) {}

  @Get('indicator-definitions')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'List indicator definitions',
    description:
      'Every key reads every definition: the common ones (the EU’s common indicators for enterprise support, shipped with Styrman, and ' +
      'those an admin made) and every funder’s own. Common ones first, then by code.',
  })
  @ApiOkResponse({ type: IndicatorDefinitionPage })
  @ApiBadRequest()
  list(@Query() query: ListIndicatorDefinitionsQueryDto): Promise<Page<IndicatorDefinitionResponse>> {
    return this.definitions.list(query);
  }

  @IdempotentPost('indicator-definitions')
  @WithETag()
  @Auth('admin', 'funder')
  @ApiOperation({
    summary: 'Define a programme indicator',
    description:
      'Admin keys (with `funderId`, a funder’s; without, a common one) and funder keys (always their own funder’s). ' +
      'The code is unique per owner.',
  })
  @ApiCreatedResponse({ type: IndicatorDefinitionResponse })
  @ApiBadRequest()
  @ApiUnprocessable('funderId names no funder, or a breakdown on a sum indicator.')
  @ApiConflict('Its owner already has a definition with this code.')
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateIndicatorDefinitionDto): Promise<IndicatorDefinitionResponse> {
    return this.definitions.create(caller, dto);
  }

  @Get('indicator-definitions/:definitionId')
  @WithETag()
  @Auth()
  @ApiOperation({ summary: 'Get an indicator definition', description: 'Any key; archived ones too.' })
  @ApiOkResponse({ type: IndicatorDefinitionResponse })
  @ApiConditionalRead()
  @ApiBadRequest('definitionId is not a UUID.')
  @ApiNotFound('indicator definition')
  get(@UuidParam('definitionId') id: string): Promise<IndicatorDefinitionResponse> {
    return this.definitions.get(id);
  }

  @Patch('indicator-definitions/:definitionId')
  @WithETag()
  @Auth('admin', 'funder')
  @ApiOperation({
    summary: 'Change an indicator definition',
    description: `${WRITERS} Once a goal has adopted it, only name and description can change (code, unit, aggregation, breakdown: 409).`,
  })
  @ApiOkResponse({ type: IndicatorDefinitionResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('indicator definition')
  @ApiConflict('Adopted (what it measures is frozen), archived, or the code is taken.')
  @ApiUnprocessable('A breakdown on a sum indicator.')
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('definitionId') id: string,
    @Body() dto: UpdateIndicatorDefinitionDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<IndicatorDefinitionResponse> {
    return this.definitions.update(caller, id, dto, ifMatch);
  }

  @Delete('indicator-definitions/:definitionId')
  @HttpCode(204)
  @Auth('admin', 'funder')
  @ApiOperation({
    summary: 'Archive an indicator definition',
    description: `${WRITERS} Nothing is deleted: goals that adopted it keep it and their values still add up; no goal can adopt it any more.`,
  })
  @ApiNoContentResponse({ description: 'Archived (or already archived).' })
  @ApiConditionalWrite()
  @ApiNotFound('indicator definition')
  archive(@CurrentCaller() caller: Caller, @UuidParam('definitionId') id: string, @IfMatch() ifMatch: number[] | undefined): Promise<void> {
    return this.definitions.archive(caller, id, ifMatch);
  }
}
