import type { Row } from '../plan-items/plan-item-kind.js';
import { columnsOf, isoOrNull } from '../plan-items/plan-item-response.js';
import type { RiskState } from '../plan-items/traffic-light.js';
import type { RiskResponse } from './dto/risk.dto.js';

/** A risk's own columns, as PostgreSQL returns them. */
interface RiskRow {
  title: string;
  cause: string | null;
  response: string | null;
  likelihood: number;
  impact: number;
  score: number;
  owner: string | null;
  goal_id: string | null;
  state: RiskState;
}

export function toRiskResponse(row: Row): RiskResponse {
  const r = columnsOf<RiskRow>(row);
  return {
    id: r.id,
    clusterId: r.cluster_id,
    title: r.title,
    cause: r.cause,
    response: r.response,
    likelihood: r.likelihood,
    impact: r.impact,
    score: r.score,
    owner: r.owner,
    goalId: r.goal_id,
    state: r.state,
    status: r.status,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    archivedAt: isoOrNull(r.archived_at),
  };
}
