import { ApiProperty, getSchemaPath, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ReportQueryDto } from '../../reports/dto/report-query.dto.js';
import { REPORT_LANGUAGES, type ReportLanguage } from '../../reports/render/report-languages.js';
import { PLAN_ITEM_STATES, type PlanItemState, STATUSES, type Status } from '../../plan-items/traffic-light.js';
import { GRID_INTERVALS, type GridInterval } from '../intervals.js';
import { FollowUpSubject } from './needs-update.dto.js';

export const GRID_FORMATS = ['json', 'csv', 'svg'] as const;
export type GridFormat = (typeof GRID_FORMATS)[number];

export class StatusGridQueryDto extends PickType(ReportQueryDto, ['from', 'to', 'period', 'delimiter'] as const) {
  /** One column per month (default) or per quarter of the reporting time zone. */
  @IsOptional()
  @IsIn(GRID_INTERVALS)
  @ApiProperty({ required: false, enum: GRID_INTERVALS, enumName: 'GridInterval', default: 'month' })
  interval?: GridInterval;

  /** `json`, `csv` or `svg` (a heat map); wins over the Accept header. */
  @IsOptional()
  @IsIn(GRID_FORMATS)
  @ApiProperty({ required: false, enum: GRID_FORMATS })
  format?: GridFormat;

  /**
   * CSV and SVG: the language of headers, headings and values (`sv`: `grön`/`gul`/`röd`, `aktivitet`, …), as in the
   * reports; wins over Accept-Language. English by default. JSON is always in codes.
   */
  @IsOptional()
  @IsIn(REPORT_LANGUAGES)
  @ApiProperty({ required: false, enum: REPORT_LANGUAGES })
  lang?: ReportLanguage;
}

export class GridColumnResponse {
  @ApiProperty({ example: '2026-03' })
  label: string;

  /** The first instant of the interval within the period. */
  @ApiProperty({ format: 'date-time', example: '2026-02-28T23:00:00.000Z' })
  from: string;

  /** The last instant of the interval within the period: the cells show the status in force then. */
  @ApiProperty({ format: 'date-time', example: '2026-03-31T21:59:59.999Z' })
  to: string;
}

export class GridCell {
  @ApiProperty({ enum: STATUSES, enumName: 'Status' })
  status: Status;

  /** Activities, fruits and risks (a risk's own states: open, mitigated, occurred, closed); null for goals. */
  @ApiProperty({ enum: PLAN_ITEM_STATES, enumName: 'PlanItemState', nullable: true })
  state: PlanItemState | null;

  /** History entries in the interval, its creation not counted. */
  @ApiProperty({ example: 1 })
  changes: number;
}

export class GridRow {
  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  @ApiProperty({ type: FollowUpSubject })
  subject: FollowUpSubject;

  /** One per column: null where the item did not exist yet at the end of the interval, or had been archived before it began. */
  @ApiProperty({
    type: 'array',
    items: { anyOf: [{ $ref: getSchemaPath(GridCell) }, { type: 'object', nullable: true, enum: [null] }] },
  })
  cells: (GridCell | null)[];
}

export class GridCluster {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Findit' })
  name: string;
}

export class StatusGridResponse {
  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;

  @ApiProperty({ example: 'Europe/Stockholm' })
  timeZone: string;

  @ApiProperty({ enum: GRID_INTERVALS, enumName: 'GridInterval' })
  interval: GridInterval;

  /** The clusters of the rows, in the order the rows come. */
  @ApiProperty({ type: [GridCluster] })
  clusters: GridCluster[];

  @ApiProperty({ type: [GridColumnResponse] })
  columns: GridColumnResponse[];

  /** One per item, grouped by cluster, then goals, activities and fruits. */
  @ApiProperty({ type: [GridRow] })
  rows: GridRow[];
}
