import { DomainError } from '../../common/domain-error.js';
import { FIRST_DAY, isCalendarDate, LAST_DAY } from '../../common/validators.js';
import { dayOf, startOfDay } from '../../common/calendar.js';

/** The instants a report covers, and the calendar days they fall on in the reporting time zone. */
export interface ReportPeriod {
  /** Inclusive start. */
  from: Date;
  /** Inclusive end. */
  to: Date;
  fromDate: string;
  toDate: string;
  /** A short name for file names: `2026-Q3`, or `2026-07-01_2026-09-30`. */
  label: string;
  /** The `period` asked for (`2026-Q3`); null when given as `from` and `to`. */
  name: string | null;
  /**
   * The moment up to which recordings count (measurements, the period's narrative), when it is later than `to`:
   * a report about a period as known at a later time. Undefined: as known at `to` (or now, while the period runs),
   * which is what every report was before `knownAt` existed, byte for byte.
   */
  knownAt?: Date;
}

/**
 * The first calendar day on which a report's period may end and still carry `fromDate` and `toDate`. A complete
 * report is byte-identical forever, and reports of periods that ended earlier were served without them; a period
 * ending on or after this day had not ended when the fields were introduced (December 2026), so its complete report
 * has carried them from its first pull.
 */
export const CALENDAR_DATES_SINCE = '2027-01-01';

/** Whether the report of `period` says its calendar days (`fromDate`, `toDate`) in its head. */
export function saysCalendarDates(period: Pick<ReportPeriod, 'toDate'>): boolean {
  return period.toDate >= CALENDAR_DATES_SINCE;
}

const PERIOD = /^(\d{4})(?:-(Q[1-4]|H[12]))?$/;

/** The calendar days a report may cover: the far past and far future are refused, never clamped. */
export const FIRST_REPORT_DATE = FIRST_DAY;
export const LAST_REPORT_DATE = LAST_DAY;
const FIRST_YEAR = 1900;
const LAST_YEAR = 2999;
const RANGE = `between ${FIRST_REPORT_DATE} and ${LAST_REPORT_DATE}`;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function lastDayOfMonth(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** `2026`, `2026-H2`, `2026-Q3` as first and last calendar day. */
export function periodDays(period: string): { first: string; last: string } {
  const match = PERIOD.exec(period);
  if (!match) throw DomainError.invalid('period', 'period must look like 2026, 2026-H2 or 2026-Q3');
  const year = Number(match[1]);
  if (year < FIRST_YEAR || year > LAST_YEAR) {
    throw DomainError.invalid('period', `period must lie ${RANGE} (a year from ${FIRST_YEAR} to ${LAST_YEAR})`);
  }
  const part = match[2];
  const [firstMonth, lastMonth] = !part
    ? [1, 12]
    : part.startsWith('H')
      ? part === 'H1'
        ? [1, 6]
        : [7, 12]
      : [3 * Number(part[1]) - 2, 3 * Number(part[1])];
  return { first: `${year}-${String(firstMonth).padStart(2, '0')}-01`, last: lastDayOfMonth(year, lastMonth) };
}

/**
 * A `from` or `to`: a calendar day (whole day in the time zone) or an exact
 * ISO 8601 instant, whose calendar day in the time zone must lie in the range.
 * Checked before any date arithmetic: past year 9999 it fails (RangeError).
 */
function bound(value: string, field: 'from' | 'to', timeZone: string): Date {
  const outOfRange = () => DomainError.invalid(field, `${field} must lie ${RANGE} (in ${timeZone})`);
  if (isCalendarDate(value)) {
    if (value < FIRST_REPORT_DATE || value > LAST_REPORT_DATE) throw outOfRange();
    return field === 'from' ? startOfDay(value, timeZone) : new Date(startOfDay(nextDay(value), timeZone).getTime() - 1);
  }
  if (TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value))) {
    const instant = new Date(value);
    if (instant < startOfDay(FIRST_REPORT_DATE, timeZone) || instant >= startOfDay(nextDay(LAST_REPORT_DATE), timeZone)) throw outOfRange();
    return instant;
  }
  throw DomainError.invalid(field, `${field} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with a time zone`);
}

