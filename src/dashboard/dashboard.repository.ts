import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readableClusters } from '../auth/access.js';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { namedQuery, Where } from '../common/sql.js';
import type { Phase } from '../clusters/cluster.entity.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import { staleBeforeSql } from '../follow-up/rhythm.js';
import { overdueSql } from '../plan-items/overdue.js';
import { HIGH_RISK_SCORE } from '../risks/risk.kind.js';

export interface DashboardRow {
  id: string;
  name: string;
  region: string;
  phase: Phase;
  public_badge: boolean;
  goals_green: number;
  goals_yellow: number;
  goals_red: number;
  activities_green: number;
  activities_yellow: number;
  activities_red: number;
  activities_overdue: number;
  fruits_green: number;
  fruits_yellow: number;
  fruits_red: number;
  fruits_overdue: number;
  risks_green: number;
  risks_yellow: number;
  risks_red: number;
  high_risks: number;
  stale: number;
  last_update_at: Date | null;
}

const lights = (prefix: string) => `
  count(*) FILTER (WHERE status = 'green')::int AS ${prefix}_green,
  count(*) FILTER (WHERE status = 'yellow')::int AS ${prefix}_yellow,
  count(*) FILTER (WHERE status = 'red')::int AS ${prefix}_red`;

const overdue = (due: string) => `count(*) FILTER (WHERE ${overdueSql(due, 'state')})::int`;

/**
 * The traffic lights of many clusters in one statement: counts per cluster, never a query per cluster.
 * Stale items (GET /needs-update's rule) are counted from each item's one `last_status` row (the time of its
 * newest history entry, kept by the history's insert), never from the history itself, whose recent entries grow
 * with how often a plan is written; the last update of a cluster is the newest of its items' rows.
 */
@Injectable()
export class DashboardRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @GenerateSql(
    { name: 'the dashboard of an admin key', args: () => [exampleCaller('admin'), {}, '2026-09-30', 'Europe/Stockholm'] },
    {
      name: 'the dashboard of an editor key, by region and phase',
      args: () => [exampleCaller('editor'), { region: 'Gävleborg', phase: 'mobilisation' }, '2026-09-30', 'Europe/Stockholm'],
    },
    {
      name: "a cluster's badge, with a funder key",
      args: () => [exampleCaller('funder'), { clusterId: EXAMPLE_IDS.cluster }, '2026-09-30', 'Europe/Stockholm'],
    },
    {
      name: "a cluster's badge, without a key",
      args: () => [exampleCaller('viewer'), { clusterId: EXAMPLE_IDS.cluster, publicOnly: true }, '2026-09-30', 'Europe/Stockholm'],
    },
  )
  rows(
    caller: Caller,
    filters: { region?: string; phase?: Phase; clusterId?: string; publicOnly?: boolean },
    today: string,
    timeZone: string,
  ): Promise<DashboardRow[]> {
    // The dashboard shows clusters at work; a badge stays readable after its cluster is archived.
    const where = filters.clusterId ? new Where() : new Where().add('c.archived_at IS NULL');
    if (!filters.publicOnly) {
      const visible = readableClusters(caller, 'c.id');
      where.add(visible.sql, visible.params);
    } else {
      where.add('c.public_badge');
    }
    where
      .when(filters.region, 'lower(c.region) = lower(:region)', { region: filters.region })
      .when(filters.phase, 'c.phase = :phase', { phase: filters.phase })
      .when(filters.clusterId, 'c.id = :clusterId', { clusterId: filters.clusterId });
    return namedQuery<DashboardRow>(
      db(this.dataSource),
      `WITH v AS (SELECT c.id, c.name, c.region, c.phase, c.public_badge, c.update_cadence_days FROM cluster c WHERE ${where.sql}),
       g AS (SELECT cluster_id, ${lights('goals')} FROM goal
             WHERE archived_at IS NULL AND cluster_id IN (SELECT id FROM v) GROUP BY cluster_id),
       a AS (SELECT cluster_id, ${lights('activities')}, ${overdue('due_date')} AS activities_overdue FROM activity
             WHERE archived_at IS NULL AND cluster_id IN (SELECT id FROM v) GROUP BY cluster_id),
       f AS (SELECT cluster_id, ${lights('fruits')}, ${overdue('when_date')} AS fruits_overdue FROM low_hanging_fruit
             WHERE archived_at IS NULL AND cluster_id IN (SELECT id FROM v) GROUP BY cluster_id),
       r AS (SELECT cluster_id, ${lights('risks')},
                    count(*) FILTER (WHERE state = 'open' AND score >= ${HIGH_RISK_SCORE})::int AS high_risks FROM risk
             WHERE archived_at IS NULL AND cluster_id IN (SELECT id FROM v) GROUP BY cluster_id),
       st AS (
         SELECT i.cluster_id, count(*)::int AS stale FROM (
           SELECT id, cluster_id FROM goal WHERE archived_at IS NULL AND cluster_id IN (SELECT id FROM v)
           UNION ALL SELECT id, cluster_id FROM activity WHERE archived_at IS NULL AND cluster_id IN (SELECT id FROM v)
           UNION ALL SELECT id, cluster_id FROM low_hanging_fruit WHERE archived_at IS NULL AND cluster_id IN (SELECT id FROM v)
           UNION ALL SELECT id, cluster_id FROM risk WHERE archived_at IS NULL AND cluster_id IN (SELECT id FROM v)) i
         JOIN v ON v.id = i.cluster_id
         WHERE NOT EXISTS (
           SELECT 1 FROM last_status ls
           WHERE ls.subject_id = i.id AND ls.cluster_id = v.id AND ls.created_at >= ${staleBeforeSql('v.update_cadence_days')})
         GROUP BY i.cluster_id)
       SELECT v.id, v.name, v.region, v.phase, v.public_badge,
              coalesce(g.goals_green, 0) AS goals_green, coalesce(g.goals_yellow, 0) AS goals_yellow, coalesce(g.goals_red, 0) AS goals_red,
              coalesce(a.activities_green, 0) AS activities_green, coalesce(a.activities_yellow, 0) AS activities_yellow,
              coalesce(a.activities_red, 0) AS activities_red, coalesce(a.activities_overdue, 0) AS activities_overdue,
              coalesce(f.fruits_green, 0) AS fruits_green, coalesce(f.fruits_yellow, 0) AS fruits_yellow,
              coalesce(f.fruits_red, 0) AS fruits_red, coalesce(f.fruits_overdue, 0) AS fruits_overdue,
              coalesce(r.risks_green, 0) AS risks_green, coalesce(r.risks_yellow, 0) AS risks_yellow,
              coalesce(r.risks_red, 0) AS risks_red, coalesce(r.high_risks, 0) AS high_risks,
              coalesce(st.stale, 0) AS stale,
              lu.created_at AS last_update_at
       FROM v
       LEFT JOIN g ON g.cluster_id = v.id
       LEFT JOIN a ON a.cluster_id = v.id
       LEFT JOIN f ON f.cluster_id = v.id
       LEFT JOIN r ON r.cluster_id = v.id
       LEFT JOIN st ON st.cluster_id = v.id
       LEFT JOIN LATERAL (
         SELECT ls.created_at FROM last_status ls WHERE ls.cluster_id = v.id ORDER BY ls.created_at DESC LIMIT 1
       ) lu ON true
       ORDER BY v.name, v.id`,
      { ...where.params, today, timeZone },
    );
  }
}
