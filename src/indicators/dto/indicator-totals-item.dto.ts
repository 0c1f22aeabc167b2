import { ApiProperty } from '@nestjs/swagger';
import { AGGREGATIONS, type Aggregation } from '../indicator-definition.entity.js';

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
