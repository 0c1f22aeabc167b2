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
import { CreateFunderDto, FunderResponse, ListFundersQueryDto, UpdateFunderDto } from './dto/funder.dto.js';
import { CreateFundingDto, FundingResponse, ListFundingsByFunderQueryDto, UpdateFundingDto } from './dto/funding.dto.js';
import { AsOfQueryDto } from '../revisions/as-of.js';
import { FundersService } from './funders.service.js';
import { IdempotentPost } from '../idempotency/idempotent-post.js';

const FunderPage = PageOf(FunderResponse, 'FunderPage');
const FundingPage = PageOf(FundingResponse, 'FundingPage');

@ApiTags('funders')
@Controller()
export class FundersController {
  constructor(private readonly funders: FundersService) {}

  @Get('funders')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'List funders',
    description: 'All for admin and viewer keys; those funding its clusters for an editor; its own for a funder key.',
  })
  @ApiOkResponse({ type: FunderPage })
  @ApiBadRequest()
  list(@CurrentCaller() caller: Caller, @Query() query: ListFundersQueryDto): Promise<Page<FunderResponse>> {
    return this.funders.list(caller, query);
  }

  @IdempotentPost('funders')
  @WithETag()
  @Auth('admin')
  @ApiOperation({ summary: 'Register a funder', description: 'Admin keys only.' })
  @ApiCreatedResponse({ type: FunderResponse })
  @ApiBadRequest()
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateFunderDto): Promise<FunderResponse> {
    return this.funders.create(caller, dto);
  }

  @Get('funders/:funderId')
  @WithETag()
  @Auth()
  @ApiOperation({ summary: 'Get a funder', description: 'Any key that may read the funder.' })
  @ApiOkResponse({ type: FunderResponse })
  @ApiConditionalRead()
  @ApiBadRequest('funderId is not a UUID.')
  @ApiNotFound('funder')
  get(@CurrentCaller() caller: Caller, @UuidParam('funderId') id: string, @Query() query: AsOfQueryDto): Promise<FunderResponse> {
    return this.funders.get(caller, id, query.asOf);
  }

  @Patch('funders/:funderId')
  @WithETag()
  @Auth({ roles: ['admin'], resource: ['funderId', 'funder'] })
  @ApiOperation({ summary: 'Change a funder', description: 'Admin keys only.' })
  @ApiOkResponse({ type: FunderResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('funder')
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('funderId') id: string,
    @Body() dto: UpdateFunderDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<FunderResponse> {
    return this.funders.update(caller, id, dto, ifMatch);
  }

  @Get('funders/:funderId/fundings')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'List the fundings of a funder',
    description: 'Admin and viewer keys; a funder key its own; an editor key those of its clusters.',
  })
  @ApiOkResponse({ type: FundingPage })
  @ApiBadRequest()
  @ApiNotFound('funder')
  listFundings(
    @CurrentCaller() caller: Caller,
    @UuidParam('funderId') funderId: string,
    @Query() query: ListFundingsByFunderQueryDto,
  ): Promise<Page<FundingResponse>> {
    return this.funders.listFundings(caller, funderId, query);
  }

  @IdempotentPost('funders/:funderId/fundings')
  @WithETag()
  @Auth({ roles: ['admin'], resource: ['funderId', 'funder'] })
  @ApiOperation({
    summary: 'Record a funding',
    description: 'Admin keys only. The amount is exact: a JSON number or a decimal string with at most two decimals, returned as a string.',
  })
  @ApiCreatedResponse({ type: FundingResponse })
  @ApiBadRequest()
  @ApiNotFound('funder')
  @ApiUnprocessable('startsOn after endsOn, or clusterId names no cluster.')
  @ApiConflict('The cluster is archived: its fundings are read-only, like everything in it.')
  createFunding(
    @CurrentCaller() caller: Caller,
    @UuidParam('funderId') funderId: string,
    @Body() dto: CreateFundingDto,
  ): Promise<FundingResponse> {
    return this.funders.createFunding(caller, funderId, dto);
  }

  @Get('fundings/:fundingId')
  @WithETag()
  @Auth()
  @ApiOperation({ summary: 'Get a funding', description: 'Any key that may read it (see the list).' })
  @ApiOkResponse({ type: FundingResponse })
  @ApiConditionalRead()
  @ApiBadRequest('fundingId is not a UUID.')
  @ApiNotFound('funding')
  getFunding(@CurrentCaller() caller: Caller, @UuidParam('fundingId') id: string, @Query() query: AsOfQueryDto): Promise<FundingResponse> {
    return this.funders.getFunding(caller, id, query.asOf);
  }

  @Patch('fundings/:fundingId')
  @WithETag()
  @Auth({ roles: ['admin'], resource: ['fundingId', 'funding'] })
  @ApiOperation({ summary: 'Change a funding', description: 'Admin keys only.' })
  @ApiOkResponse({ type: FundingResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('funding')
  @ApiConflict('The funding or its cluster is archived.')
  @ApiUnprocessable('startsOn after endsOn.')
  updateFunding(
    @CurrentCaller() caller: Caller,
    @UuidParam('fundingId') id: string,
    @Body() dto: UpdateFundingDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<FundingResponse> {
    return this.funders.updateFunding(caller, id, dto, ifMatch);
  }

  @Delete('fundings/:fundingId')
  @HttpCode(204)
  @Auth({ roles: ['admin'], resource: ['fundingId', 'funding'] })
  @ApiOperation({ summary: 'Archive a funding', description: 'Admin keys only. Nothing is deleted; archiving again is fine.' })
  @ApiNoContentResponse({ description: 'Archived (or already archived).' })
  @ApiConflict('The cluster is archived; everything in it is read-only.')
  @ApiConditionalWrite()
  @ApiNotFound('funding')
  archiveFunding(
    @CurrentCaller() caller: Caller,
    @UuidParam('fundingId') id: string,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<void> {
    return this.funders.archiveFunding(caller, id, ifMatch);
  }
}