/** Calendar days from one day to another, both counted. */
function daysBetween(first: string, last: string): number {
  return (Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 86_400_000 + 1;
}

/**
 * Reads `from` / `to` or `period` (not both) into the instants a report
 * covers; with `maxDays`, a period touching more calendar days (in the time
 * zone, both ends counted) is refused, naming `period` or `to`.
 */
export function parsePeriod(
  query: { from?: string; to?: string; period?: string },
  timeZone: string,
  limits: { maxDays?: number } = {},
): ReportPeriod {
  const period = readPeriod(query, timeZone);
  const days = daysBetween(period.fromDate, period.toDate);
  if (limits.maxDays !== undefined && days > limits.maxDays) {
    const field = query.period !== undefined ? 'period' : 'to';
    throw DomainError.invalid(
      field,
      `The period covers ${days} days; a report covers at most ${limits.maxDays} (REPORT_MAX_DAYS). Ask for shorter periods.`,
    );
  }
  return period;
}

function readPeriod(query: { from?: string; to?: string; period?: string }, timeZone: string): ReportPeriod {
  if (query.period !== undefined) {
    if (query.from !== undefined || query.to !== undefined) {
      throw DomainError.invalid('period', 'Give either period, or from and to — not both');
    }
    const { first, last } = periodDays(query.period);
    return { ...readPeriod({ from: first, to: last }, timeZone), label: query.period, name: query.period };
  }
  if (query.from === undefined || query.to === undefined) {
    throw DomainError.invalid(query.from === undefined ? 'from' : 'to', 'Give period (2026-Q3), or both from and to');
  }
  const from = bound(query.from, 'from', timeZone);
  const to = bound(query.to, 'to', timeZone);
  if (from.getTime() > to.getTime()) throw DomainError.invalid('from', 'from must not be after to');
  return {
    from,
    to,
    fromDate: dayOf(from, timeZone),
    toDate: dayOf(to, timeZone),
    label: `${dayOf(from, timeZone)}_${dayOf(to, timeZone)}`,
    name: null,
  };
}

/**
 * Reads `knownAt` (an ISO instant, or a calendar day meaning its end in the time zone; today: now) into the period:
 * `to` ≤ `knownAt` ≤ now, else a 400 naming knownAt. A `knownAt` equal to `to` is the default and leaves the period
 * as it is, so that the report keeps the bytes it had before `knownAt` existed.
 */
export function withKnownAt(period: ReportPeriod, knownAt: string | undefined, timeZone: string, now = new Date()): ReportPeriod {
  if (knownAt === undefined) return period;
  let instant: Date;
  if (isCalendarDate(knownAt)) {
    if (knownAt < FIRST_REPORT_DATE || knownAt > LAST_REPORT_DATE) {
      throw DomainError.invalid('knownAt', `knownAt must lie ${RANGE} (in ${timeZone})`);
    }
    instant = knownAt === dayOf(now, timeZone) ? now : new Date(startOfDay(nextDay(knownAt), timeZone).getTime() - 1);
  } else if (TIMESTAMP.test(knownAt) && !Number.isNaN(Date.parse(knownAt))) {
    instant = new Date(knownAt);
  } else {
    throw DomainError.invalid('knownAt', 'knownAt must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with a time zone');
  }
  if (period.to.getTime() >= now.getTime()) {
    throw DomainError.invalid('knownAt', 'The period has not ended: its report is as known now, and knownAt cannot be given yet');
  }
  if (instant.getTime() > now.getTime()) {
    throw DomainError.invalid('knownAt', 'knownAt must not be in the future: what has not been recorded cannot be known');
  }
  if (instant.getTime() < period.to.getTime()) {
    throw DomainError.invalid(
      'knownAt',
      'knownAt must not be before the end of the period (to): a report knows at least what was recorded by then',
    );
  }
  return instant.getTime() === period.to.getTime() ? period : { ...period, knownAt: instant };
}
