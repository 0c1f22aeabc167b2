import type { ReportPeriod } from '../read/period.js';
import type { AssembledSection, DatedSection } from '../report-document.js';
import { DATED_KINDS } from '../report-kinds.js';
import {
  changeLists,
  replanLists,
  toReportCluster,
  toReportDated,
  toReportFunding,
  toReportGoal,
  toReportNarrative,
} from './report-items.js';
import type { ReportRows } from '../read/report-query.js';
import { actorCountsOf, riskCounts, toReportRisk } from './report-risks.js';
import { summarise } from './report-summary.js';
import type { ClusterRow } from '../read/reports.repository.js';

/** Groups rows by the cluster they belong to, keeping their order. */
function byCluster<T extends { cluster_id: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.cluster_id);
    if (group) group.push(row);
    else groups.set(row.cluster_id, [row]);
  }
  return groups;
}

/** The sections of the clusters, in the clusters' order, made of the rows read for them. */
export function assemble(clusters: ClusterRow[], rows: ReportRows, period: ReportPeriod): AssembledSection[] {
  const changes = changeLists(rows.changes);
  const replans = replanLists(rows.replans);
  const fundings = byCluster(rows.fundings);
  const goals = byCluster(rows.goals);
  const dated = DATED_KINDS.map((kind) => ({ kind, rows: byCluster(rows[kind.section]) }));
  const risks = byCluster(rows.risks);
  const actors = actorCountsOf(rows.actorCounts);
  const narratives = new Map(rows.narratives.map((n) => [n.cluster_id, toReportNarrative(n)]));
  return clusters.map((c) => {
    const items = {
      goals: (goals.get(c.id) ?? []).map((g) => toReportGoal(g, changes(g.id), replans(g.id))),
      ...Object.fromEntries(
        dated.map(({ kind, rows: byId }) => [
          kind.section,
          (byId.get(c.id) ?? []).map((i) => toReportDated(kind, i, changes(i.id), replans(i.id), period.toDate)),
        ]),
      ),
    } as Pick<AssembledSection, 'goals' | DatedSection>;
    const clusterRisks = (risks.get(c.id) ?? []).map((r) => toReportRisk(r, changes(r.id), replans(r.id)));
    return {
      cluster: toReportCluster(c),
      // Only a cluster with a narrative for the period has the member: a report without one keeps the bytes it always had.
      ...(narratives.has(c.id) ? { narrative: narratives.get(c.id) } : {}),
      fundings: (fundings.get(c.id) ?? []).map(toReportFunding),
      summary: { ...summarise(items), risks: riskCounts(clusterRisks) },
      ...items,
      risks: clusterRisks,
      actors: actors(c.id),
    };
  });
}
