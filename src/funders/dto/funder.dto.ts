import { IsAsOf } from '../../revisions/as-of.js';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { IsName, NotNullIfPresent } from '../../common/validators.js';
import { FUNDER_KINDS, type FunderKind, REPORTING_PERIODS, type ReportingPeriod } from '../funder.entity.js';

export class CreateFunderDto {
  @IsName()
  @ApiProperty({ example: 'Vinnova', maxLength: 200 })
  name: string;

  @IsIn(FUNDER_KINDS)
  @ApiProperty({ enum: FUNDER_KINDS, enumName: 'FunderKind', example: 'national_agency' })
  kind: FunderKind;

  /** How often the funder wants a report (default yearly). */
  @NotNullIfPresent()
  @IsIn(REPORTING_PERIODS)
  @ApiProperty({ required: false, enum: REPORTING_PERIODS, enumName: 'ReportingPeriod', default: 'yearly' })
  reportingPeriod?: ReportingPeriod;

  /** A period's report is due this many days after the period ends (default 30): `dueOn` in submissions-due, and when reminders are sent. */
  @NotNullIfPresent()
  @IsInt()
  @Min(0)
  @Max(365)
  @ApiProperty({ required: false, type: 'integer', minimum: 0, maximum: 365, default: 30 })
  reportDueDays?: number;
}

export class UpdateFunderDto {
  @NotNullIfPresent()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  name?: string;

  @NotNullIfPresent()
  @IsIn(FUNDER_KINDS)
  @ApiProperty({ required: false, enum: FUNDER_KINDS, enumName: 'FunderKind' })
  kind?: FunderKind;

  @NotNullIfPresent()
  @IsIn(REPORTING_PERIODS)
  @ApiProperty({ required: false, enum: REPORTING_PERIODS, enumName: 'ReportingPeriod' })
  reportingPeriod?: ReportingPeriod;

  /** A period's report is due this many days after the period ends. */
  @NotNullIfPresent()
  @IsInt()
  @Min(0)
  @Max(365)
  @ApiProperty({ required: false, type: 'integer', minimum: 0, maximum: 365 })
  reportDueDays?: number;
}

export class ListFundersQueryDto extends PageQueryDto {
  @IsAsOf()
  asOf?: string;

  @IsOptional()
  @IsIn(FUNDER_KINDS)
  @ApiProperty({ required: false, enum: FUNDER_KINDS, enumName: 'FunderKind' })
  kind?: FunderKind;

  /** Words in the name (case-insensitive), e.g. `vinn`. */
  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  q?: string;
}

export class FunderResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Vinnova' })
  name: string;

  @ApiProperty({ enum: FUNDER_KINDS, enumName: 'FunderKind', example: 'national_agency' })
  kind: FunderKind;

  @ApiProperty({ enum: REPORTING_PERIODS, enumName: 'ReportingPeriod', example: 'half_yearly' })
  reportingPeriod: ReportingPeriod;

  /** A period's report is due this many days after the period ends. */
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 365, example: 30 })
  reportDueDays: number;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
