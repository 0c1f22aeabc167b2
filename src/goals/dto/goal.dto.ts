import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsOptional, IsUUID, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { sortPattern } from '../../common/pagination.js';
import { IsDateInRange, IsDateOnly, IsMeasure, IsName, IsText, NotNullIfPresent, StatusForbidden } from '../../common/validators.js';
import { PlanListQueryDto } from '../../plan-items/dto/plan-query.dto.js';
import { STATUSES, type Status } from '../../plan-items/traffic-light.js';
import { HORIZONS, type Horizon, PERSPECTIVES, type Perspective } from '../goal.entity.js';

/** The most milestones one indicator may have. */
export const MAX_MILESTONES = 100;

export class MilestoneDto {
  /** The day by which the indicator should have reached `target` (from 1900-01-01 to 2999-12-31). */
  @IsDateInRange()
  @ApiProperty({ type: String, format: 'date', example: '2026-12-31', minLength: 10, maxLength: 10 })
  on: string;

  @IsMeasure()
  @ApiProperty({ example: 25 })
  target: number;
}

export class IndicatorDto {
  /**
   * A programme indicator definition to adopt (`GET /indicator-definitions`): the cluster's values then add up in its
   * funder's totals. A funder's definition only in clusters that funder funds (422); not an archived one (422).
   */
  @NotNullIfPresent()
  @IsUUID()
  @ApiProperty({ required: false, type: String, format: 'uuid', example: '00000000-0000-4000-8000-0000000c0001' })
  definitionId?: string;

  /** What is counted: "member firms", "days to first customer", "%". Required unless `definitionId` is given, whose unit it then is (another is a 422). */
  @ValidateIf((indicator: IndicatorDto) => !indicator.definitionId || indicator.unit !== undefined)
  @IsName()
  @ApiProperty({ required: false, example: 'member firms', maxLength: 200 })
  unit?: string;

  /** Where it stood when the goal was set. */
  @IsMeasure()
  @ApiProperty({ example: 12 })
  baseline: number;

  /** Where it should get to; below the baseline for a falling indicator. */
  @IsMeasure()
  @ApiProperty({ example: 40 })
  target: number;

  /**
   * Targets on the way, one per date, dates strictly ascending (otherwise 422 naming the date). Left out of a PATCH, the
   * milestones stay as they are; `[]` removes them. Reports compare each milestone due in their period with the value measured by then.
   */
  @NotNullIfPresent()
  @IsArray()
  @ArrayMaxSize(MAX_MILESTONES)
  @ValidateNested({ each: true })
  @Type(() => MilestoneDto)
  @ApiProperty({ type: [MilestoneDto], required: false, maxItems: MAX_MILESTONES, example: [{ on: '2026-12-31', target: 25 }] })
  milestones?: MilestoneDto[];
}

export class CreateGoalDto {
  @IsName()
  @ApiProperty({ example: 'Mobilise 40 member firms', maxLength: 200 })
  title: string;

  @IsOptional()
  @IsText()
  @ApiProperty({
    required: false,
    nullable: true,
    maxLength: 5000,
    example: 'Firms in the inner and outer core sign the membership agreement.',
  })
  description?: string | null;

  /** `short_term`: a result the initiative delivers within a year or two; `long_term`: an effect in the region. */
  @IsIn(HORIZONS)
  @ApiProperty({ enum: HORIZONS, enumName: 'Horizon', example: 'short_term' })
  horizon: Horizon;

  /** Whose value the goal serves (Triple Helix). */
  @IsOptional()
  @IsIn(PERSPECTIVES)
  @ApiProperty({ required: false, nullable: true, enum: PERSPECTIVES, enumName: 'Perspective', example: 'business' })
  perspective?: Perspective | null;

  /** A long-term goal of the same cluster that this short-term goal contributes to. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'uuid' })
  contributesToGoalId?: string | null;

  @IsOptional()
  @IsDateOnly()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'date', example: '2027-06-30' })
  dueDate?: string | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => IndicatorDto)
  @ApiProperty({ required: false, nullable: true, type: IndicatorDto })
  indicator?: IndicatorDto | null;

  /** The first traffic light (default green). */
  @NotNullIfPresent()
  @IsIn(STATUSES)
  @ApiProperty({ required: false, enum: STATUSES, enumName: 'Status', default: 'green' })
  status?: Status;

