import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { SUBJECT_TYPES } from '../plan-items/traffic-light.js';
import { FieldChangeDto } from '../revisions/dto/revision.dto.js';
import { AS_OF_PATTERN } from '../revisions/as-of.js';

export const CHANGE_KINDS = ['added', 'archived', 'changed'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** The kinds of item a comparison lists, in the order it lists them (the revision subject names, as in events). */
export const CHANGED_SUBJECT_TYPES = ['cluster', ...SUBJECT_TYPES, 'actor'] as const;
export type ChangedSubjectType = (typeof CHANGED_SUBJECT_TYPES)[number];

/** An instant bound of a comparison: required, a calendar day or an ISO timestamp as for `asOf`. */
function IsInstant(name: 'from' | 'to', example: string): PropertyDecorator {
  return applyDecorators(
    IsString(),
    Matches(AS_OF_PATTERN, { message: `${name} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with a time zone` }),
    ApiProperty({
      required: true,
      type: String,
      pattern: AS_OF_PATTERN.source,
      maxLength: 32,
      description:
        `The plan as of this instant is the ${name === 'from' ? 'earlier' : 'later'} side of the comparison, e.g. \`${example}\`: an ISO 8601 timestamp with a ` +
        'time zone, or a calendar date (YYYY-MM-DD) meaning the end of that day in REPORT_TIME_ZONE (today: now). ' +
        '`from` must be before `to`, and `to` not in the future (400).',
    }),
  );
}

export class PlanChangesQueryDto {
  @IsInstant('from', '2026-09-30')
  from: string;

  @IsInstant('to', '2026-12-31T12:00:00Z')
  to: string;
}

/** The item a change is about. */
export class ChangedSubject {
  /** The kind of item. */
  @ApiProperty({ enum: CHANGED_SUBJECT_TYPES, enumName: 'ChangedSubjectType', example: 'activity' })
  type: ChangedSubjectType;

  @ApiProperty({ format: 'uuid' })
  id: string;

  /** Its title (a cluster's or actor's name, a fruit's `what`) on the later side. */
  @ApiProperty({ example: 'Matchmaking day with the region’s sawmills' })
  title: string;
}

/** One of the revisions between the two sides. */
export class ChangeRevision {
  /** The item's version after it. */
  @ApiProperty({ example: 4 })
  version: number;

  @ApiProperty({ format: 'date-time', example: '2026-10-14T08:30:00.000Z' })
  recordedAt: string;

  /** The name of the key that wrote it, as it was then. */
  @ApiProperty({ example: 'Findit process leader' })
  author: string;
}

/** An item whose state differs between the two sides, field by field. */
export class ItemChange {
  @ApiProperty({ type: ChangedSubject })
  subject: ChangedSubject;

  /**
   * `added`: in the plan on the later side only (created, or not yet there);
   * `archived`: on the earlier side only; `changed`: on both, with fields that differ.
   */
  @ApiProperty({ enum: CHANGE_KINDS, enumName: 'ChangeKind', example: 'changed' })
  change: ChangeKind;

  /** Every field whose value differs between the two sides (status and state included), in the item's field order; nested fields as `indicator.target`. */
  @ApiProperty({ type: [FieldChangeDto] })
  fields: FieldChangeDto[];

  /** The item's revisions between the two sides, oldest first. */
  @ApiProperty({ type: [ChangeRevision] })
  revisions: ChangeRevision[];
}

export class PlanChangesResponse {
  /** The earlier instant, as read. */
  @ApiProperty({ format: 'date-time', example: '2026-09-30T21:59:59.999Z' })
  from: string;

  /** The later instant, as read. */
  @ApiProperty({ format: 'date-time', example: '2026-12-31T12:00:00.000Z' })
  to: string;

  /** Every item whose state at `to` differs from its state at `from`: the cluster first, then goals, activities, low-hanging fruits, risks and actors. */
  @ApiProperty({ type: [ItemChange] })
  items: ItemChange[];
}
