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
for (const { name, response, path } of PLAN_SECTIONS) {
  ApiProperty({
    type: [response],
    description: `Every item of the cluster that is not archived, in the order and form of GET /api/v1/clusters/{clusterId}/${path}.`,
  })(PlanResponse.prototype, name);
}
