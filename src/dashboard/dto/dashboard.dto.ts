import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PHASES, type Phase } from '../../clusters/cluster.entity.js';
import { IsName } from '../../common/validators.js';
import { ReportCluster } from '../../reports/dto/report.dto.js';
import { StatusCounts } from '../../reports/dto/report-counts.dto.js';
import { STATUSES, type Status } from '../../plan-items/traffic-light.js';

export class DashboardQueryDto {
  /** Only clusters in this region (case-insensitive), e.g. `Gävleborg`. */
  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  region?: string;

  @IsOptional()
  @IsIn(PHASES)
  @ApiProperty({ required: false, enum: PHASES, enumName: 'Phase' })
  phase?: Phase;
}

export class OverdueCounts {
  @ApiProperty({ example: 1 })
  activities: number;

  @ApiProperty({ example: 0 })
  lowHangingFruits: number;
}

export class DashboardItem {
  @ApiProperty({ type: ReportCluster })
  cluster: ReportCluster;

  /** Current lights of the goals that are not archived. */
  @ApiProperty({ type: StatusCounts })
  goals: StatusCounts;

  @ApiProperty({ type: StatusCounts })
  activities: StatusCounts;

  @ApiProperty({ type: StatusCounts })
  lowHangingFruits: StatusCounts;

  /** Current lights of the risks that are not archived. */
  @ApiProperty({ type: StatusCounts })
  risks: StatusCounts;

  /** Open risks with a score (likelihood × impact) of 15 or more. */
  @ApiProperty({ example: 1 })
  highRisks: number;

  @ApiProperty({ type: OverdueCounts })
  overdue: OverdueCounts;

  /**
   * Goals, activities, fruits and risks (not archived) with no history entry for more than the cluster's `updateCadenceDays`
   * calendar days: the `stale` items of GET /needs-update.
   */
  @ApiProperty({ example: 2 })
  stale: number;

  /** The worst current light of any item (risks included); null for a cluster with no items yet. */
  @ApiProperty({ enum: STATUSES, enumName: 'Status', nullable: true, example: 'yellow' })
  worstStatus: Status | null;

  /** When any item of the cluster last got a status update. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUpdateAt: string | null;
}

export class DashboardResponse {
  @ApiProperty({ type: [DashboardItem] })
  items: DashboardItem[];

  @ApiProperty({ example: 1 })
  total: number;
}
