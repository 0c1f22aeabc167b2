import { Controller, Get, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiUnprocessable, ProblemResponse } from '../common/api-responses.js';
import { UuidParam } from '../common/validation.js';
import { CompareSubmissionsQueryDto, SubmissionComparisonResponse } from './submission-compare.dto.js';
import { SubmissionCompareService } from './submission-compare.service.js';
import { WithETag } from '../common/etag.js';

/** What the document shows as the answer of a comparison of two submissions. */
const COMPARISON_EXAMPLE = {
  from: {
    submissionId: '5d2b7c1e-8f4a-4b3c-9d2e-1f0a9b8c7d6e',
    period: '2026-Q3',
    from: '2026-06-30T22:00:00.000Z',
    to: '2026-09-30T21:59:59.999Z',
    submittedAt: '2026-10-05T09:00:00.000Z',
    knownAt: '2026-10-05T09:00:00.000Z',
    sha256: '3b1f0c2b9e41d57a8e2f7d4c7e9d573a1f0c2b9e41d57a8e2f7d4c7e9d573a1f',
  },
  to: {
    submissionId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    period: '2026-Q4',
    from: '2026-09-30T22:00:00.000Z',
    to: '2026-12-31T22:59:59.999Z',
    submittedAt: '2027-01-08T10:30:00.000Z',
    knownAt: '2027-01-08T10:30:00.000Z',
    sha256: '7e9d573a1f0c2b9e41d57a8e2f7d4c7e9d573a1f0c2b9e41d57a8e2f7d4c7e9d',
  },
  items: [
    {
      subject: { type: 'goal', id: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b', title: 'Forty member firms' },
      change: 'changed',
      fields: [
        { field: 'statusAtEnd', from: 'green', to: 'yellow' },
        { field: 'indicator.latestValue', from: 22, to: 27 },
      ],
      revisions: [{ version: 5, recordedAt: '2026-11-12T13:45:00.000Z', author: 'Findit process leader' }],
    },
  ],
};

@ApiTags('report-submissions')
@Controller()
export class SubmissionCompareController {
  constructor(private readonly comparisons: SubmissionCompareService) {}

  @Get('report-submissions/:submissionId/compare')
  @WithETag()
  @Auth()
  @ApiOperation({
    summary: 'What differs between two submitted reports',
    description:
      'Any key that may read both submissions (404 for one it may not). The two frozen reports of the same cluster to the same funder ' +
      '(422 otherwise) compared item by item — the cluster, goals, activities, low-hanging fruits, risks — in the shape of ' +
      '`GET /clusters/{clusterId}/plan/changes`: `added`, `archived` (gone from the later report) or `changed`, field by field as the ' +
      'reports show them. The earlier side is the submission whose period ends first, whichever of the two is in the path; ' +
      'for a resubmission of a returned report, what the cluster changed before resubmitting.',
  })
  @ApiOkResponse({ type: SubmissionComparisonResponse, example: COMPARISON_EXAMPLE })
  @ApiBadRequest('submissionId or with is missing or not a UUID.')
  @ApiNotFoundResponse(ProblemResponse('No report submission with this id, or none named by `with`, that the caller may read.'))
  @ApiUnprocessable('with names a submission of another cluster or to another funder.')
  compare(
    @CurrentCaller() caller: Caller,
    @UuidParam('submissionId') id: string,
    @Query() query: CompareSubmissionsQueryDto,
  ): Promise<SubmissionComparisonResponse> {
    return this.comparisons.compare(caller, id, query.with);
  }
}
