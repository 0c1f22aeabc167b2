import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import { transaction } from '../database/transaction-context.js';
import { Environment } from '../config/environment.js';
import { progressPercent } from '../goals/progress.js';
import { isOverdue, type Status } from '../status/traffic-light.js';
import type { ReportChange, ReportClusterSection, ReportFunder, ReportResponse, StatusCounts } from './dto/report.dto.js';
import { parsePeriod, type ReportPeriod } from './period.js';
import { type ChangesRow, type ClusterRow, type ItemRow, ReportsRepository } from './reports.repository.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

function counts(statuses: (Status | null)[]): StatusCounts {
  const c: StatusCounts = { green: 0, yellow: 0, red: 0 };
  for (const s of statuses) if (s) c[s] += 1;
  return c;
}

/**
 * A report ready to send: the report, with each item's changes kept as the
 * JSON text PostgreSQL made of them and spliced in when the whole is written.
 * NUL cannot occur in Styrman's data (validation refuses control characters),
 * so the placeholders cannot be forged by anything a user wrote.
 */
export class ReportDocument {
  constructor(
    readonly report: ReportResponse,
    private readonly raw: string[],
    /** How many changes each item had in the period (for CSV). */
    readonly changeCounts: Map<string, number>,
  ) {}

  json(): string {
    return JSON.stringify(this.report).replace(/"\\u0000raw(\d+)\\u0000"/g, (_, i: string) => this.raw[Number(i)] ?? '[]');
  }
}

/** Became done during the period: done at its end, and not already done at its start. */
function completedIn(item: ItemRow): boolean {
  return item.state_at_end === 'done' && item.state_at_start !== 'done';
}

