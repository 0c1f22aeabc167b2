import { Body, Controller, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiConditionalRead, ApiConditionalWrite, ApiConflict, ProblemResponse } from '../common/api-responses.js';
import { IfMatch, WithETag } from '../common/etag.js';
import { PageOf } from '../common/page.dto.js';
import { type Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import { AsOfQueryDto } from '../revisions/as-of.js';
import { RevisionPage, RevisionResponse } from '../revisions/dto/revision.dto.js';
import { ListNarrativesQueryDto, NARRATIVE_EXAMPLE, NarrativeResponse, PERIOD_PATTERN, PutNarrativeDto } from './dto/narrative.dto.js';
import { toNarrativeResponse } from './narratives.mapper.js';
import { NarrativesService } from './narratives.service.js';

const NarrativePage = PageOf(NarrativeResponse, 'NarrativePage');

const PeriodParam = () =>
  ApiParam({
    name: 'period',
    description: 'A year, half or quarter, as in reports: `2026`, `2026-H1`, `2026-Q3` (otherwise 400 naming period).',
    schema: { type: 'string', pattern: PERIOD_PATTERN, maxLength: 10, example: '2026-H1' },
  });

const NotFound = (what: string) =>
  ApiNotFoundResponse(ProblemResponse(`No cluster with this id that the caller may read${what ? `, or ${what}` : ''}.`));

/**
 * The period narrative (*lägesrapportens text*): what a cluster writes about a reporting period — a summary, the
 * results, the deviations from the plan, the next steps. Reports of the period carry it, as it stood at the moment
 * they are known at; a submission carries it as it stood at the submission.
 */
@ApiTags('narratives')
@Controller()
export class NarrativesController {
  constructor(private readonly narratives: NarrativesService) {}

  @Get('clusters/:clusterId/narratives')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: "List a cluster's period narratives",
    description:
      'Any key that may read the cluster. Newest period first (a year before its halves and quarters). `asOf` as for other lists.',
  })
  @ApiOkResponse({ type: NarrativePage })
  @ApiBadRequest()
  @NotFound('')
  async list(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: ListNarrativesQueryDto,
  ): Promise<Page<NarrativeResponse>> {
    const page = await this.narratives.list(caller, clusterId, query);
    return { ...page, items: page.items.map(toNarrativeResponse) };
  }

  @Get('clusters/:clusterId/narratives/:period')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: "Get a period's narrative",
    description:
      'What the cluster wrote about a period. Any key that may read the cluster. With `asOf`, the narrative as it was then.\n\n' +
      'Details: with `asOf`, the version and ETag it had then.',
  })
  @PeriodParam()
  @ApiOkResponse({ type: NarrativeResponse })
  @ApiConditionalRead()
  @ApiBadRequest('clusterId is not a UUID, the period is malformed, or asOf is malformed or in the future.')
  @NotFound('no narrative for the period (as of asOf)')
  async get(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Param('period') period: string,
    @Query() query: AsOfQueryDto,
  ): Promise<NarrativeResponse> {
    return toNarrativeResponse(await this.narratives.get(caller, clusterId, period, query.asOf));
  }

  @Put('clusters/:clusterId/narratives/:period')
  @WithETag()
  @HttpCode(200)
  @Auth({ write: true, resource: ['clusterId', 'cluster'] })
  @ApiOperation({
    summary: "Write a period's narrative",
    description:
      "The period's text of the cluster's report (lägesrapport): summary, results, deviations and next steps; the reports of the period " +
      'carry it. Admin keys, and editor keys of the cluster.\n\n' +
      'Details: the whole narrative: `summary`, `results`, `deviations`, `nextSteps`, each optional ' +
      "(left out or null: no text) and up to 10 000 characters, line breaks kept. Creates the period's narrative (version 1) or replaces " +
      'it (If-Match: its ETag, else 412); a PUT that changes nothing keeps the version. Every version is kept (revisions): ' +
      'a report of the period carries the narrative as it stood at the moment the report is known at (`knownAt`, default the end of the ' +
      'period), and a submission as it stood at the submission — so a narrative written or completed after a funder returned a report ' +
      'is in the resubmission.',
  })
  @PeriodParam()
  @ApiBody({ type: PutNarrativeDto, examples: { findit: { summary: 'Findit, first half of 2026', value: NARRATIVE_EXAMPLE } } })
  @ApiOkResponse({ type: NarrativeResponse, description: 'The narrative as written: new (version 1), replaced, or unchanged.' })
  @ApiConditionalWrite()
  @ApiBadRequest('Malformed input: a text too long or not a string, an unknown field, a malformed period.')
  @NotFound('')
  @ApiConflict('The cluster is archived; its plan is read-only.')
  async put(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Param('period') period: string,
    @Body() dto: PutNarrativeDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<NarrativeResponse> {
    return toNarrativeResponse(await this.narratives.put(caller, clusterId, period, dto, ifMatch));
  }

  @Get('clusters/:clusterId/narratives/:period/revisions')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: "The revisions of a period's narrative, newest first",
    description:
      'Any key that may read the cluster. Every PUT that changed something made one revision: the version it made, when, who, and ' +
      'what changed field by field (`{ field, from, to }`). Revisions are never changed or deleted.',
  })
  @PeriodParam()
  @ApiOkResponse({ type: RevisionPage })
  @ApiBadRequest()
  @NotFound('no narrative for the period')
  revisions(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Param('period') period: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<RevisionResponse>> {
    return this.narratives.revisionsOf(caller, clusterId, period, query);
  }
}
