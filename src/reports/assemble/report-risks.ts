import { HIGH_RISK_SCORE } from '../../risks/risk.kind.js';
import type { ReportActors } from '../dto/report.dto.js';
import type { RiskCounts } from '../dto/report-counts.dto.js';
import type { AssembledRisk, ChangeList, ReplanList } from '../report-document.js';
import { counts } from './report-summary.js';
import type { ActorCountRow, RiskRow } from '../read/risks-actors.repository.js';

/**
 * The risk register and the stakeholder analysis in a report, apart from the
 * rest of the report so that either changes on its own.
 */
export function toReportRisk(r: RiskRow, changes: ChangeList, replanned: ReplanList): AssembledRisk {
  return {
    id: r.id,
    title: r.title,
    likelihood: r.likelihood,
    impact: r.impact,
    score: r.score,
    stateAtEnd: r.state_at_end,
    statusAtStart: r.status_at_start,
    statusAtEnd: r.status_at_end,
    changes,
    replanned,
  };
}

/** The risks' lights at the start and end, and how many were open at the end with a high score. */
export function riskCounts(risks: AssembledRisk[]): RiskCounts {
  return {
    start: counts(risks.map((r) => r.statusAtStart)),
    end: counts(risks.map((r) => r.statusAtEnd)),
    highRisks: risks.filter((r) => r.stateAtEnd === 'open' && r.score >= HIGH_RISK_SCORE).length,
  };
}

/** The actor counts of each cluster, at the start and the end of the period. */
export function actorCountsOf(rows: ActorCountRow[]): (clusterId: string) => ReportActors {
  const byCluster = new Map<string, ReportActors>();
  for (const { cluster_id, moment, kind, core, engagement, count } of rows) {
    let actors = byCluster.get(cluster_id);
    if (!actors) byCluster.set(cluster_id, (actors = { start: [], end: [] }));
    actors[moment].push({ kind, core, engagement, count });
  }
  return (clusterId) => byCluster.get(clusterId) ?? { start: [], end: [] };
}