/**
 * As-of reports: everything in them that the history defines (statuses,
 * states, changes, measured values) is what the history says at the start and
 * end of the period, so the same report pulled again later is the same.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly repository: ReportsRepository,
    private readonly env: Environment,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  period(query: { from?: string; to?: string; period?: string }): ReportPeriod {
    return parsePeriod(query, this.env.REPORT_TIME_ZONE, { maxDays: this.env.REPORT_MAX_DAYS });
  }

  async clusterReport(caller: Caller, clusterId: string, period: ReportPeriod): Promise<ReportDocument> {
    const cluster = await this.repository.cluster(caller, clusterId);
    if (!cluster) throw DomainError.notFound('The cluster');
    return this.build([cluster], period, caller.role === 'funder' ? caller.funderId : null);
  }

  async funderReport(caller: Caller, funderId: string, period: ReportPeriod): Promise<ReportDocument> {
    const funder = await this.repository.funder(caller, funderId);
    if (!funder) throw DomainError.notFound('The funder');
    const clusters = await this.repository.fundedClusters(caller, funderId, period);
    return this.build(clusters, period, funderId, funder);
  }

  private async build(
    clusters: ClusterRow[],
    period: ReportPeriod,
    fundingsOf: string | null,
    funder?: ReportFunder,
  ): Promise<ReportDocument> {
    const head = {
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      timeZone: this.env.REPORT_TIME_ZONE,
      generatedAt: new Date().toISOString(),
    };
    if (clusters.length === 0) return new ReportDocument({ ...head, ...(funder ? { funder } : {}), clusters: [] }, [], new Map());
    const ids = clusters.map((c) => c.id);
    // One snapshot for every section, on one connection: a report never mixes before and after a concurrent write.
    const { fundings, goals, activities, fruits, changes } = await transaction(
      this.dataSource,
      async (manager) => {
        // The changes of a large portfolio are tens of thousands of rows to sort: in memory, not on disk.
        await manager.query(`SET LOCAL work_mem = '64MB'`);
        return {
          fundings: await this.repository.fundings(ids, period, fundingsOf),
          goals: await this.repository.goals(ids, period),
          activities: await this.repository.activities(ids, period),
          fruits: await this.repository.lowHangingFruits(ids, period),
          changes: await this.repository.changes(ids, period),
        };
      },
      'REPEATABLE READ',
    );

    const changesOf = new Map<string, ChangesRow>(changes.map((c) => [c.subject_id, c]));
    const raw: string[] = [];
    const changeCounts = new Map<string, number>();
    const changeList = (id: string): ReportChange[] => {
      const c = changesOf.get(id);
      if (!c) return [];
      changeCounts.set(id, c.count);
      raw.push(c.changes);
      return `\u0000raw${raw.length - 1}\u0000` as unknown as ReportChange[];
    };

    const sections = new Map<string, ReportClusterSection>(
      clusters.map((c) => [
        c.id,
        {
          cluster: { id: c.id, name: c.name, region: c.region, phase: c.phase },
          fundings: [],
          summary: {
            goals: { start: counts([]), end: counts([]) },
            activities: { start: counts([]), end: counts([]), completed: 0, overdue: 0 },
            lowHangingFruits: { start: counts([]), end: counts([]), completed: 0, overdue: 0 },
          },
          goals: [],
          activities: [],
          lowHangingFruits: [],
        },
      ]),
    );
    for (const f of fundings) {
      sections.get(f.cluster_id)?.fundings.push({
        id: f.id,
        funderId: f.funder_id,
        programme: f.programme,
        amount: f.amount,
        currency: f.currency,
        startsOn: f.starts_on,
        endsOn: f.ends_on,
      });
    }
    for (const g of goals) {
      const indicator =
        g.indicator_unit !== null && g.indicator_baseline !== null && g.indicator_target !== null
          ? {
              unit: g.indicator_unit,
              baseline: Number(g.indicator_baseline),
              target: Number(g.indicator_target),
              latestValue: g.latest_value === null ? null : Number(g.latest_value),
              latestMeasuredOn: g.latest_measured_on,
              progressPercent: progressPercent(
                Number(g.indicator_baseline),
                Number(g.indicator_target),
                g.latest_value === null ? null : Number(g.latest_value),
              ),
            }
          : null;
      sections.get(g.cluster_id)?.goals.push({
        id: g.id,
        title: g.title,
        horizon: g.horizon,
        perspective: g.perspective,
        contributesToGoalId: g.contributes_to_goal_id,
        statusAtStart: g.status_at_start,
        statusAtEnd: g.status_at_end,
        changes: changeList(g.id),
        indicator,
      });
    }
    const overdueAtEnd = (item: ItemRow) => isOverdue(item.due_date, item.state_at_end, period.toDate);
    for (const a of activities) {
      sections.get(a.cluster_id)?.activities.push({
        id: a.id,
        title: a.title,
        goalId: a.goal_id,
        dueDate: a.due_date,
        stateAtEnd: a.state_at_end,
        statusAtStart: a.status_at_start,
        statusAtEnd: a.status_at_end,
        changes: changeList(a.id),
        completedInPeriod: completedIn(a),
        overdueAtEnd: overdueAtEnd(a),
      });
    }
    for (const f of fruits) {
      sections.get(f.cluster_id)?.lowHangingFruits.push({
        id: f.id,
        what: f.title,
        when: f.due_date!,
        stateAtEnd: f.state_at_end,
        statusAtStart: f.status_at_start,
        statusAtEnd: f.status_at_end,
        changes: changeList(f.id),
        completedInPeriod: completedIn(f),
        overdueAtEnd: overdueAtEnd(f),
      });
    }
    for (const s of sections.values()) {
      s.summary.goals = { start: counts(s.goals.map((g) => g.statusAtStart)), end: counts(s.goals.map((g) => g.statusAtEnd)) };
      for (const [key, items] of [
        ['activities', s.activities],
        ['lowHangingFruits', s.lowHangingFruits],
      ] as const) {
        s.summary[key] = {
          start: counts(items.map((i) => i.statusAtStart)),
          end: counts(items.map((i) => i.statusAtEnd)),
          completed: items.filter((i) => i.completedInPeriod).length,
          overdue: items.filter((i) => i.overdueAtEnd).length,
        };
      }
    }
    return new ReportDocument({ ...head, ...(funder ? { funder } : {}), clusters: [...sections.values()] }, raw, changeCounts);
  }
}
