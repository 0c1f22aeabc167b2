import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { sortPattern } from '../../common/pagination.js';
import { IsDateOnly, IsName, IsText, NotNullIfPresent, StatusForbidden } from '../../common/validators.js';
import { ItemListQueryDto } from '../../plan-items/dto/plan-query.dto.js';
import { ITEM_STATES, type ItemState, STATUSES, type Status } from '../../plan-items/traffic-light.js';

export class CreateActivityDto {
  @IsName()
  @ApiProperty({ example: 'Member survey', maxLength: 200 })
  title: string;

  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000, example: 'Ask the member firms what they need from the cluster.' })
  description?: string | null;

  /** Who is responsible. */
  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, nullable: true, maxLength: 200, example: 'Process leader' })
  owner?: string | null;

  /** The goal of the same cluster this activity serves. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'uuid' })
  goalId?: string | null;

  @IsOptional()
  @IsDateOnly()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'date', example: '2026-09-01' })
  startDate?: string | null;

  /** On or after startDate. */
  @IsOptional()
  @IsDateOnly()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'date', example: '2026-11-30' })
  dueDate?: string | null;

  @NotNullIfPresent()
  @IsIn(ITEM_STATES)
  @ApiProperty({ required: false, enum: ITEM_STATES, enumName: 'ItemState', default: 'planned' })
  state?: ItemState;

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

/** Only the fields sent change; `null` clears an optional one. A change of state is recorded in the history. */
export class UpdateActivityDto {
  @NotNullIfPresent()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  title?: string;

  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000 })
  description?: string | null;

  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, nullable: true, maxLength: 200 })
  owner?: string | null;

  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'uuid' })
  goalId?: string | null;

  @IsOptional()
  @IsDateOnly()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'date' })
  startDate?: string | null;

  @IsOptional()
  @IsDateOnly()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'date' })
  dueDate?: string | null;

  @NotNullIfPresent()
  @IsIn(ITEM_STATES)
  @ApiProperty({ required: false, enum: ITEM_STATES, enumName: 'ItemState' })
  state?: ItemState;

  @StatusForbidden('activities')
  @ApiHideProperty()
  status?: never;
}

export const ACTIVITY_SORT_FIELDS = ['title', 'startDate', 'dueDate', 'createdAt', 'updatedAt'] as const;

export class ListActivitiesQueryDto extends ItemListQueryDto {
  /** A field to sort by; `-` in front for descending (default `dueDate`). */
  @IsOptional()
  @Matches(sortPattern(ACTIVITY_SORT_FIELDS), {
    message: `sort must be one of ${ACTIVITY_SORT_FIELDS.join(', ')}, optionally with a leading -`,
  })
  @ApiProperty({ required: false, enum: ACTIVITY_SORT_FIELDS.flatMap((f) => [f, `-${f}`]), default: 'dueDate' })
  sort?: string;
}

export class ActivityResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  @ApiProperty({ example: 'Member survey' })
  title: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Process leader' })
  owner: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  goalId: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-09-01' })
  startDate: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-11-30' })
  dueDate: string | null;

  @ApiProperty({ enum: ITEM_STATES, enumName: 'ItemState', example: 'ongoing' })
  state: ItemState;

  @ApiProperty({ enum: STATUSES, enumName: 'Status', example: 'green' })
  status: Status;

  /** The due date has passed (in REPORT_TIME_ZONE) while the activity is still planned or ongoing. */
  @ApiProperty({ example: false })
  overdue: boolean;

  /** When it became done; null unless done. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: string | null;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  archivedAt: string | null;
}
