import { HttpStatus, Injectable } from '@nestjs/common';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { StatusCounts } from '../reports/dto/report-counts.dto.js';
import { Today } from '../common/calendar.js';
import { Environment } from '../config/environment.js';
import { renderBadge } from './badge.js';
import { PLAN_ITEM_KINDS, sectionOf } from '../plan-item-kinds.js';
import type { AnyPlanItemKind } from '../plan-items/plan-item-kind.js';
import { type Status, STATUSES } from '../plan-items/traffic-light.js';
import { canBeOverdue, countColumn, type DashboardRow, DashboardRepository } from './dashboard.repository.js';
import type { DashboardItem, DashboardQueryDto, DashboardResponse, OverdueCounts } from './dto/dashboard.dto.js';

function worst(...counts: StatusCounts[]): DashboardItem['worstStatus'] {
  if (counts.some((c) => c.red > 0)) return 'red';
  if (counts.some((c) => c.yellow > 0)) return 'yellow';
  if (counts.some((c) => c.green > 0)) return 'green';
  return null;
}

/** The members of an item that are a kind's lights (`goals`, `activities`, …), as the contract names them. */
type KindSection = { [K in keyof DashboardItem]: DashboardItem[K] extends StatusCounts ? K : never }[keyof DashboardItem];

/** The current lights of a kind's items in a cluster's row. */
function lightsOf(r: DashboardRow, kind: AnyPlanItemKind): StatusCounts {
  return Object.fromEntries(STATUSES.map((status) => [status, r[countColumn(kind, status)] as number])) as unknown as StatusCounts;
}

/** A cluster's item: the lights of every kind of plan item by its section (`activities`), and its overdue items of the kinds that have them. */
function toItem(r: DashboardRow): DashboardItem {
  const lights = PLAN_ITEM_KINDS.map((kind) => [sectionOf(kind), lightsOf(r, kind)] as const);
  const overdue = PLAN_ITEM_KINDS.filter(canBeOverdue).map((kind) => [sectionOf(kind), r[countColumn(kind, 'overdue')] as number] as const);
  return {
    cluster: { id: r.id, name: r.name, region: r.region, phase: r.phase },
    ...(Object.fromEntries(lights) as Pick<DashboardItem, KindSection>),
    highRisks: r.high_risks,
    overdue: Object.fromEntries(overdue) as unknown as OverdueCounts,
    stale: r.stale,
    worstStatus: worst(...lights.map(([, counts]) => counts)),
    lastUpdateAt: r.last_update_at?.toISOString() ?? null,
  };
}

/** The lights a cluster's badge sums: those of the kinds that count in it. */
function badgeLights(r: DashboardRow): StatusCounts {
  const kinds = PLAN_ITEM_KINDS.filter((kind) => kind.inBadge !== false).map((kind) => lightsOf(r, kind));
  const sum = (status: Status) => kinds.reduce((total, counts) => total + counts[status], 0);
  return { green: sum('green'), yellow: sum('yellow'), red: sum('red') };
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
    return { svg: renderBadge(row.name, badgeLights(row)), isPublic: row.public_badge };
  }
}
