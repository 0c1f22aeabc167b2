import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../auth/role.js';
import { readableClusters, readableFunders } from '../../auth/access.js';
import { EXAMPLE_IDS, exampleCaller } from '../../auth/example-callers.js';
import { namedQuery } from '../../common/sql.js';
import { GenerateSql } from '../../database/generate-sql.js';
import { db } from '../../database/transaction-context.js';
import { fieldOf, PLAN_ITEM_KINDS } from '../../plan-item-kinds.js';
import { asOfRows, firstState, stateAt } from '../../revisions/as-of.js';
import type { FunderKind } from '../../funders/funder.entity.js';
import type { Horizon, Perspective } from '../../goals/goal.entity.js';
import type { Phase } from '../../clusters/cluster.entity.js';
import { type ItemState, type Status, SUBJECT_TYPES } from '../../plan-items/traffic-light.js';
import { parsePeriod, type ReportPeriod } from './period.js';
import { DATED_KINDS, type DatedKind } from '../report-kinds.js';

export interface ClusterRow {
  id: string;
  name: string;
  region: string;
  phase: Phase;
}

export interface FundingRow {
  id: string;
  funder_id: string;
  cluster_id: string;
  programme: string;
  amount: string;
  currency: string;
  starts_on: string;
  ends_on: string;
}

interface AsOf {
  id: string;
  cluster_id: string;
  status_at_start: Status | null;
  status_at_end: Status;
}

export interface GoalRow extends AsOf {
  title: string;
  horizon: Horizon;
  perspective: Perspective | null;
  contributes_to_goal_id: string | null;
  due_date: string | null;
  indicator_unit: string | null;
  indicator_baseline: string | null;
  indicator_target: string | null;
  /** The milestones due in the period, in date order, each with the value measured by then (as recorded by the end). */
  milestones: { on: string; target: number; actual: number | null }[];
  latest_value: string | null;
  latest_measured_on: string | null;
}

export interface ItemRow extends AsOf {
  title: string;
  goal_id: string | null;
  due_date: string | null;
  state_at_start: ItemState | null;
  state_at_end: ItemState;
}

/** An item's replans in the period, as the JSON array the report sends, built by PostgreSQL. */
export interface ReplansRow {
  subject_id: string;
  replanned: string;
}

/** An item's changes in the period, as the JSON array the report sends, built by PostgreSQL. */
export interface ChangesRow {
  subject_id: string;
  count: number;
  changes: string;
}

/** A cluster's narrative of the period, as it stood at the moment the report is known at. */
export interface NarrativeRow {
  id: string;
  cluster_id: string;
  period: string;
  summary: string | null;
  results: string | null;
  deviations: string | null;
  next_steps: string | null;
  version: number;
}

/** The newest comment of an item as of the end of a period. */
export interface LatestCommentRow {
  subject_id: string;
  comment: string;
}

