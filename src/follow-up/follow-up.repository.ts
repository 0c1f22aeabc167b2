import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { readableClusters, readableFunders } from '../auth/access.js';
import { EXAMPLE_IDS, exampleCaller } from '../auth/example-callers.js';
import type { Caller } from '../auth/role.js';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import { parsePeriod, type ReportPeriod } from '../reports/read/period.js';
import { PLAN_ITEM_KINDS } from '../plan-item-kinds.js';
import { overdueSql } from '../plan-items/overdue.js';
import type { PlanItemState, Status } from '../plan-items/traffic-light.js';
import { type GridColumn, gridColumns } from './intervals.js';
import { dayStartSql, type NeedsUpdateReason, RED_UNCHANGED_DAYS, staleBeforeSql, type SubjectKind } from './rhythm.js';

export interface NeedsUpdateRow {
  total: number;
  type: SubjectKind | null;
  id: string | null;
  cluster_id: string;
  title: string;
  status: Status;
  due_date: string | null;
  last_at: Date;
  red_unchanged: boolean;
  overdue: boolean;
  stale: boolean;
}

export interface GridClusterRow {
  id: string;
  name: string;
}

export interface GridItemRow {
  type: SubjectKind;
  id: string;
  cluster_id: string;
  title: string;
  /** One per column, null where the item has no cell. */
  statuses: (Status | null)[];
  states: (PlanItemState | null)[];
  changes: number[];
}

/** The column of `flagged` that says whether an item has a reason. */
const REASON_COLUMNS: Record<NeedsUpdateReason, string> = { red_unchanged: 'red_unchanged', overdue: 'overdue', stale: 'stale' };

/** Overdue (the one definition of plan-items/overdue.ts) as a boolean, false for an item without a due date. */
const overdue = (due: string, state: string) => `COALESCE(${overdueSql(due, state)}, false)`;

/**
 * The plan items of some clusters (a set `v` of ids) as one set: kind, id,
 * cluster, title, light, due date, and with `withRhythm` whether overdue (which
 * needs :today) and the cluster's cadence (`v.cadence`), for every kind alike
 * (in the order of the kinds, each on alias `i`): its title is its search
 * column; only a kind with a due date and states is ever overdue.
 */
const planItems = (clusters: string, where: (alias: string) => string, withRhythm: boolean) =>
  PLAN_ITEM_KINDS.map((kind, order) => {
    const due = kind.columns.due ? `i.${kind.columns.due}` : 'NULL::date';
    const late = withRhythm && kind.columns.due && kind.states ? overdue(due, 'i.state') : 'false';
    return `
  SELECT '${kind.subjectType}'::text AS type, ${order} AS kind_order, i.id, i.cluster_id, i.${kind.columns.search} AS title,
         i.status::text AS status, ${due} AS due_date, ${late} AS overdue, i.archived_at, ${withRhythm ? 'v.cadence' : 'NULL::int'} AS cadence
  FROM ${kind.table} i JOIN ${clusters} ON v.id = i.cluster_id WHERE ${where('i')}`;
  }).join('\n  UNION ALL');

const EXAMPLE_PERIOD = () => parsePeriod({ period: '2026-Q3' }, 'Europe/Stockholm');

/**
 * The read side of the follow-up rhythm: what needs an update, and the
 * traffic lights over time. Each answer is one statement, however many
 * clusters, items, intervals and history rows there are.
 */
