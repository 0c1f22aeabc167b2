import { Body, Controller, Delete, Get, HttpCode, Patch, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiConditionalRead, ApiConditionalWrite, ApiConflict, ApiNotFound } from '../common/api-responses.js';
import { IfMatch, WithETag } from '../common/etag.js';
import { PageOf } from '../common/page.dto.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import { AsOfQueryDto } from '../revisions/as-of.js';
import { ActorsService } from './actors.service.js';
import { toActorResponse } from './actors.mapper.js';
import { ActorResponse, CreateActorDto, ListActorsQueryDto, UpdateActorDto } from './dto/actor.dto.js';
import { IdempotentPost } from '../idempotency/idempotent-post.js';

const ActorPage = PageOf(ActorResponse, 'ActorPage');
/** What the guard reads to tell a key that may not read the actor (404) from one that may only read it (403). */
const ACTOR = { table: 'actor', label: 'actor' };
const WRITERS = 'Admin keys, and editor keys of the actor’s cluster.';

/** The stakeholder analysis: organisations in a cluster's inner and outer core, and how far each is engaged. */
@ApiTags('actors')
@Controller()
export class ActorsController {
  constructor(private readonly actors: ActorsService) {}

  @Get('clusters/:clusterId/actors')
  @WithETag()
  @Auth()
  @ApiOperation({ summary: 'List the actors of a cluster', description: 'Any key that may read the cluster.' })
  @ApiOkResponse({ type: ActorPage })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  async list(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: ListActorsQueryDto,
  ): Promise<Page<ActorResponse>> {
    const page = await this.actors.list(caller, clusterId, query);
    return { ...page, items: page.items.map(toActorResponse) };
  }

  @IdempotentPost('clusters/:clusterId/actors')
  @WithETag()
  @Auth({ write: true, resource: ['clusterId', 'cluster'] })
  @ApiOperation({
    summary: 'Add an actor',
    description:
      'Admin keys, and editor keys of the cluster. An actor is an organisation (a firm, a university, a public body, an association), never a person. Its kind, core and engagement are kept from now on for the reports.',
  })
  @ApiCreatedResponse({ type: ActorResponse })
  @ApiBadRequest()
  @ApiNotFound('cluster')
  @ApiConflict('The cluster is archived.')
  async create(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Body() dto: CreateActorDto,
  ): Promise<ActorResponse> {
    return toActorResponse(await this.actors.create(caller, clusterId, dto));
  }

  @Get('actors/:actorId')
  @WithETag()
  @Auth()
  @ApiOperation({ summary: 'Get an actor', description: 'Any key that may read its cluster; archived actors stay readable.' })
  @ApiOkResponse({ type: ActorResponse })
  @ApiConditionalRead()
  @ApiBadRequest('actorId is not a UUID.')
  @ApiNotFound('actor')
  async get(@CurrentCaller() caller: Caller, @UuidParam('actorId') id: string, @Query() query: AsOfQueryDto): Promise<ActorResponse> {
    return toActorResponse(await this.actors.get(caller, id, query.asOf));
  }

  @Patch('actors/:actorId')
  @WithETag()
  @Auth({ write: true, resource: ['actorId', ACTOR] })
  @ApiOperation({
    summary: 'Change an actor',
    description: `${WRITERS} Only the fields sent change; a change of kind, core or engagement is kept for the reports.`,
  })
  @ApiOkResponse({ type: ActorResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('actor')
  @ApiConflict('The actor or its cluster is archived.')
  async update(
    @CurrentCaller() caller: Caller,
    @UuidParam('actorId') id: string,
    @Body() dto: UpdateActorDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<ActorResponse> {
    return toActorResponse(await this.actors.update(caller, id, dto, ifMatch));
  }

  @Delete('actors/:actorId')
  @HttpCode(204)
  @Auth({ write: true, resource: ['actorId', ACTOR] })
  @ApiOperation({
    summary: 'Archive an actor',
    description: `${WRITERS} Nothing is deleted; it stays readable, and reports no longer count it from the day it was archived.`,
  })
  @ApiNoContentResponse({ description: 'Archived (or already archived).' })
  @ApiConflict('The cluster is archived; everything in it is read-only.')
  @ApiConditionalWrite()
  @ApiNotFound('actor')
  async archive(
    @CurrentCaller() caller: Caller,
    @UuidParam('actorId') id: string,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<void> {
    await this.actors.archive(caller, id, ifMatch);
  }
}
