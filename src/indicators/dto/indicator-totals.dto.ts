import { ApiProperty, PickType } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsName } from '../../common/validators.js';
import { ReportQueryDto } from '../../reports/dto/report-query.dto.js';
import { IndicatorTotalsItem } from './indicator-totals-item.dto.js';

/** `period`, or `from` and `to`, as for reports. */
export class IndicatorTotalsQueryDto extends PickType(ReportQueryDto, ['period', 'from', 'to'] as const) {}

export class RegionIndicatorTotalsQueryDto extends IndicatorTotalsQueryDto {
  /** Only the clusters of this region (as it was at the end of the period), e.g. `Gävleborg`. */
  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  region?: string;
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