@Injectable()
export class FollowUpRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private query<T>(sql: string, params: Record<string, unknown>): Promise<T[]> {
    return namedQuery<T>(db(this.dataSource), sql, params);
  }

  /**
   * A page of the items that need an update, with the total, in one statement.
   * Staleness needs each item's newest history entry: its one `last_status`
   * row, kept by the history's insert, so the answer reads one row per item
   * and none of the history, however often the plans are written. The
   * total comes on every row, and on the one row of an empty page (whose
   * other columns are null), so a page past the end needs no second count.
   */
  @GenerateSql(
    {
      name: 'the first page, for a viewer key',
      args: () => [exampleCaller('viewer'), {}, { limit: 50, offset: 0 }, '2026-09-30', 'Europe/Stockholm'],
    },
    {
      name: 'stale items of one cluster, for an editor key',
      args: () => [
        exampleCaller('editor'),
        { clusterId: EXAMPLE_IDS.cluster, reason: 'stale' },
        { limit: 20, offset: 40 },
        '2026-09-30',
        'Europe/Stockholm',
      ],
    },
    { name: 'for a funder key', args: () => [exampleCaller('funder'), {}, { limit: 50, offset: 0 }, '2026-09-30', 'Europe/Stockholm'] },
  )
  async needsUpdate(
    caller: Caller,
    filters: { clusterId?: string; reason?: NeedsUpdateReason },
    page: { limit: number; offset: number },
    today: string,
    timeZone: string,
  ): Promise<NeedsUpdateRow[]> {
    const visible = readableClusters(caller, 'c.id');
    const reason = filters.reason ? `AND ${REASON_COLUMNS[filters.reason]}` : '';
    return this.query<NeedsUpdateRow>(
      `WITH v AS MATERIALIZED (
         SELECT c.id, c.update_cadence_days AS cadence FROM cluster c
         WHERE c.archived_at IS NULL AND ${visible.sql} ${filters.clusterId ? 'AND c.id = :clusterId' : ''}),
       items AS (${planItems('v', (a) => `${a}.archived_at IS NULL`, true)}),
       flagged AS MATERIALIZED (
         SELECT k.type, k.id, k.cluster_id, k.title, k.status, k.due_date, k.overdue, l.created_at AS last_at,
                (k.status = 'red' AND l.created_at < ${dayStartSql(String(RED_UNCHANGED_DAYS - 1))}) AS red_unchanged,
                (l.created_at < ${staleBeforeSql('k.cadence')}) AS stale
         FROM items k
         JOIN last_status l ON l.subject_id = k.id),
       listed AS (
         SELECT *, CASE WHEN red_unchanged THEN 0 WHEN overdue THEN 1 ELSE 2 END AS rank,
                red_unchanged::int + overdue::int + stale::int AS weight
         FROM flagged WHERE (red_unchanged OR overdue OR stale) ${reason})
       SELECT t.total, p.* FROM (SELECT count(*)::int AS total FROM listed) t
       LEFT JOIN LATERAL (
         SELECT * FROM listed
         ORDER BY rank, weight DESC, last_at, due_date NULLS LAST, id
         LIMIT :limit OFFSET :offset) p ON true
       ORDER BY p.rank, p.weight DESC, p.last_at, p.due_date NULLS LAST, p.id`,
      { ...visible.params, clusterId: filters.clusterId, today, timeZone, limit: page.limit, offset: page.offset },
    );
  }

  /** The cluster, if the caller may read it (archived ones too: their past stays readable). */
  @GenerateSql({ name: 'a cluster, for an editor key', args: () => [exampleCaller('editor'), EXAMPLE_IDS.cluster] })
  async cluster(caller: Caller, id: string): Promise<GridClusterRow | undefined> {
    const visible = readableClusters(caller, 'c.id');
    const [row] = await this.query<GridClusterRow>(`SELECT c.id, c.name FROM cluster c WHERE c.id = :id AND ${visible.sql}`, {
      id,
      ...visible.params,
    });
    return row;
  }

  /** The funder's name, if the caller may read it. */
  @GenerateSql({ name: 'a funder, for its own key', args: () => [exampleCaller('funder'), EXAMPLE_IDS.funder] })
  async funder(caller: Caller, id: string): Promise<{ id: string; name: string } | undefined> {
    const visible = readableFunders(caller, 'f.id');
    const [row] = await this.query<{ id: string; name: string }>(`SELECT f.id, f.name FROM funder f WHERE f.id = :id AND ${visible.sql}`, {
      id,
      ...visible.params,
    });
    return row;
  }

  /** The clusters the caller may read with a funding from the funder overlapping the period, as a funder report has them. */
  @GenerateSql({
    name: "a funder's clusters in 2026-Q3, for a viewer key",
    args: () => [exampleCaller('viewer'), EXAMPLE_IDS.funder, EXAMPLE_PERIOD()],
  })
  fundedClusters(caller: Caller, funderId: string, period: ReportPeriod): Promise<GridClusterRow[]> {
    const visible = readableClusters(caller, 'c.id');
    return this.query<GridClusterRow>(
      `SELECT c.id, c.name FROM cluster c
       WHERE ${visible.sql} AND EXISTS (
         SELECT 1 FROM funding fd
         WHERE fd.cluster_id = c.id AND fd.funder_id = :funderId AND fd.archived_at IS NULL
           AND fd.starts_on <= :toDate AND fd.ends_on >= :fromDate)
       ORDER BY c.name, c.id`,
      { ...visible.params, funderId, fromDate: period.fromDate, toDate: period.toDate },
    );
  }

  /**
   * Every item of the clusters with its status and state at the end of each
   * column, as of: one lookup on (subject_id, created_at, seq) per item and
   * column, made by PostgreSQL, never a replay of the history in Node. The
   * changes per column come from one range scan on (cluster_id, created_at);
   * the item's creation is not a change. An item is in the grid when its
   * history began by the end of the period and it was not archived before the
   * period began; a cell is empty before the item existed and after it was
   * archived.
   */
  @GenerateSql({
    name: 'two clusters over the months of 2026-Q3',
    args: () => [
      [EXAMPLE_IDS.cluster, EXAMPLE_IDS.otherCluster],
      EXAMPLE_PERIOD(),
      gridColumns(EXAMPLE_PERIOD(), 'month', 'Europe/Stockholm'),
    ],
  })
  grid(clusterIds: string[], period: ReportPeriod, columns: GridColumn[]): Promise<GridItemRow[]> {
    return this.query<GridItemRow>(
      `WITH v AS (SELECT id FROM unnest(CAST(:clusterIds AS uuid[])) AS v(id)),
       cols AS (
         SELECT n::int, col_from, col_to
         FROM unnest(CAST(:froms AS timestamptz[]), CAST(:tos AS timestamptz[])) WITH ORDINALITY AS c(col_from, col_to, n)),
       items AS (${planItems('v', (a) => `(${a}.archived_at IS NULL OR ${a}.archived_at >= :from)`, false)}),
       began AS (
         SELECT i.*, b.created_at AS began_at, b.seq AS began_seq FROM items i
         JOIN LATERAL (
           SELECT su.created_at, su.seq FROM status_update su WHERE su.subject_id = i.id
           ORDER BY su.created_at, su.seq LIMIT 1) b ON true
         WHERE b.created_at <= :to)
       SELECT b.type, b.id, b.cluster_id, b.title, cells.statuses, cells.states, counted.changes
       FROM began b
       CROSS JOIN LATERAL (
         SELECT array_agg(e.status::text ORDER BY c.n) AS statuses, array_agg(e.state::text ORDER BY c.n) AS states
         FROM cols c
         LEFT JOIN LATERAL (
           SELECT su.status, su.state FROM status_update su
           WHERE su.subject_id = b.id AND su.created_at <= c.col_to AND (b.archived_at IS NULL OR b.archived_at >= c.col_from)
           ORDER BY su.created_at DESC, su.seq DESC LIMIT 1) e ON true) cells
       CROSS JOIN LATERAL (
         SELECT array_agg(COALESCE(x.k, 0) ORDER BY c.n) AS changes
         FROM cols c
         LEFT JOIN (
           SELECT width_bucket(su.created_at, CAST(:froms AS timestamptz[])) AS n, count(*)::int AS k
           FROM status_update su
           WHERE su.subject_id = b.id AND su.created_at >= :from AND su.created_at <= :to
             AND (su.created_at, su.seq) <> (b.began_at, b.began_seq)
           GROUP BY 1) x ON x.n = c.n) counted
       ORDER BY array_position(CAST(:clusterIds AS uuid[]), b.cluster_id), b.kind_order, b.began_at, b.id`,
      {
        clusterIds,
        froms: columns.map((c) => c.from.toISOString()),
        tos: columns.map((c) => c.to.toISOString()),
        from: period.from,
        to: period.to,
      },
    );
  }
}
