import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/role.js';
import { Today } from '../common/calendar.js';
import { DomainError } from '../common/domain-error.js';
import type { Page } from '../common/pagination.js';
import { Environment } from '../config/environment.js';
import { parsePeriod, type ReportPeriod } from '../reports/read/period.js';
import type { NeedsUpdateItem, NeedsUpdateQueryDto } from './dto/needs-update.dto.js';
import type { GridRow, StatusGridQueryDto, StatusGridResponse } from './dto/status-grid.dto.js';
import { type GridClusterRow, FollowUpRepository, type GridItemRow, type NeedsUpdateRow } from './follow-up.repository.js';
import { gridColumns } from './intervals.js';
import type { NeedsUpdateReason } from './rhythm.js';

function toNeedsUpdateItem(r: NeedsUpdateRow): NeedsUpdateItem {
  const reasons: NeedsUpdateReason[] = [];
  if (r.red_unchanged) reasons.push('red_unchanged');
  if (r.overdue) reasons.push('overdue');
  if (r.stale) reasons.push('stale');
  return {
    clusterId: r.cluster_id,
    subject: { type: r.type!, id: r.id!, title: r.title },
    reasons,
    status: r.status,
    lastStatusAt: r.last_at.toISOString(),
    dueDate: r.due_date,
  };
}

function toGridRow(r: GridItemRow): GridRow {
  return {
    clusterId: r.cluster_id,
    subject: { type: r.type, id: r.id, title: r.title },
    cells: r.statuses.map((status, i) => (status === null ? null : { status, state: r.states[i] ?? null, changes: r.changes[i] ?? 0 })),
  };
}

/** A status grid and what its file names and headings need. */
export interface StatusGrid {
  grid: StatusGridResponse;
  /** The cluster's or the funder's name. */
  subject: string;
  label: string;
}

/**
 * The follow-up rhythm: which items need an update now, and the traffic
 * lights of a cluster or a funder's portfolio month by month, as of.
 */
@Injectable()
export class FollowUpService {
  constructor(
    private readonly repository: FollowUpRepository,
    private readonly env: Environment,
    private readonly today: Today,
  ) {}

  /** The items that need an update as of `today` (YYYY-MM-DD in REPORT_TIME_ZONE; the real date unless given). */
  async needsUpdate(caller: Caller, query: NeedsUpdateQueryDto, today: string = this.today.get()): Promise<Page<NeedsUpdateItem>> {
    const rows = await this.repository.needsUpdate(
      caller,
      { clusterId: query.clusterId, reason: query.reason },
      { limit: query.limit, offset: query.offset },
      today,
      this.env.REPORT_TIME_ZONE,
    );
    return {
      items: rows.filter((r) => r.id !== null).map(toNeedsUpdateItem),
      total: rows[0]?.total ?? 0,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** The period of a grid, read as a report's (400 naming the field, REPORT_MAX_DAYS at most). */
  period(query: StatusGridQueryDto): ReportPeriod {
    return parsePeriod(query, this.env.REPORT_TIME_ZONE, { maxDays: this.env.REPORT_MAX_DAYS });
  }

  async clusterGrid(caller: Caller, clusterId: string, query: StatusGridQueryDto): Promise<StatusGrid> {
    const period = this.period(query);
    const cluster = await this.repository.cluster(caller, clusterId);
    if (!cluster) throw DomainError.notFound('The cluster');
    return { grid: await this.build([cluster], period, query), subject: cluster.name, label: period.label };
  }

  async funderGrid(caller: Caller, funderId: string, query: StatusGridQueryDto): Promise<StatusGrid> {
    const period = this.period(query);
    const funder = await this.repository.funder(caller, funderId);
    if (!funder) throw DomainError.notFound('The funder');
    const clusters = await this.repository.fundedClusters(caller, funderId, period);
    return { grid: await this.build(clusters, period, query), subject: funder.name, label: period.label };
  }

  private async build(clusters: GridClusterRow[], period: ReportPeriod, query: StatusGridQueryDto): Promise<StatusGridResponse> {
    const interval = query.interval ?? 'month';
    const columns = gridColumns(period, interval, this.env.REPORT_TIME_ZONE);
    const rows =
      clusters.length === 0
        ? []
        : await this.repository.grid(
            clusters.map((c) => c.id),
            period,
            columns,
          );
    return {
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      timeZone: this.env.REPORT_TIME_ZONE,
      interval,
      clusters: clusters.map((c) => ({ id: c.id, name: c.name })),
      columns: columns.map((c) => ({ label: c.label, from: c.from.toISOString(), to: c.to.toISOString() })),
      rows: rows.map(toGridRow),
    };
  }
}