  /** Why the first light is what it is; required for yellow and red. */
  @NotNullIfPresent()
  @IsText()
  @ApiProperty({ required: false, maxLength: 5000 })
  statusComment?: string;
}

/** Only the fields sent change; `null` clears an optional one. The status changes only through status updates. */
export class UpdateGoalDto {
  @NotNullIfPresent()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  title?: string;

  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000 })
  description?: string | null;

  @NotNullIfPresent()
  @IsIn(HORIZONS)
  @ApiProperty({ required: false, enum: HORIZONS, enumName: 'Horizon' })
  horizon?: Horizon;

  @IsOptional()
  @IsIn(PERSPECTIVES)
  @ApiProperty({ required: false, nullable: true, enum: PERSPECTIVES, enumName: 'Perspective' })
  perspective?: Perspective | null;

  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'uuid' })
  contributesToGoalId?: string | null;

  @IsOptional()
  @IsDateOnly()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'date' })
  dueDate?: string | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => IndicatorDto)
  @ApiProperty({ required: false, nullable: true, type: IndicatorDto })
  indicator?: IndicatorDto | null;

  @StatusForbidden('goals')
  @ApiHideProperty()
  status?: never;
}

export const GOAL_SORT_FIELDS = ['title', 'dueDate', 'createdAt', 'updatedAt'] as const;

export class ListGoalsQueryDto extends PlanListQueryDto {
  @IsOptional()
  @IsIn(HORIZONS)
  @ApiProperty({ required: false, enum: HORIZONS, enumName: 'Horizon' })
  horizon?: Horizon;

  @IsOptional()
  @IsIn(PERSPECTIVES)
  @ApiProperty({ required: false, enum: PERSPECTIVES, enumName: 'Perspective' })
  perspective?: Perspective;

  /** Only the short-term goals contributing to this long-term goal. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, format: 'uuid' })
  contributesToGoalId?: string;

  /** A field to sort by; `-` in front for descending (default `createdAt`). */
  @IsOptional()
  @Matches(sortPattern(GOAL_SORT_FIELDS), { message: `sort must be one of ${GOAL_SORT_FIELDS.join(', ')}, optionally with a leading -` })
  @ApiProperty({ required: false, enum: GOAL_SORT_FIELDS.flatMap((f) => [f, `-${f}`]), default: 'createdAt' })
  sort?: string;
}

export class MilestoneResponse {
  @ApiProperty({ type: String, format: 'date', example: '2026-12-31' })
  on: string;

  @ApiProperty({ example: 25 })
  target: number;
}

export class IndicatorResponse {
  /** The programme indicator definition it adopts; absent for the cluster's own indicator. */
  @ApiProperty({ required: false, type: String, format: 'uuid' })
  definitionId?: string;

  @ApiProperty({ example: 'member firms' })
  unit: string;

  @ApiProperty({ example: 12 })
  baseline: number;

  @ApiProperty({ example: 40 })
  target: number;

  /** Targets on the way, in date order. */
  @ApiProperty({ type: [MilestoneResponse] })
  milestones: MilestoneResponse[];
}

export class LatestMeasurement {
  @ApiProperty({ example: 26 })
  value: number;

  @ApiProperty({ format: 'date', example: '2026-09-30' })
  measuredOn: string;
}

export class GoalResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  @ApiProperty({ example: 'Mobilise 40 member firms' })
  title: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ enum: HORIZONS, enumName: 'Horizon', example: 'short_term' })
  horizon: Horizon;

  @ApiProperty({ enum: PERSPECTIVES, enumName: 'Perspective', nullable: true, example: 'business' })
  perspective: Perspective | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  contributesToGoalId: string | null;

  /** The short-term goals (not archived) that contribute to this one: the effect logic walked backwards. */
  @ApiProperty({ type: [String], format: 'uuid' })
  contributingGoalIds: string[];

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2027-06-30' })
  dueDate: string | null;

  @ApiProperty({ type: IndicatorResponse, nullable: true })
  indicator: IndicatorResponse | null;

  /** The newest measurement (by date measured, then by when it was recorded). */
  @ApiProperty({ type: LatestMeasurement, nullable: true })
  latestMeasurement: LatestMeasurement | null;

  /** Percent of the way from baseline to target; null without a measurement or when baseline equals target. */
  @ApiProperty({ type: Number, nullable: true, example: 50 })
  progressPercent: number | null;

  @ApiProperty({ enum: STATUSES, enumName: 'Status', example: 'green' })
  status: Status;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  archivedAt: string | null;
}
