import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { type Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import type { RevisionResponse } from './dto/revision.dto.js';
import { PLAN_READERS, RevisionsOf } from './revisions.docs.js';
import { ReadFromReplica } from './replica-read.js';
import { RevisionsService } from './revisions.service.js';
import { WithETag } from '../common/etag.js';

@ApiTags('revisions')
@ReadFromReplica()
@Controller()
export class RevisionsController {
  constructor(private readonly revisions: RevisionsService) {}

  @Get('clusters/:clusterId/revisions')
  @WithETag()
  @RevisionsOf('cluster', 'Any key that may read the cluster; archived ones too.')
  cluster(@CurrentCaller() caller: Caller, @UuidParam('clusterId') id: string, @Query() q: PageQueryDto): Promise<Page<RevisionResponse>> {
    return this.revisions.list('cluster', caller, id, q.limit, q.offset);
  }

  @Get('actors/:actorId/revisions')
  @WithETag()
  @RevisionsOf('actor', PLAN_READERS)
  actor(@CurrentCaller() caller: Caller, @UuidParam('actorId') id: string, @Query() q: PageQueryDto): Promise<Page<RevisionResponse>> {
    return this.revisions.list('actor', caller, id, q.limit, q.offset);
  }

  @Get('funders/:funderId/revisions')
  @WithETag()
  @RevisionsOf('funder', 'Any key that may read the funder.')
  funder(@CurrentCaller() caller: Caller, @UuidParam('funderId') id: string, @Query() q: PageQueryDto): Promise<Page<RevisionResponse>> {
    return this.revisions.list('funder', caller, id, q.limit, q.offset);
  }

  @Get('report-submissions/:submissionId/revisions')
  @WithETag()
  @RevisionsOf('report submission', 'Any key that may read the submission: submitted, then acknowledged or returned.')
  reportSubmission(
    @CurrentCaller() caller: Caller,
    @UuidParam('submissionId') id: string,
    @Query() q: PageQueryDto,
  ): Promise<Page<RevisionResponse>> {
    return this.revisions.list('report_submission', caller, id, q.limit, q.offset);
  }

  @Get('fundings/:fundingId/revisions')
  @WithETag()
  @RevisionsOf('funding', 'Any key that may read the funding.')
  funding(@CurrentCaller() caller: Caller, @UuidParam('fundingId') id: string, @Query() q: PageQueryDto): Promise<Page<RevisionResponse>> {
    return this.revisions.list('funding', caller, id, q.limit, q.offset);
  }

  @Get('indicator-definitions/:definitionId/revisions')
  @WithETag()
  @RevisionsOf('indicator definition', 'Any key. The common indicators shipped with Styrman are never written, so they have none.')
  indicatorDefinition(
    @CurrentCaller() caller: Caller,
    @UuidParam('definitionId') id: string,
    @Query() q: PageQueryDto,
  ): Promise<Page<RevisionResponse>> {
    return this.revisions.list('indicator_definition', caller, id, q.limit, q.offset);
  }
}
