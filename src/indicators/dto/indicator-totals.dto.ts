import { ApiProperty, PickType } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsName } from '../../common/validators.js';
import { ReportQueryDto } from '../../reports/dto/report.dto.js';
import { AGGREGATIONS, type Aggregation } from '../indicator-definition.entity.js';

/** `period`, or `from` and `to`, as for reports. */
export class IndicatorTotalsQueryDto extends PickType(ReportQueryDto, ['period', 'from', 'to'] as const) {}

export class RegionIndicatorTotalsQueryDto extends IndicatorTotalsQueryDto {
  /** Only the clusters of this region (as it was at the end of the period), e.g. `Gävleborg`. */
  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200, example: 'Gävleborg' })
  region?: string;
}

export class TotalsDefinition {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'RCO01' })
  code: string;

  /** As it was at the end of the period. */
  @ApiProperty({ example: 'Enterprises supported (of which: micro, small, medium, large)' })
  name: string;

  @ApiProperty({ example: 'enterprises' })
  unit: string;

  @ApiProperty({ enum: AGGREGATIONS, enumName: 'IndicatorAggregation', example: 'organisations' })
  aggregation: Aggregation;
}

export class EnterpriseSizeCounts {
  @ApiProperty({ example: 4 })
  micro: number;

  @ApiProperty({ example: 9 })
  small: number;

  @ApiProperty({ example: 3 })
  medium: number;

  @ApiProperty({ example: 1 })
  large: number;
}

export class TotalsCluster {
  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  /** As it was at the end of the period. */
  @ApiProperty({ example: 'Findit' })
  clusterName: string;

  /** Sum: its latest value measured on or before `to`; organisations: its distinct organisations measured in the period. */
  @ApiProperty({ example: 11 })
  value: number;
}

export class IndicatorTotalsItem {
  @ApiProperty({ type: TotalsDefinition })
  definition: TotalsDefinition;

  /** Sum: the clusters' values added up; organisations: each organisation number counted once across the clusters. */
  @ApiProperty({ example: 17 })
  total: number;

  /** The distinct organisations by their latest enterprise size; null unless the definition breaks down by it. */
  @ApiProperty({ type: EnterpriseSizeCounts, nullable: true })
  byEnterpriseSize: EnterpriseSizeCounts | null;

  /** Organisations: the sum of the clusters' values minus `total` (those counted by more than one cluster); sum: 0. */
  @ApiProperty({ example: 3 })
  overlap: number;

  @ApiProperty({ type: [TotalsCluster] })
  clusters: TotalsCluster[];
}

export class IndicatorTotalsResponse {
  @ApiProperty({ type: String, nullable: true, example: '2026-H1' })
  period: string | null;

  @ApiProperty({ format: 'date-time', example: '2025-12-31T23:00:00.000Z' })
  from: string;

  @ApiProperty({ format: 'date-time', example: '2026-06-30T21:59:59.999Z' })
  to: string;

  /** The period has ended: these totals are the same on every pull, byte for byte. */
  @ApiProperty({ example: true })
  complete: boolean;

  /** One per definition any of the clusters has a value of, by code. */
  @ApiProperty({ type: [IndicatorTotalsItem] })
  items: IndicatorTotalsItem[];
}
