import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { ListQueryDto } from '../../common/pagination.js';
import { IsName, IsText, NotNullIfPresent } from '../../common/validators.js';
import { AGGREGATIONS, type Aggregation, BREAKDOWNS, type Breakdown } from '../indicator-definition.entity.js';

/** 1–32 of `A-Z a-z 0-9 . _ -`. */
export const CODE_PATTERN = '^[A-Za-z0-9._-]{1,32}$';

export class CreateIndicatorDefinitionDto {
  /** Short and stable, unique per owner: `RCO01`, `VINN-AI-3`. */
  @Matches(new RegExp(CODE_PATTERN), { message: 'code must be 1–32 of A-Z a-z 0-9 . _ -' })
  @ApiProperty({ example: 'VINN-PILOTS', pattern: CODE_PATTERN, minLength: 1, maxLength: 32 })
  code: string;

  @IsName()
  @ApiProperty({ example: 'Pilot projects with industry', maxLength: 200 })
  name: string;

  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000 })
  description?: string | null;

  /** What is counted; a goal that adopts the definition measures in it. */
  @IsName()
  @ApiProperty({ example: 'projects', maxLength: 200 })
  unit: string;

  /** `sum`: the clusters' latest values are added up; `organisations`: measurements list organisations, each counted once. */
  @IsIn(AGGREGATIONS)
  @ApiProperty({ enum: AGGREGATIONS, enumName: 'IndicatorAggregation', example: 'organisations' })
  aggregation: Aggregation;

  /** `enterprise_size` (only with `organisations`): each organisation is measured with its size, and totals break down by it. */
  @IsOptional()
  @IsIn(BREAKDOWNS)
  @ApiProperty({ required: false, nullable: true, enum: BREAKDOWNS, enumName: 'IndicatorBreakdown' })
  breakdown?: Breakdown | null;

  /** The funder that owns it (a funder key: its own, the default); null or absent from an admin key: a common definition. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'uuid' })
  funderId?: string | null;
}

/** Only the fields sent change. `code`, `unit`, `aggregation` and `breakdown` are frozen once a goal has adopted the definition (409). */
export class UpdateIndicatorDefinitionDto {
  @NotNullIfPresent()
  @Matches(new RegExp(CODE_PATTERN), { message: 'code must be 1–32 of A-Z a-z 0-9 . _ -' })
  @ApiProperty({ required: false, pattern: CODE_PATTERN, minLength: 1, maxLength: 32 })
  code?: string;

  @NotNullIfPresent()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  name?: string;

  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000 })
  description?: string | null;

  @NotNullIfPresent()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  unit?: string;

  @NotNullIfPresent()
  @IsIn(AGGREGATIONS)
  @ApiProperty({ required: false, enum: AGGREGATIONS, enumName: 'IndicatorAggregation', example: 'organisations' })
  aggregation?: Aggregation;

  @IsOptional()
  @IsIn(BREAKDOWNS)
  @ApiProperty({ required: false, nullable: true, enum: BREAKDOWNS, enumName: 'IndicatorBreakdown' })
  breakdown?: Breakdown | null;
}

export class ListIndicatorDefinitionsQueryDto extends ListQueryDto {
  /** Only this funder's definitions. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, type: String, format: 'uuid' })
  funderId?: string;

  /** Only the common definitions (`true`) or only funders' own (`false`). */
  @IsOptional()
  @IsIn(['true', 'false'])
  @ApiProperty({ required: false, enum: ['true', 'false'] })
  common?: 'true' | 'false';

  @IsOptional()
  @IsIn(AGGREGATIONS)
  @ApiProperty({ required: false, enum: AGGREGATIONS, enumName: 'IndicatorAggregation', example: 'organisations' })
  aggregation?: Aggregation;
}

export class IndicatorDefinitionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'RCO01' })
  code: string;

  @ApiProperty({ example: 'Enterprises supported (of which: micro, small, medium, large)' })
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ example: 'enterprises' })
  unit: string;

  @ApiProperty({ enum: AGGREGATIONS, enumName: 'IndicatorAggregation', example: 'organisations' })
  aggregation: Aggregation;

  @ApiProperty({ enum: BREAKDOWNS, enumName: 'IndicatorBreakdown', nullable: true, example: 'enterprise_size' })
  breakdown: Breakdown | null;

  /** The owner; null for a common definition. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  funderId: string | null;

  /** Shipped with Styrman (the EU's common indicators): nobody may change or archive it. */
  @ApiProperty({ example: true })
  shipped: boolean;

  /** Whether a goal has adopted it: its code, unit, aggregation and breakdown can no longer change. */
  @ApiProperty({ example: false })
  adopted: boolean;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  archivedAt: string | null;
}
