import type { TotalsRow } from './indicator-totals.repository.js';
import type { IndicatorTotalsItem } from './dto/indicator-totals-item.dto.js';

/**
 * The items of indicator totals from the rows PostgreSQL added up: one per definition, by code (common definitions
 * before a funder's of the same code), each with its clusters by name. `clusterNames` names the clusters as of the
 * end of the period. Numbers are PostgreSQL's exact decimals, made JSON numbers only here.
 */
export function totalsItems(rows: readonly TotalsRow[], clusterNames: ReadonlyMap<string, string>): IndicatorTotalsItem[] {
  const byDefinition = new Map<string, TotalsRow[]>();
  for (const row of rows) byDefinition.set(row.definition_id, [...(byDefinition.get(row.definition_id) ?? []), row]);
  const order = (a: TotalsRow, b: TotalsRow) =>
    compare(a.code, b.code) || compare(a.funder_id ?? '', b.funder_id ?? '') || compare(a.definition_id, b.definition_id);
  return [...byDefinition.values()]
    .map((group) => group)
    .sort((a, b) => order(a[0], b[0]))
    .map((group) => {
      const d = group[0];
      const clusters = group
        .map((r) => ({ clusterId: r.cluster_id, clusterName: clusterNames.get(r.cluster_id) ?? '', value: Number(r.value) }))
        .sort((a, b) => compare(a.clusterName, b.clusterName) || compare(a.clusterId, b.clusterId));
      const total = Number(d.total);
      const organisations = d.aggregation === 'organisations';
      return {
        definition: { id: d.definition_id, code: d.code, name: d.name, unit: d.unit, aggregation: d.aggregation },
        total,
        byEnterpriseSize:
          organisations && d.breakdown === 'enterprise_size'
            ? { micro: Number(d.micro), small: Number(d.small), medium: Number(d.medium), large: Number(d.large) }
            : null,
        // Integers both: how many organisations the clusters' own counts counted more than once.
        overlap: organisations ? clusters.reduce((sum, c) => sum + c.value, 0) - total : 0,
        clusters,
      };
    });
}

/** Code-point order, the same on every machine and in every locale (names of clusters included). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
