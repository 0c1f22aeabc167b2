import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { ListQueryDto, toBoolean } from '../../common/pagination.js';
import { IsAsOf } from '../../revisions/as-of.js';
import { IsDateInRange, IsName } from '../../common/validators.js';
import { ITEM_STATES, type ItemState, STATUSES, type Status } from '../traffic-light.js';

/** Filters every list of plan items takes: light and words in the title. */
export class StatusListQueryDto extends ListQueryDto {
  @IsAsOf()
  asOf?: string;

  @IsOptional()
  @IsIn(STATUSES)
  @ApiProperty({ required: false, enum: STATUSES, enumName: 'Status' })
  status?: Status;

  /** Words in the title (case-insensitive), e.g. `survey`. */
  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  q?: string;
}

/** Filters of the lists of plan items with a due date (goals, activities, fruits). */
export class PlanListQueryDto extends StatusListQueryDto {
  /** Due on or before this date (from 1900-01-01 to 2999-12-31), e.g. `2026-12-31`. */
  @IsOptional()
  @IsDateInRange()
  @ApiProperty({ required: false, type: String, format: 'date', minLength: 10, maxLength: 10 })
  dueBefore?: string;

  /** Due on or after this date (from 1900-01-01 to 2999-12-31), e.g. `2026-01-01`. */
  @IsOptional()
  @IsDateInRange()
  @ApiProperty({ required: false, type: String, format: 'date' })
  dueAfter?: string;
}

/** Filters of activities and low-hanging fruits. */
export class ItemListQueryDto extends PlanListQueryDto {
  @IsOptional()
  @IsIn(ITEM_STATES)
  @ApiProperty({ required: false, enum: ITEM_STATES, enumName: 'ItemState' })
  state?: ItemState;

  /** Only items serving this goal. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, format: 'uuid' })
  goalId?: string;

  /** Only overdue items (true) or only those that are not (false). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  @ApiProperty({ required: false, type: Boolean })
  overdue?: boolean;
}
