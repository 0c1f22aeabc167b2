import { Injectable } from '@nestjs/common';
import { asOfRows } from '../../revisions/as-of.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ActorCore, ActorKind, Engagement } from '../../actors/actor.entity.js';
import { EXAMPLE_IDS } from '../../auth/example-callers.js';
import { namedQuery } from '../../common/sql.js';
import { GenerateSql } from '../../database/generate-sql.js';
import { db } from '../../database/transaction-context.js';
import type { RiskState, Status } from '../../plan-items/traffic-light.js';
import { parsePeriod, type ReportPeriod } from './period.js';

export interface RiskRow {
  id: string;
  cluster_id: string;
  title: string;
  likelihood: number;
  impact: number;
  score: number;
  status_at_start: Status | null;
  status_at_end: Status;
  state_at_end: RiskState;
}

export interface ActorCountRow {
  cluster_id: string;
  moment: 'start' | 'end';
  kind: ActorKind;
  core: ActorCore;
  engagement: Engagement;
  count: number;
}

/** The entry of an item's history in force at an instant (as in the reports' other as-of queries). */
const asOf = (alias: string, bound: string, op: '<' | '<=') => `
  SELECT su.status, su.state FROM status_update su
  WHERE su.subject_id = ${alias}.id AND su.created_at ${op} ${bound}
  ORDER BY su.created_at DESC, su.seq DESC LIMIT 1`;

/** The entry of an actor's history in force at an instant: one index lookup on (actor_id, created_at, seq). */
const actorAsOf = (moment: 'start' | 'end', bound: string, op: '<' | '<=') => `
  SELECT '${moment}' AS moment, e.cluster_id, e.kind, e.core, e.engagement, e.archived
  FROM actor a
  JOIN LATERAL (
    SELECT ae.cluster_id, ae.kind, ae.core, ae.engagement, ae.archived FROM actor_engagement ae
    WHERE ae.actor_id = a.id AND ae.created_at ${op} ${bound}
    ORDER BY ae.created_at DESC, ae.seq DESC LIMIT 1) e ON true
  WHERE a.cluster_id IN (:...ids)`;

const q3 = () => parsePeriod({ period: '2026-Q3' }, 'Europe/Stockholm');
const clusters = [EXAMPLE_IDS.cluster, EXAMPLE_IDS.otherCluster];

/**
 * The reports' read model of the risk register and the stakeholder analysis:
 * one statement for the risks, one for the actor counts, however many
 * clusters a report covers.
 */
@Injectable()
export class RisksActorsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Risks as they stood over the period (as of its start and end), greatest score first. */
  @GenerateSql({ name: 'two clusters', args: () => [clusters, q3()] })
  risks(ids: string[], period: ReportPeriod): Promise<RiskRow[]> {
    return namedQuery<RiskRow>(
      db(this.dataSource),
      `SELECT r.id, r.cluster_id, r.title, r.likelihood, r.impact, r.score,
              s.status AS status_at_start, e.status AS status_at_end, e.state AS state_at_end
       FROM ${asOfRows('risk', 'live.cluster_id IN (:...ids)')} r
       JOIN LATERAL (${asOf('r', ':to', '<=')}) e ON true
       LEFT JOIN LATERAL (${asOf('r', ':from', '<')}) s ON true
       WHERE r.archived_at IS NULL OR r.archived_at >= :from
       ORDER BY r.cluster_id, r.score DESC, r.created_at, r.id`,
      { ids, from: period.from, to: period.to, asOf: period.to },
    );
  }

  /**
   * How many actors each cluster had at the start and at the end of the
   * period, by kind, core and engagement as they were then (from their
   * append-only history); actors archived by then are not counted.
   */
  @GenerateSql({ name: 'two clusters', args: () => [clusters, q3()] })
  actorCounts(ids: string[], period: ReportPeriod): Promise<ActorCountRow[]> {
    return namedQuery<ActorCountRow>(
      db(this.dataSource),
      `SELECT x.cluster_id, x.moment, x.kind, x.core, x.engagement, count(*)::int AS count
       FROM (${actorAsOf('start', ':from', '<')} UNION ALL ${actorAsOf('end', ':to', '<=')}) x
       WHERE NOT x.archived
       GROUP BY x.cluster_id, x.moment, x.kind, x.core, x.engagement
       ORDER BY x.cluster_id, x.moment DESC, x.kind, x.core, x.engagement`,
      { ids, from: period.from, to: period.to },
    );
  }
}
