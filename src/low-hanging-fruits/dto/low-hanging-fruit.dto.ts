import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { sortPattern } from '../../common/pagination.js';
import { IsDateOnly, IsName, IsText, NotNullIfPresent, StatusForbidden } from '../../common/validators.js';
import { ItemListQueryDto } from '../../plan-items/dto/plan-query.dto.js';
import { ITEM_STATES, type ItemState, STATUSES, type Status } from '../../plan-items/traffic-light.js';

export class CreateLowHangingFruitDto {
  /** What the quick win is. */
  @IsName()
  @ApiProperty({ example: 'Joint stand at the regional industry fair', maxLength: 200 })
  what: string;

  /** When it is to be taken. */
  @IsDateOnly()
  @ApiProperty({ type: String, format: 'date', example: '2026-10-15' })
  when: string;

  /** How it will be done. */
  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000, example: 'Book a shared stand; three member firms staff it.' })
  how?: string | null;

  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, nullable: true, maxLength: 200, example: 'Communications officer' })
  owner?: string | null;

  /** The goal of the same cluster it serves. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'uuid' })
  goalId?: string | null;

  @NotNullIfPresent()
  @IsIn(ITEM_STATES)
  @ApiProperty({ required: false, enum: ITEM_STATES, enumName: 'ItemState', default: 'planned' })
  state?: ItemState;

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
export class UpdateLowHangingFruitDto {
  @NotNullIfPresent()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  what?: string;

  @NotNullIfPresent()
  @IsDateOnly()
  @ApiProperty({ required: false, type: String, format: 'date' })
  when?: string;

  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000 })
  how?: string | null;

  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, nullable: true, maxLength: 200 })
  owner?: string | null;

  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'uuid' })
  goalId?: string | null;

  @NotNullIfPresent()
  @IsIn(ITEM_STATES)
  @ApiProperty({ required: false, enum: ITEM_STATES, enumName: 'ItemState' })
  state?: ItemState;

  @StatusForbidden('low-hanging-fruits')
  @ApiHideProperty()
  status?: never;
}

export const FRUIT_SORT_FIELDS = ['what', 'when', 'createdAt', 'updatedAt'] as const;

export class ListLowHangingFruitsQueryDto extends ItemListQueryDto {
  /** A field to sort by; `-` in front for descending (default `when`). `dueBefore` / `dueAfter` filter on `when`. */
  @IsOptional()
  @Matches(sortPattern(FRUIT_SORT_FIELDS), { message: `sort must be one of ${FRUIT_SORT_FIELDS.join(', ')}, optionally with a leading -` })
  @ApiProperty({ required: false, enum: FRUIT_SORT_FIELDS.flatMap((f) => [f, `-${f}`]), default: 'when' })
  sort?: string;
}

export class LowHangingFruitResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  @ApiProperty({ example: 'Joint stand at the regional industry fair' })
  what: string;

  @ApiProperty({ type: String, format: 'date', example: '2026-10-15' })
  when: string;

  @ApiProperty({ type: String, nullable: true })
  how: string | null;

  @ApiProperty({ type: String, nullable: true })
  owner: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  goalId: string | null;

  /** `done`: the fruit has been taken. */
  @ApiProperty({ enum: ITEM_STATES, enumName: 'ItemState', example: 'planned' })
  state: ItemState;

  @ApiProperty({ enum: STATUSES, enumName: 'Status', example: 'green' })
  status: Status;

  /** `when` has passed (in REPORT_TIME_ZONE) while it is still planned or ongoing. */
  @ApiProperty({ example: false })
  overdue: boolean;

  /** When it was taken; null unless done. */
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
