import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { STATUSES, type Status } from '../../plan-items/traffic-light.js';
import { NEEDS_UPDATE_REASONS, type NeedsUpdateReason, SUBJECT_KINDS, type SubjectKind } from '../rhythm.js';

export class NeedsUpdateQueryDto extends PageQueryDto {
  /** Only items of this cluster (one the key may not read gives an empty list). */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, format: 'uuid' })
  clusterId?: string;

  /** Only items with this reason (among others they may have). */
  @IsOptional()
  @IsIn(NEEDS_UPDATE_REASONS)
  @ApiProperty({ required: false, enum: NEEDS_UPDATE_REASONS, enumName: 'NeedsUpdateReason' })
  reason?: NeedsUpdateReason;
}

export class FollowUpSubject {
  @ApiProperty({ enum: SUBJECT_KINDS, enumName: 'SubjectKind', example: 'activity' })
  type: SubjectKind;

  @ApiProperty({ format: 'uuid' })
  id: string;

  /** The title of a goal, activity or risk, the `what` of a low-hanging fruit. */
  @ApiProperty({ example: 'Member survey' })
  title: string;
}

export class NeedsUpdateItem {
  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  @ApiProperty({ type: FollowUpSubject })
  subject: FollowUpSubject;

  /** Why the item needs an update, most serious first. */
  @ApiProperty({ enum: NEEDS_UPDATE_REASONS, enumName: 'NeedsUpdateReason', isArray: true, example: ['overdue', 'stale'] })
  reasons: NeedsUpdateReason[];

  @ApiProperty({ enum: STATUSES, enumName: 'Status', example: 'yellow' })
  status: Status;

  /** When the item's history got its newest entry (a status update, a change of state, or its creation). */
  @ApiProperty({ format: 'date-time' })
  lastStatusAt: string;

  /** An activity's or goal's due date, a fruit's `when`; null for risks. */
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-10-15' })
  dueDate: string | null;
}
