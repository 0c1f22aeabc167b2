import type { Row } from '../plan-items/plan-item-kind.js';
import { responseHead, responseVersion } from '../plan-items/plan-item-response.js';
import type { RiskState, Status } from '../plan-items/traffic-light.js';
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
  status: Status;
}

export function toRiskResponse(row: Row): RiskResponse {
  const r = row as unknown as RiskRow;
  return {
    ...responseHead(row),
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
    ...responseVersion(row),
  };
}
