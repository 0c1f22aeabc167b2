import { applyDecorators, Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiNotFound } from '../common/api-responses.js';
import { type Page, PageQueryDto } from '../common/pagination.js';
import { withArticle } from '../common/text.js';
import { UuidParam } from '../common/validation.js';
import { RevisionPage, RevisionResponse } from './dto/revision.dto.js';
import { RevisionsService } from './revisions.service.js';

/** The documentation every revisions route shares. */
function RevisionsOf(what: string, readers: string) {
  return applyDecorators(
    Auth(),
    ApiOperation({
      summary: `The revisions of ${withArticle(what)}, newest first`,
      description:
        `${readers} Every write (creation, change, status update, archiving) made one revision: the version it made, ` +
        'when, who, and what changed field by field (`{ field, from, to }`, nested fields as `indicator.target`). ' +
        'A change that changed nothing made none. Revisions are never changed or deleted.',
    }),
    ApiOkResponse({ type: RevisionPage }),
    ApiBadRequest(),
    ApiNotFound(what),
  );
}

const PLAN_READERS = 'Any key that may read its cluster; archived ones too.';

@ApiTags('revisions')
@Controller()
export class RevisionsController {
  constructor(private readonly revisions: RevisionsService) {}

  @Get('clusters/:clusterId/revisions')
  @RevisionsOf('cluster', 'Any key that may read the cluster; archived ones too.')
  cluster(@CurrentCaller() caller: Caller, @UuidParam('clusterId') id: string, @Query() q: PageQueryDto): Promise<Page<RevisionResponse>> {
    return this.revisions.list('cluster', caller, id, q.limit, q.offset);
  }

  @Get('goals/:goalId/revisions')
  @RevisionsOf('goal', PLAN_READERS)
  goal(@CurrentCaller() caller: Caller, @UuidParam('goalId') id: string, @Query() q: PageQueryDto): Promise<Page<RevisionResponse>> {
    return this.revisions.list('goal', caller, id, q.limit, q.offset);
  }

  @Get('activities/:activityId/revisions')
  @RevisionsOf('activity', PLAN_READERS)
  activity(
    @CurrentCaller() caller: Caller,
    @UuidParam('activityId') id: string,
    @Query() q: PageQueryDto,
  ): Promise<Page<RevisionResponse>> {
    return this.revisions.list('activity', caller, id, q.limit, q.offset);
  }

  @Get('low-hanging-fruits/:id/revisions')
  @RevisionsOf('low-hanging fruit', PLAN_READERS)
  lowHangingFruit(@CurrentCaller() caller: Caller, @UuidParam('id') id: string, @Query() q: PageQueryDto): Promise<Page<RevisionResponse>> {
    return this.revisions.list('low_hanging_fruit', caller, id, q.limit, q.offset);
  }

  @Get('risks/:riskId/revisions')
  @RevisionsOf('risk', PLAN_READERS)
  risk(@CurrentCaller() caller: Caller, @UuidParam('riskId') id: string, @Query() q: PageQueryDto): Promise<Page<RevisionResponse>> {
    return this.revisions.list('risk', caller, id, q.limit, q.offset);
  }

  @Get('actors/:actorId/revisions')
  @RevisionsOf('actor', PLAN_READERS)
  actor(@CurrentCaller() caller: Caller, @UuidParam('actorId') id: string, @Query() q: PageQueryDto): Promise<Page<RevisionResponse>> {
    return this.revisions.list('actor', caller, id, q.limit, q.offset);
  }

  @Get('funders/:funderId/revisions')
  @RevisionsOf('funder', 'Any key that may read the funder.')
  funder(@CurrentCaller() caller: Caller, @UuidParam('funderId') id: string, @Query() q: PageQueryDto): Promise<Page<RevisionResponse>> {
    return this.revisions.list('funder', caller, id, q.limit, q.offset);
  }

  @Get('report-submissions/:submissionId/revisions')
  @RevisionsOf('report submission', 'Any key that may read the submission: submitted, then acknowledged or returned.')
  reportSubmission(
    @CurrentCaller() caller: Caller,
    @UuidParam('submissionId') id: string,
    @Query() q: PageQueryDto,
  ): Promise<Page<RevisionResponse>> {
    return this.revisions.list('report_submission', caller, id, q.limit, q.offset);
  }

  @Get('fundings/:fundingId/revisions')
  @RevisionsOf('funding', 'Any key that may read the funding.')
  funding(@CurrentCaller() caller: Caller, @UuidParam('fundingId') id: string, @Query() q: PageQueryDto): Promise<Page<RevisionResponse>> {
    return this.revisions.list('funding', caller, id, q.limit, q.offset);
  }

  @Get('indicator-definitions/:definitionId/revisions')
  @RevisionsOf('indicator definition', 'Any key. The common indicators shipped with Styrman are never written, so they have none.')
  indicatorDefinition(
    @CurrentCaller() caller: Caller,
    @UuidParam('definitionId') id: string,
    @Query() q: PageQueryDto,
  ): Promise<Page<RevisionResponse>> {
    return this.revisions.list('indicator_definition', caller, id, q.limit, q.offset);
  }
}