/** A timestamp as the API writes it: ISO 8601 in UTC with milliseconds. */
const ISO_UTC = `to_char(su.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The entry of an item's history in force at an instant: one index lookup on
 * (subject_id, created_at, seq) per item, whatever the length of the history.
 */
const asOf = (alias: string, bound: string, op: '<' | '<=') => `
  SELECT su.status, su.state FROM status_update su
  WHERE su.subject_id = ${alias}.id AND su.created_at ${op} ${bound}
  ORDER BY su.created_at DESC, su.seq DESC LIMIT 1`;

/**
 * Items as they stood at the end of a period (`asOfRows` at `:asOf`, bound to
 * `to`): an item is in the report when it existed by the end of the period
 * (created after it: absent) and it was not archived before the period began.
 */
const existedDuring = (alias: string) => `(${alias}.archived_at IS NULL OR ${alias}.archived_at >= :from)`;

/**
 * The subject of a report (a cluster, a funder) as it was at `:to`; one
 * created after the period as it was created, so that a report on a period
 * before it existed still names it, and the same way on every pull.
 */
const subjectAtEnd = (table: string, alias: string) => `
  LEFT JOIN LATERAL (${stateAt(alias, ':to')}) at_end ON true
  LEFT JOIN LATERAL (${firstState(alias)}) at_start ON true
  CROSS JOIN LATERAL jsonb_populate_record(NULL::"${table}", COALESCE(at_end.state, at_start.state, to_jsonb(${alias}))) s`;

/**
 * The fields a replan is about, per kind (its descriptor's `replanned` columns): the subject type, the order a report
 * lists them in, the API's name and the stored column.
 */
const REPLANNED_FIELDS = `(VALUES ${PLAN_ITEM_KINDS.flatMap((kind) =>
  (kind.replanned ?? []).map((column, i) => `('${kind.subjectType}', ${i + 1}, '${fieldOf(kind, column)}', '${column}')`),
).join(', ')})`;

/** Every kind of plan item's subject type, as an SQL list. */
const PLAN_ITEM_TYPES = SUBJECT_TYPES.map((type) => `'${type}'`).join(', ');

/** The example period of `npm run sql`: the third quarter of 2026 in Stockholm. */
const q3 = () => parsePeriod({ period: '2026-Q3' }, 'Europe/Stockholm');
const clusters = [EXAMPLE_IDS.cluster, EXAMPLE_IDS.otherCluster];

/**
 * The read model behind as-of reports: a fixed handful of set-based queries
 * over the plan tables and the history, however many clusters, items and
 * status updates there are.
 */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private query<T>(sql: string, params: Record<string, unknown>): Promise<T[]> {
    return namedQuery<T>(db(this.dataSource), sql, params);
  }

  /** The cluster if the caller may read it. */
  @GenerateSql(
    { name: 'an admin key', args: () => [exampleCaller('admin'), EXAMPLE_IDS.cluster, q3()] },
    { name: 'an editor key', args: () => [exampleCaller('editor'), EXAMPLE_IDS.cluster, q3()] },
    { name: 'a funder key', args: () => [exampleCaller('funder'), EXAMPLE_IDS.cluster, q3()] },
  )
  async cluster(caller: Caller, id: string, period?: ReportPeriod): Promise<ClusterRow | undefined> {
    const visible = readableClusters(caller, 'c.id');
    const [row] = await this.query<ClusterRow>(
      `SELECT s.id, s.name, s.region, s.phase FROM cluster c ${subjectAtEnd('cluster', 'c')}
       WHERE c.id = :id AND ${visible.sql}`,
      { id, to: period?.to ?? new Date(), ...visible.params },
    );
    return row;
  }

  /** The clusters the caller may read with a funding from the funder overlapping the period. */
  @GenerateSql(
    { name: 'an admin key', args: () => [exampleCaller('admin'), EXAMPLE_IDS.funder, q3()] },
    { name: 'a funder key', args: () => [exampleCaller('funder'), EXAMPLE_IDS.funder, q3()] },
  )
  async fundedClusters(caller: Caller, funderId: string, period: ReportPeriod): Promise<ClusterRow[]> {
    const visible = readableClusters(caller, 'c.id');
    return this.query<ClusterRow>(
      `SELECT s.id, s.name, s.region, s.phase FROM cluster c ${subjectAtEnd('cluster', 'c')}
       WHERE ${visible.sql} AND EXISTS (
         SELECT 1 FROM ${asOfRows('funding', 'live.cluster_id = c.id AND live.funder_id = :funderId')} fd
         WHERE fd.archived_at IS NULL AND fd.starts_on <= :toDate AND fd.ends_on >= :fromDate)
       ORDER BY s.name, s.id`,
      { ...visible.params, funderId, to: period.to, asOf: period.to, fromDate: period.fromDate, toDate: period.toDate },
    );
  }

  /** The funder if the caller may read it. */
  @GenerateSql(
    { name: 'an admin key', args: () => [exampleCaller('admin'), EXAMPLE_IDS.funder, q3()] },
    { name: 'an editor key', args: () => [exampleCaller('editor'), EXAMPLE_IDS.funder, q3()] },
  )
  async funder(caller: Caller, id: string, period?: ReportPeriod): Promise<{ id: string; name: string; kind: FunderKind } | undefined> {
    const visible = readableFunders(caller, 'f.id');
    const [row] = await this.query<{ id: string; name: string; kind: FunderKind }>(
      `SELECT s.id, s.name, s.kind FROM funder f ${subjectAtEnd('funder', 'f')} WHERE f.id = :id AND ${visible.sql}`,
      { id, to: period?.to ?? new Date(), ...visible.params },
    );
    return row;
  }

  @GenerateSql(
    { name: 'all funders (a cluster report)', args: () => [clusters, q3(), null] },
    { name: 'one funder (a funder report, or a funder key)', args: () => [clusters, q3(), EXAMPLE_IDS.funder] },
  )
  fundings(ids: string[], period: ReportPeriod, funderId: string | null): Promise<FundingRow[]> {
    return this.query<FundingRow>(
      `SELECT fd.id, fd.funder_id, fd.cluster_id, fd.programme, fd.amount, fd.currency, fd.starts_on, fd.ends_on
       FROM ${asOfRows('funding', 'live.cluster_id IN (:...ids)')} fd
       WHERE fd.archived_at IS NULL
         AND fd.starts_on <= :toDate AND fd.ends_on >= :fromDate
         AND (CAST(:funderId AS uuid) IS NULL OR fd.funder_id = :funderId)
       ORDER BY fd.starts_on, fd.id`,
      { ids, asOf: period.to, fromDate: period.fromDate, toDate: period.toDate, funderId },
    );
  }

  @GenerateSql({ name: 'two clusters', args: () => [clusters, q3()] })
  goals(ids: string[], period: ReportPeriod): Promise<GoalRow[]> {
    return this.query<GoalRow>(
      `SELECT g.id, g.cluster_id, g.title, g.horizon, g.perspective, g.contributes_to_goal_id, g.due_date,
              g.indicator_unit, g.indicator_baseline, g.indicator_target,
              s.status AS status_at_start, e.status AS status_at_end,
              m.value AS latest_value, m.measured_on AS latest_measured_on,
              COALESCE(ms.milestones, '[]') AS milestones
       FROM ${asOfRows('goal', 'live.cluster_id IN (:...ids)')} g
       JOIN LATERAL (${asOf('g', ':to', '<=')}) e ON true
       LEFT JOIN LATERAL (${asOf('g', ':from', '<')}) s ON true
       LEFT JOIN LATERAL (
         SELECT m.value, m.measured_on FROM measurement m
         WHERE m.goal_id = g.id AND m.measured_on <= :toDate AND m.created_at <= :knownAt
         ORDER BY m.measured_on DESC, m.created_at DESC LIMIT 1) m ON true
       LEFT JOIN LATERAL (
         SELECT json_agg(json_build_object('on', d."on", 'target', d.target, 'actual', a.value) ORDER BY d."on") AS milestones
         FROM jsonb_to_recordset(g.indicator_milestones) AS d("on" date, target numeric)
         LEFT JOIN LATERAL (
           SELECT mm.value FROM measurement mm
           WHERE mm.goal_id = g.id AND mm.measured_on <= d."on" AND mm.created_at <= :knownAt
           ORDER BY mm.measured_on DESC, mm.created_at DESC LIMIT 1) a ON true
         WHERE d."on" >= :fromDate AND d."on" <= :toDate) ms ON true
       WHERE ${existedDuring('g')}
       ORDER BY g.cluster_id, g.horizon DESC, g.created_at, g.id`,
      {
        ids,
        from: period.from,
        to: period.to,
        asOf: period.to,
        knownAt: period.knownAt ?? period.to,
        fromDate: period.fromDate,
        toDate: period.toDate,
      },
    );
  }

  /** The items of a kind a report lists as dated items with a state: its title and due columns as `title` and `due_date`. */
  @GenerateSql(...DATED_KINDS.map((dated) => ({ name: `${dated.section}, two clusters`, args: () => [dated, clusters, q3()] })))
  datedItems(dated: DatedKind, ids: string[], period: ReportPeriod): Promise<ItemRow[]> {
    const { table, columns } = dated.kind;
    return this.items(table, `a.${columns.search}`, `a.${columns.due}`, ids, period);
  }

  private items(table: string, title: string, due: string, ids: string[], period: ReportPeriod): Promise<ItemRow[]> {
    return this.query<ItemRow>(
      `SELECT a.id, a.cluster_id, ${title} AS title, a.goal_id, ${due} AS due_date,
              s.status AS status_at_start, s.state AS state_at_start, e.status AS status_at_end, e.state AS state_at_end
       FROM ${asOfRows(table, 'live.cluster_id IN (:...ids)')} a
       JOIN LATERAL (${asOf('a', ':to', '<=')}) e ON true
       LEFT JOIN LATERAL (${asOf('a', ':from', '<')}) s ON true
       WHERE ${existedDuring('a')}
       ORDER BY a.cluster_id, ${due} NULLS LAST, a.created_at, a.id`,
      { ids, from: period.from, to: period.to, asOf: period.to },
    );
  }

  /**
   * What was replanned in the clusters within the period: every `updated` revision of an item in it (one range
   * scan on (cluster_id, recorded_at)) against the revision before it (one index lookup each), field by field,
   * grouped per item into the JSON the report sends, oldest first. Only a PATCH (`updated`) changes a replanned
   * field: status updates (`status`, by far the most revisions) and archiving never do, so they are not compared.
   */
  @GenerateSql({ name: 'two clusters', args: () => [clusters, q3()] })
  replans(ids: string[], period: ReportPeriod): Promise<ReplansRow[]> {
    return this.query<ReplansRow>(
      `SELECT r.subject_id,
              json_agg(json_build_object('field', v.field, 'from', p.state -> v.col, 'to', r.state -> v.col,
                                         'recordedAt', to_char(r.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                                         'author', r.author)
                       ORDER BY r.recorded_at, r.position, v.ord)::text AS replanned
       FROM revision r
       JOIN LATERAL (
         SELECT p.state FROM revision p
         WHERE p.subject_id = r.subject_id AND (p.recorded_at, p.position) < (r.recorded_at, r.position)
         ORDER BY p.recorded_at DESC, p.position DESC LIMIT 1) p ON true
       CROSS JOIN LATERAL ${REPLANNED_FIELDS} v(type, ord, field, col)
       WHERE r.cluster_id IN (:...ids) AND r.recorded_at >= :from AND r.recorded_at <= :to
         AND r.subject_type IN (${PLAN_ITEM_TYPES}) AND r.kind = 'updated'
         AND v.type = r.subject_type::text AND r.state ? v.col AND (p.state -> v.col) IS DISTINCT FROM (r.state -> v.col)
       GROUP BY r.subject_id`,
      { ids, from: period.from, to: period.to },
    );
  }

  /**
   * Every history entry of the clusters within the period, oldest first, one range scan on
   * (cluster_id, created_at), grouped per item into the JSON the report sends. A large portfolio
   * has tens of thousands of changes: made into JSON here, they never become objects in Node.
   * Each change is written as text, byte for byte what `json_agg(json_build_object(…))` writes
   * (`{"status" : "red", …}`, joined by `, `; strings escaped by `to_json`): a third less work per
   * change than building JSON values and printing them again.
   */
  @GenerateSql({ name: 'two clusters', args: () => [clusters, q3()] })
  changes(ids: string[], period: ReportPeriod): Promise<ChangesRow[]> {
    return this.query<ChangesRow>(
      `SELECT su.subject_id, count(*)::int AS count,
              '[' || string_agg('{"status" : ' || to_json(su.status)::text
                || CASE WHEN su.subject_type = 'goal' THEN '' ELSE ', "state" : ' || COALESCE(to_json(su.state)::text, 'null') END
                || ', "comment" : ' || COALESCE(to_json(su.comment)::text, 'null')
                || ', "author" : ' || to_json(su.author)::text
                || ', "createdAt" : "' || ${ISO_UTC} || '"}', ', ' ORDER BY su.created_at, su.seq) || ']' AS changes
       FROM status_update su
       WHERE su.cluster_id IN (:...ids) AND su.created_at >= :from AND su.created_at <= :to
       GROUP BY su.subject_id`,
      { ids, from: period.from, to: period.to },
    );
  }

  /**
   * The narratives of the clusters for the period (the year, half or quarter running over exactly its days), each
   * as it stood at the moment the report is known at (`knownAt`, default `to`): one index lookup per narrative.
   */
  @GenerateSql({ name: 'two clusters', args: () => [clusters, q3()] })
  narratives(ids: string[], period: ReportPeriod): Promise<NarrativeRow[]> {
    return this.query<NarrativeRow>(
      `SELECT n.id, n.cluster_id, n.period, n.summary, n.results, n.deviations, n.next_steps, n.version
       FROM ${asOfRows('narrative', 'live.cluster_id IN (:...ids) AND live.first_day = :fromDate AND live.last_day = :toDate')} n`,
      { ids, asOf: period.knownAt ?? period.to, fromDate: period.fromDate, toDate: period.toDate },
    );
  }

  /**
   * The newest comment of each item of the clusters as of the end of the period (for the
   * spreadsheet forms of a report): the latest history entry with a comment recorded by `to`.
   */
  @GenerateSql({ name: 'two clusters', args: () => [clusters, q3()] })
  latestComments(ids: string[], period: ReportPeriod): Promise<LatestCommentRow[]> {
    return this.query<LatestCommentRow>(
      `SELECT DISTINCT ON (su.subject_id) su.subject_id, su.comment
       FROM status_update su
       WHERE su.cluster_id IN (:...ids) AND su.created_at <= :to AND su.comment IS NOT NULL AND su.comment <> ''
       ORDER BY su.subject_id, su.created_at DESC, su.seq DESC`,
      { ids, to: period.to },
    );
  }
}
