import type { NarrativeResponse } from './dto/narrative.dto.js';
import type { Narrative } from './narrative.entity.js';

export function toNarrativeResponse(n: Narrative): NarrativeResponse {
  return {
    id: n.id,
    clusterId: n.clusterId,
    period: n.period,
    from: n.firstDay,
    to: n.lastDay,
    summary: n.summary,
    results: n.results,
    deviations: n.deviations,
    nextSteps: n.nextSteps,
    version: n.version,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}
