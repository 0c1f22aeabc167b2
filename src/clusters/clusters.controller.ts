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
import { ClustersService } from './clusters.service.js';
import { ClusterResponse, CreateClusterDto, ListClustersQueryDto, UpdateClusterDto } from './dto/cluster.dto.js';
import { IdempotentPost } from '../idempotency/idempotent-post.js';

const ClusterPage = PageOf(ClusterResponse, 'ClusterPage');

@ApiTags('clusters')
@Controller('clusters')
export class ClustersController {
  constructor(private readonly clusters: ClustersService) {}

  @Get()
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'List clusters',
    description: 'The clusters the key may read: all for admin and viewer keys, its own for an editor, the funded ones for a funder.',
  })
  @ApiOkResponse({ type: ClusterPage })
  @ApiBadRequest()
  list(@CurrentCaller() caller: Caller, @Query() query: ListClustersQueryDto): Promise<Page<ClusterResponse>> {
    return this.clusters.list(caller, query);
  }

  @IdempotentPost()
  @WithETag()
  @Auth('admin')
  @ApiOperation({ summary: 'Register a cluster', description: 'Admin keys only.' })
  @ApiCreatedResponse({ type: ClusterResponse })
  @ApiBadRequest()
  @ApiConflict('A cluster that is not archived already has this name.')
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateClusterDto): Promise<ClusterResponse> {
    return this.clusters.create(caller, dto);
  }

  @Get(':clusterId')
  @WithETag()
  @Auth()
  @ApiOperation({ summary: 'Get a cluster', description: 'Any key that may read the cluster; archived clusters stay readable.' })
  @ApiOkResponse({ type: ClusterResponse })
  @ApiConditionalRead()
  @ApiBadRequest('clusterId is not a UUID.')
  @ApiNotFound('cluster')
  get(@CurrentCaller() caller: Caller, @UuidParam('clusterId') id: string, @Query() query: AsOfQueryDto): Promise<ClusterResponse> {
    return this.clusters.read(caller, id, query.asOf);
  }

  @Patch(':clusterId')
  @WithETag()
  @Auth({ write: true, resource: ['clusterId', 'cluster'] })
  @ApiOperation({
    summary: 'Change a cluster',
    description: 'Admin keys, and editor keys of this cluster. Only the fields sent change; `null` clears an optional text.',
  })
  @ApiOkResponse({ type: ClusterResponse })
  @ApiConditionalWrite()
  @ApiBadRequest()
  @ApiNotFound('cluster')
  @ApiConflict('The cluster is archived, or another cluster already has this name.')
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') id: string,
    @Body() dto: UpdateClusterDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<ClusterResponse> {
    return this.clusters.update(caller, id, dto, ifMatch);
  }

  @Delete(':clusterId')
  @HttpCode(204)
  @Auth({ roles: ['admin'], resource: ['clusterId', 'cluster'] })
  @ApiOperation({
    summary: 'Archive a cluster',
    description:
      'Admin keys only. Nothing is deleted: the cluster and its plan stay readable by id and in reports. Archiving twice is fine.',
  })
  @ApiNoContentResponse({ description: 'Archived (or already archived).' })
  @ApiConditionalWrite()
  @ApiNotFound('cluster')
  archive(@CurrentCaller() caller: Caller, @UuidParam('clusterId') id: string, @IfMatch() ifMatch: number[] | undefined): Promise<void> {
    return this.clusters.archive(caller, id, ifMatch);
  }
}
