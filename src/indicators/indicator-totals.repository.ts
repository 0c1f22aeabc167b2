import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { EXAMPLE_IDS } from '../auth/example-callers.js';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import type { Phase } from '../clusters/cluster.entity.js';
import { parsePeriod, type ReportPeriod } from '../reports/read/period.js';
import { firstState, stateAt } from '../revisions/as-of.js';
import type { Aggregation, Breakdown } from './indicator-definition.entity.js';

/** A cluster whose values are added up, as it was at the end of the period. */
export interface TotalsClusterRow {
  id: string;
  name: string;
  region: string;
  phase: Phase;
}

/**
 * One cluster's value of one definition, with the definition (as of the end of the period) and the definition's
 * totals across all the clusters asked about, every number as PostgreSQL's exact decimal text.
 */
export interface TotalsRow {
  definition_id: string;
  code: string;
  name: string;
  unit: string;
  aggregation: Aggregation;
  breakdown: Breakdown | null;
  funder_id: string | null;
  cluster_id: string;
  value: string;
  /** Sum: the sum of the clusters' values; organisations: the distinct organisations across the clusters. */
  total: string;
  micro: string | null;
  small: string | null;
  medium: string | null;
  large: string | null;
}

const q3 = () => parsePeriod({ period: '2026-Q3' }, 'Europe/Stockholm');
const clusters = [EXAMPLE_IDS.cluster, EXAMPLE_IDS.otherCluster];

/**
 * Programme indicator totals, added up in PostgreSQL: one statement for any number of clusters and definitions.
 *
 * A measurement counts for the definition its goal had adopted when it was recorded, when it was recorded by the
 * end of the period (a report's `knownAt`, when later), its goal belongs to one of the clusters and was not archived before the period began. A
 * cluster's value of a `sum` definition is its latest such value measured on or before the end (by day measured,
 * then by when recorded); of an `organisations` definition, the distinct organisations of its measurements with
 * the day measured in the period. Across clusters an organisation counts once, with the enterprise size of its
 * latest measurement (by day measured, then by when recorded).
 */
@Injectable()
export class IndicatorTotalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every cluster as of the end of the period (created by then, not archived before it began), or those of a region then. */
  @GenerateSql({ name: 'all clusters', args: () => [q3(), null] }, { name: 'a region', args: () => [q3(), 'Gävleborg'] })
  clusters(period: ReportPeriod, region: string | null): Promise<TotalsClusterRow[]> {
    return namedQuery<TotalsClusterRow>(
      db(this.dataSource),
      `SELECT s.id, s.name, s.region, s.phase FROM cluster c
       JOIN LATERAL (${stateAt('c', ':to')}) at_end ON true
       CROSS JOIN LATERAL jsonb_populate_record(NULL::cluster, at_end.state) s
       WHERE (s.archived_at IS NULL OR s.archived_at >= :from) AND (CAST(:region AS varchar) IS NULL OR s.region = :region)
       ORDER BY s.name, s.id`,
      { from: period.from, to: period.to, region },
    );
  }

  /**
   * The value of each cluster of each definition that any of them has a value of, with the definition's totals.
   * `funderId`: only the common definitions and that funder's own; null: every definition.
   */
  @GenerateSql(
    { name: 'a funder’s totals', args: () => [clusters, q3(), EXAMPLE_IDS.funder] },
    { name: 'every definition (a region)', args: () => [clusters, q3(), null] },
  )
  totals(ids: string[], period: ReportPeriod, funderId: string | null): Promise<TotalsRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return namedQuery<TotalsRow>(
      db(this.dataSource),
      `WITH counted AS (
         SELECT g.cluster_id, m.id, m.definition_id, d.aggregation, m.value, m.measured_on, m.created_at
         FROM goal g
         JOIN measurement m ON m.goal_id = g.id
         JOIN indicator_definition d ON d.id = m.definition_id
         WHERE g.cluster_id IN (:...ids) AND m.definition_id IS NOT NULL
           AND (g.archived_at IS NULL OR g.archived_at >= :from)
           AND m.created_at <= :knownAt AND m.measured_on <= :toDate
           AND (CAST(:funderId AS uuid) IS NULL OR d.funder_id IS NULL OR d.funder_id = :funderId)
       ),
       latest AS (
         SELECT DISTINCT ON (c.cluster_id, c.definition_id) c.cluster_id, c.definition_id, c.value
         FROM counted c WHERE c.aggregation = 'sum'
         ORDER BY c.cluster_id, c.definition_id, c.measured_on DESC, c.created_at DESC, c.id DESC
       ),
       organisations AS (
         SELECT c.cluster_id, c.definition_id, o.organisation_number, o.enterprise_size, c.measured_on, c.created_at, c.id
         FROM counted c JOIN measurement_organisation o ON o.measurement_id = c.id
         WHERE c.aggregation = 'organisations' AND c.measured_on >= :fromDate
       ),
       per_cluster AS (
         SELECT cluster_id, definition_id, value FROM latest
         UNION ALL
         SELECT cluster_id, definition_id, count(DISTINCT organisation_number)::numeric FROM organisations GROUP BY cluster_id, definition_id
       ),
       sized AS (
         SELECT DISTINCT ON (definition_id, organisation_number) definition_id, organisation_number, enterprise_size
         FROM organisations
         ORDER BY definition_id, organisation_number, measured_on DESC, created_at DESC, id DESC
       ),
       distinct_totals AS (
         SELECT definition_id, count(*) AS total,
                count(*) FILTER (WHERE enterprise_size = 'micro') AS micro, count(*) FILTER (WHERE enterprise_size = 'small') AS small,
                count(*) FILTER (WHERE enterprise_size = 'medium') AS medium, count(*) FILTER (WHERE enterprise_size = 'large') AS large
         FROM sized GROUP BY definition_id
       )
       SELECT p.definition_id, s.code, s.name, s.unit, d.aggregation, d.breakdown, d.funder_id, p.cluster_id, p.value::text AS value,
              (CASE WHEN d.aggregation = 'sum' THEN sum(p.value) OVER (PARTITION BY p.definition_id) ELSE t.total END)::text AS total,
              t.micro::text AS micro, t.small::text AS small, t.medium::text AS medium, t.large::text AS large
       FROM per_cluster p
       JOIN indicator_definition d ON d.id = p.definition_id
       LEFT JOIN LATERAL (${stateAt('d', ':to')}) at_end ON true
       LEFT JOIN LATERAL (${firstState('d')}) at_start ON true
       CROSS JOIN LATERAL jsonb_populate_record(NULL::indicator_definition, COALESCE(at_end.state, at_start.state, to_jsonb(d))) s
       LEFT JOIN distinct_totals t ON t.definition_id = p.definition_id`,
      {
        ids,
        from: period.from,
        to: period.to,
        knownAt: period.knownAt ?? period.to,
        fromDate: period.fromDate,
        toDate: period.toDate,
        funderId,
      },
    );
  }
}
