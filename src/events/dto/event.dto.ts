import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateBy } from 'class-validator';
import { toInteger } from '../../common/pagination.js';
import { CURSOR_PATTERN, EVENT_TYPES } from '../event-types.js';

/** A comma-separated list of event types, as a pattern: the document names the values, not only the description. */
const ONE_TYPE = `(${EVENT_TYPES.map((type) => type.replace(/\./g, '\\.')).join('|')})`;
const TYPES_PATTERN = String.raw`^\s*${ONE_TYPE}\s*(,\s*${ONE_TYPE}\s*)*$`;

function toList({ value }: { value: unknown }): unknown {
  // Longer than documented: left as text, which the validator refuses.
  if (typeof value === 'string') return value.length > 2000 ? value : value.split(',').map((v) => v.trim());
  if (Array.isArray(value)) return (value as unknown[]).flatMap((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [v]));
  return value;
}

/**
 * A list of event types. A validator of its own rather than IsArray and IsIn: the document states the
 * parameter as the comma-separated text it is, not as an array.
 */
function IsEventTypes(): PropertyDecorator {
  return ValidateBy({
    name: 'isEventTypes',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) &&
        value.length <= EVENT_TYPES.length * 2 &&
        value.every((t) => (EVENT_TYPES as readonly unknown[]).includes(t)),
      defaultMessage: () => `types must be event types among ${EVENT_TYPES.join(', ')}`,
    },
  });
}

export const MAX_EVENTS_LIMIT = 200;
export const MAX_WAIT_SECONDS = 30;
/** One message whichever rule `wait` breaks: `1.5` is not "greater than 30", it is not a whole number. */
const WAIT_MESSAGE = `wait must be a whole number of seconds from 0 to ${MAX_WAIT_SECONDS}`;

export class EventsQueryDto {
  /** The `next` of the previous page (or an event's `cursor`), e.g. `7815_4211`; omitted: from the first event. */
  @IsOptional()
  @IsString()
  @Matches(CURSOR_PATTERN, { message: 'after must be a cursor from this feed (the `next` of a page, e.g. 1234_5678)' })
  @ApiProperty({ required: false, type: String, pattern: CURSOR_PATTERN.source, maxLength: 39 })
  after?: string;

  /** Page size. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_EVENTS_LIMIT)
  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: MAX_EVENTS_LIMIT, default: 50 })
  limit: number = 50;

  @IsOptional()
  @Transform(toList)
  @IsEventTypes()
  @ApiProperty({
    required: false,
    type: String,
    maxLength: 2000,
    pattern: TYPES_PATTERN,
    description: `Only events of these types, comma-separated (or the parameter repeated), e.g. \`goal.status_changed,measurement.recorded\`: ${EVENT_TYPES.join(', ')}.`,
  })
  types?: string[];

  /** Only events about this cluster and what is in it, e.g. `5f0c1c7e-2f55-4c9b-9d2a-3f5c1e0b7a10` (none for a cluster the key may not read). */
  @IsOptional()
  @IsUUID('all')
  @ApiProperty({ required: false, format: 'uuid' })
  clusterId?: string;

  /** Whole seconds to hold the request until an event arrives (0–30); 0 answers at once. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: WAIT_MESSAGE })
  @Min(0, { message: WAIT_MESSAGE })
  @Max(MAX_WAIT_SECONDS, { message: WAIT_MESSAGE })
  @ApiProperty({ required: false, type: 'integer', minimum: 0, maximum: MAX_WAIT_SECONDS, default: 0 })
  wait: number = 0;
}

export class EventSubject {
  /** The kind of resource: `goal`, `activity`, `low_hanging_fruit`, `risk`, `actor`, `measurement`, `cluster`, `funding`, `report_submission`. */
  @ApiProperty({ example: 'goal' })
  type: string;

  @ApiProperty({ format: 'uuid' })
  id: string;
}

export class EventResponse {
  /** The event's id: the same in the feed and in every webhook delivery of it (`webhook-id`). */
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** Where the event is in the feed; `after=<cursor>` continues after it. */
  @ApiProperty({ example: '7815_4211' })
  cursor: string;

  @ApiProperty({ enum: EVENT_TYPES, enumName: 'EventType', example: 'goal.status_changed' })
  type: string;

  /** When the change was written. */
  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  /** The cluster the resource belongs to (the cluster itself for a cluster event). */
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  clusterId: string | null;

  subject: EventSubject;

  /** The resource's version after the change. */
  @ApiProperty({ example: 4 })
  version: number;

  /** The name of the key that made the change. */
  @ApiProperty({ example: 'Anna (editor)' })
  author: string;

  /**
   * The resource after the change, in the shape of its GET, with `changes`: `[{ field, from, to }]` (what this
   * change changed; every field it set for a creation).
   */
  @ApiProperty({ type: 'object', additionalProperties: true, example: { id: '…', title: 'Ten firms', status: 'red', changes: [] } })
  data: Record<string, unknown>;
}

export class EventPage {
  @ApiProperty({ type: [EventResponse] })
  items: EventResponse[];

  /**
   * Pass as `after` for the next page. Always present: when nothing (visible to the caller) happened, it is
   * where the feed stands, so that filtered-out events are not read again.
   */
  @ApiProperty({ example: '7815_4211' })
  next: string;
}
