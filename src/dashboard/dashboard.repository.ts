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
import { PLAN_ITEM_KINDS } from '../plan-item-kinds.js';
import type { AnyPlanItemKind } from '../plan-items/plan-item-kind.js';
import { overdueSql } from '../plan-items/overdue.js';
import { type Status, STATUSES, type SubjectType } from '../plan-items/traffic-light.js';
import { HIGH_RISK_SCORE } from '../risks/risk.kind.js';

/**
 * A cluster's row: its lights per kind of plan item as `<table>_green`, `_yellow`, `_red`, and for kinds with a due
 * date and states `<table>_overdue` (`lights` and `overdueColumn` name them).
 */
export interface DashboardRow {
  id: string;
  name: string;
  region: string;
  phase: Phase;
  public_badge: boolean;
  high_risks: number;
  stale: number;
  last_update_at: Date | null;
  [kindCount: string]: unknown;
}

/** The column of a kind's count of a light, or of its overdue items (kinds with a due date and states). */
export const countColumn = (kind: AnyPlanItemKind, count: Status | 'overdue') => `${kind.table}_${count}`;

/** Whether a kind's items can be overdue (a due date and states): the dashboard counts them. */
export const canBeOverdue = (kind: AnyPlanItemKind) => kind.columns.due !== undefined && kind.states !== undefined;

/** What a kind's counts add beyond its lights and overdue items: the open risks with a high score. */
const EXTRA: Partial<Record<SubjectType, { column: string; count: string }>> = {
  risk: { column: 'high_risks', count: `count(*) FILTER (WHERE state = 'open' AND score >= ${HIGH_RISK_SCORE})::int` },
};

/** The counts a kind adds to a cluster's row, each a column and its aggregate over the kind's table. */
function kindCounts(kind: AnyPlanItemKind): { column: string; count: string }[] {
  const extra = EXTRA[kind.subjectType];
  return [
    ...STATUSES.map((status) => ({ column: countColumn(kind, status), count: `count(*) FILTER (WHERE status = '${status}')::int` })),
    ...(canBeOverdue(kind)
      ? [{ column: countColumn(kind, 'overdue'), count: `count(*) FILTER (WHERE ${overdueSql(kind.columns.due!, 'state')})::int` }]
      : []),
    ...(extra ? [extra] : []),
  ];
}

/** The CTE of a kind, `alias`: its counts over its items that are not archived, per cluster of `v`. */
const kindCte = (kind: AnyPlanItemKind, alias: string) => `${alias} AS (SELECT cluster_id, ${kindCounts(kind)
  .map((c) => `${c.count} AS ${c.column}`)
  .join(', ')} FROM ${kind.table}
             WHERE archived_at IS NULL AND cluster_id IN (SELECT id FROM v) GROUP BY cluster_id)`;

/** Each kind of plan item with the alias of its CTE (`k0`, `k1`, …). */
const KINDS = PLAN_ITEM_KINDS.map((kind, i) => ({ kind, alias: `k${i}` }));

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
       ${KINDS.map(({ kind, alias }) => kindCte(kind, alias)).join(',\n       ')},
       st AS (
         SELECT i.cluster_id, count(*)::int AS stale FROM (
           ${PLAN_ITEM_KINDS.map((kind) => `SELECT id, cluster_id FROM ${kind.table} WHERE archived_at IS NULL AND cluster_id IN (SELECT id FROM v)`).join('\n           UNION ALL ')}) i
         JOIN v ON v.id = i.cluster_id
         WHERE NOT EXISTS (
           SELECT 1 FROM last_status ls
           WHERE ls.subject_id = i.id AND ls.cluster_id = v.id AND ls.created_at >= ${staleBeforeSql('v.update_cadence_days')})
         GROUP BY i.cluster_id)
       SELECT v.id, v.name, v.region, v.phase, v.public_badge,
              ${KINDS.flatMap(({ kind, alias }) => kindCounts(kind).map(({ column }) => `coalesce(${alias}.${column}, 0) AS ${column}`)).join(',\n              ')},
              coalesce(st.stale, 0) AS stale,
              lu.created_at AS last_update_at
       FROM v
       ${KINDS.map(({ alias }) => `LEFT JOIN ${alias} ON ${alias}.cluster_id = v.id`).join('\n       ')}
       LEFT JOIN st ON st.cluster_id = v.id
       LEFT JOIN LATERAL (
         SELECT ls.created_at FROM last_status ls WHERE ls.cluster_id = v.id ORDER BY ls.created_at DESC LIMIT 1
       ) lu ON true
       ORDER BY v.name, v.id`,
      { ...where.params, today, timeZone },
    );
  }
}
