import { ReadFromReplica } from '../revisions/replica-read.js';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import type { Caller } from '../auth/role.js';
import { ApiBadRequest, ApiNotFound } from '../common/api-responses.js';
import { UuidParam } from '../common/validation.js';
import { PlanChangesQueryDto, PlanChangesResponse } from './plan-changes.dto.js';
import { PlanChangesService } from './plan-changes.service.js';
import { WithETag } from '../common/etag.js';

/** What the document shows as the answer of a comparison. */
export const PLAN_CHANGES_EXAMPLE = {
  from: '2026-09-30T21:59:59.999Z',
  to: '2026-12-31T12:00:00.000Z',
  items: [
    {
      subject: { type: 'activity', id: '6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b', title: 'Matchmaking day with the sawmills' },
      change: 'changed',
      fields: [
        { field: 'dueDate', from: '2026-10-15', to: '2027-02-01' },
        { field: 'status', from: 'green', to: 'yellow' },
      ],
      revisions: [
        { version: 3, recordedAt: '2026-10-02T09:12:00.000Z', author: 'Findit process leader' },
        { version: 4, recordedAt: '2026-11-20T14:05:00.000Z', author: 'Findit process leader' },
      ],
    },
    {
      subject: { type: 'risk', id: '0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d', title: 'Key firms leave the cluster' },
      change: 'added',
      fields: [
        { field: 'title', from: null, to: 'Key firms leave the cluster' },
        { field: 'likelihood', from: null, to: 2 },
      ],
      revisions: [{ version: 1, recordedAt: '2026-11-03T10:00:00.000Z', author: 'Findit process leader' }],
    },
  ],
};

@ApiTags('plan')
@Controller()
export class PlanChangesController {
  constructor(private readonly changes: PlanChangesService) {}

  @Get('clusters/:clusterId/plan/changes')
  @WithETag()
  @ReadFromReplica('to')
  @Auth()
  @ApiOperation({
    summary: 'What changed in the plan between two instants',
    description:
      'Any key that may read the cluster. Every item of the plan — the cluster, its goals, activities, low-hanging fruits, risks and ' +
      'actors — whose state at `to` differs from its state at `from`, field by field (status and state included), with the revisions ' +
      'in between: `added` (in the plan at `to` only), `archived` (at `from` only) or `changed`. An item changed and changed back is not ' +
      'listed, nor one created and archived in between. Applying the changes to `GET /clusters/{clusterId}/plan?asOf=<from>` gives the ' +
      'plan as of `to` (versions and timestamps aside).',
  })
  @ApiOkResponse({ type: PlanChangesResponse, example: PLAN_CHANGES_EXAMPLE })
  @ApiBadRequest('clusterId is not a UUID; from or to is missing, malformed or in the future; from is not before to.')
  @ApiNotFound('cluster')
  plan(
    @CurrentCaller() caller: Caller,
    @UuidParam('clusterId') clusterId: string,
    @Query() query: PlanChangesQueryDto,
  ): Promise<PlanChangesResponse> {
    return this.changes.changes(caller, clusterId, query);
  }
}
