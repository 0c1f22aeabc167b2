import { ApiProperty } from '@nestjs/swagger';
import { ClusterResponse } from '../clusters/dto/cluster.dto.js';
import { PLAN_SECTIONS } from './plan-sections.js';

/** The whole current plan of a cluster: the cluster, and every item that is not archived, by kind. */
export class PlanResponse {
  @ApiProperty({ type: ClusterResponse })
  cluster: ClusterResponse;

  [section: string]: unknown;
}

// One array property per section, documented as its kind's response.
for (const { name, kind } of PLAN_SECTIONS) {
  ApiProperty({
    type: [kind.response],
    description: `The ${kind.routes.docs.allShort} of the cluster that are not archived, as GET /clusters/{clusterId}/${kind.routes.path} answers them.`,
  })(PlanResponse.prototype, name);
}
