import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { DomainError } from '../common/domain-error.js';
import { DAY_IN_RANGE, FIRST_DAY, isCalendarDate } from '../common/validators.js';
import { dayOf, startOfDay } from '../common/calendar.js';

const DAY = DAY_IN_RANGE;
const TIME = String.raw`T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)`;
const TIMESTAMP = new RegExp(`^${DAY}${TIME}$`);
/** A calendar day or an ISO 8601 timestamp with a zone, in the years the service accepts: the validation and the document. */
export const AS_OF_PATTERN = new RegExp(`^${DAY}(${TIME})?$`);

export const AS_OF_HELP =
  'The resource as it was at an instant, e.g. `2026-09-30` or `2026-09-30T12:00:00Z`: an ISO 8601 timestamp with a time zone, or a calendar date (YYYY-MM-DD) meaning the end of ' +
  'that day in REPORT_TIME_ZONE (today: now). With the version and ETag it had then; 404 for one that did not exist yet. ' +
  'Not in the future, not before 1900-01-01 (400). Who may read it is decided as of now.';

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Reads `asOf` into an instant: a timestamp as given, a calendar day as its
 * last millisecond in the time zone (today: now, since the rest of today has
 * not happened). The future, and anything before 1900, are a 400 naming asOf.
 */
export function parseAsOf(value: string | undefined, timeZone: string, now: Date = new Date(), field = 'asOf'): Date | undefined {
  if (value === undefined) return undefined;
  const future = () => DomainError.invalid(field, `${field} must not be in the future: what has not happened has no state yet`);
  const tooEarly = () => DomainError.invalid(field, `${field} must not be before ${FIRST_DAY}`);
  if (isCalendarDate(value)) {
    if (value < FIRST_DAY) throw tooEarly();
    const today = dayOf(now, timeZone);
    if (value > today) throw future();
    if (value === today) return now;
    return new Date(startOfDay(nextDay(value), timeZone).getTime() - 1);
  }
  if (TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value))) {
    const instant = new Date(value);
    if (instant.getTime() > now.getTime()) throw future();
    if (instant.getTime() < startOfDay(FIRST_DAY, timeZone).getTime()) throw tooEarly();
    return instant;
  }
  throw DomainError.invalid(field, `${field} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with a time zone`);
}

/** The `asOf` property of a list's query DTO: its form is checked here, the instant (not in the future) by parseAsOf. */
export function IsAsOf(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsString(),
    Matches(AS_OF_PATTERN, { message: 'asOf must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with a time zone' }),
    ApiProperty({
      required: false,
      type: String,
      description: AS_OF_HELP,
      pattern: AS_OF_PATTERN.source,
      maxLength: 32,
    }),
  );
}

/** `?asOf=` alone: the query of a GET by id (any other parameter is a 400). */
export class AsOfQueryDto {
  @IsAsOf()
  asOf?: string;
}

/**
 * The rows of a table as they were at `:asOf`, in the table's own row type,
 * so that a read query can take them in place of the table: each live row
 * (narrowed by `liveWhere`, on the alias `live`) is one index lookup on
 * (subject_id, recorded_at, position) for its newest revision by then. Rows
 * with no revision by then did not exist yet and are left out. The cost
 * follows the number of rows, never the length of their history.
 */
export function asOfRows(table: string, liveWhere = 'TRUE'): string {
  return `(SELECT s.* FROM "${table}" live
    JOIN LATERAL (${stateAt('live', ':asOf')}) r ON true
    CROSS JOIN LATERAL jsonb_populate_record(NULL::"${table}", r.state) s
    WHERE ${liveWhere})`;
}

/**
 * The rows to read from: the table itself now, or its rows as of `asOf`
 * (`asOfRows`, with the `:asOf` parameter to bind). `liveWhere` narrows the
 * live rows looked up (on alias `live`); the caller's own WHERE still applies.
 */
export function rowsAt(table: string, asOf: Date | undefined, liveWhere = 'TRUE'): string {
  return asOf ? asOfRows(table, liveWhere) : `"${table}"`;
}

/**
 * The newest revision's state of the row `alias` at `bound` (a parameter or
 * expression), as a LATERAL subquery giving `state`; none if it did not exist yet.
 */
export function stateAt(alias: string, bound: string): string {
  return `SELECT r.state FROM revision r
    WHERE r.subject_id = ${alias}.id AND r.recorded_at <= ${bound}
    ORDER BY r.recorded_at DESC, r.position DESC LIMIT 1`;
}

/** The first revision's state of the row `alias`: the resource as it was created. */
export function firstState(alias: string): string {
  return `SELECT r.state FROM revision r WHERE r.subject_id = ${alias}.id ORDER BY r.recorded_at, r.position LIMIT 1`;
}
