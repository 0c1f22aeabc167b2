import { HttpStatus, Injectable } from '@nestjs/common';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { StatusCounts } from '../reports/dto/report-counts.dto.js';
import { Today } from '../common/calendar.js';
import { Environment } from '../config/environment.js';
import { renderBadge } from './badge.js';
import { type DashboardRow, DashboardRepository } from './dashboard.repository.js';
import type { DashboardItem, DashboardQueryDto, DashboardResponse } from './dto/dashboard.dto.js';

function worst(...counts: StatusCounts[]): DashboardItem['worstStatus'] {
  if (counts.some((c) => c.red > 0)) return 'red';
  if (counts.some((c) => c.yellow > 0)) return 'yellow';
  if (counts.some((c) => c.green > 0)) return 'green';
  return null;
}

function toItem(r: DashboardRow): DashboardItem {
  const goals = { green: r.goals_green, yellow: r.goals_yellow, red: r.goals_red };
  const activities = { green: r.activities_green, yellow: r.activities_yellow, red: r.activities_red };
  const lowHangingFruits = { green: r.fruits_green, yellow: r.fruits_yellow, red: r.fruits_red };
  const risks = { green: r.risks_green, yellow: r.risks_yellow, red: r.risks_red };
  return {
    cluster: { id: r.id, name: r.name, region: r.region, phase: r.phase },
    goals,
    activities,
    lowHangingFruits,
    risks,
    highRisks: r.high_risks,
    overdue: { activities: r.activities_overdue, lowHangingFruits: r.fruits_overdue },
    stale: r.stale,
    worstStatus: worst(goals, activities, lowHangingFruits, risks),
    lastUpdateAt: r.last_update_at?.toISOString() ?? null,
  };
}

@Injectable()
export class DashboardService {
  constructor(
    private readonly repository: DashboardRepository,
    private readonly today: Today,
    private readonly env: Environment,
  ) {}

  async dashboard(caller: Caller, query: DashboardQueryDto): Promise<DashboardResponse> {
    const rows = await this.repository.rows(caller, query, this.today.get(), this.env.REPORT_TIME_ZONE);
    return { items: rows.map(toItem), total: rows.length };
  }

  /**
   * The badge of a cluster: with a key, if the key may read the cluster (404
   * otherwise); without one, only if the cluster shows its badge publicly (401
   * otherwise, the same for unknown and private clusters).
   */
  async badge(caller: Caller | undefined, clusterId: string): Promise<{ svg: string; isPublic: boolean }> {
    const today = this.today.get();
    const [row] = caller
      ? await this.repository.rows(caller, { clusterId }, today, this.env.REPORT_TIME_ZONE)
      : await this.repository.rows(
          { keyId: '', name: '', role: 'viewer', clusterIds: [], funderId: null },
          { clusterId, publicOnly: true },
          today,
          this.env.REPORT_TIME_ZONE,
        );
    if (!row && !caller) {
      throw new DomainError(
        'unauthorized',
        HttpStatus.UNAUTHORIZED,
        'This badge is not public: send an API key that may read the cluster.',
      );
    }
    if (!row) throw DomainError.notFound('The cluster');
    const item = toItem(row);
    const sum = (k: keyof StatusCounts) => item.goals[k] + item.activities[k] + item.lowHangingFruits[k];
    return { svg: renderBadge(row.name, { green: sum('green'), yellow: sum('yellow'), red: sum('red') }), isPublic: row.public_badge };
  }
}
