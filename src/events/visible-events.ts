import { readableClusters, readableFundings, readableSubmissions } from '../auth/access.js';
import type { Caller } from '../auth/role.js';

/**
 * Which revisions a caller may see as events, as SQL on a revision `alias`:
 * those about resources it may read now, by the same rules as their GET.
 * Everything belongs to a cluster, except fundings and submitted reports,
 * which a funder key reads by their funder, and indicator definitions, which
 * every key reads.
 */
export function visibleEvents(caller: Caller, alias: string): { sql: string; params: Record<string, unknown> } {
  const inCluster = readableClusters(caller, `${alias}.cluster_id`);
  const funding = readableFundings(caller, 'fdv');
  const submission = readableSubmissions(caller, 'rsv');
  return {
    sql: `(CASE
      WHEN ${alias}.subject_type::text = 'funding' THEN EXISTS (SELECT 1 FROM funding fdv WHERE fdv.id = ${alias}.subject_id AND ${funding.sql})
      WHEN ${alias}.subject_type::text = 'report_submission'
        THEN EXISTS (SELECT 1 FROM report_submission rsv WHERE rsv.id = ${alias}.subject_id AND ${submission.sql})
      WHEN ${alias}.subject_type::text = 'indicator_definition' THEN TRUE
      ELSE ${inCluster.sql}
    END)`,
    params: { ...inCluster.params, ...funding.params, ...submission.params },
  };
}
