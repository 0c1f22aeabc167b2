import type { FunderResponse } from './funder.dto.js';
import type { FundingResponse } from './funding.dto.js';
import type { Funder } from '../funder.entity.js';
import type { Funding } from '../funding.entity.js';

export function toFunderResponse(f: Funder): FunderResponse {
  return {
    id: f.id,
    name: f.name,
    kind: f.kind,
    reportingPeriod: f.reportingPeriod,
    reportDueDays: f.reportDueDays,
    version: f.version,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
  };
}

export function toFundingResponse(f: Funding): FundingResponse {
  return {
    id: f.id,
    funderId: f.funderId,
    clusterId: f.clusterId,
    programme: f.programme,
    amount: f.amount,
    currency: f.currency,
    startsOn: f.startsOn,
    endsOn: f.endsOn,
    version: f.version,
    createdAt: f.createdAt.toISOString(),
    updatedAt: f.updatedAt.toISOString(),
    archivedAt: f.archivedAt?.toISOString() ?? null,
  };
}
