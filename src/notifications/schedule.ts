import { dayIn } from '../common/calendar.js';
import { addDays } from '../report-submissions/due-periods.js';
import type { DueMoment } from './topics.js';

/**
 * Which reminder of a due report is current on `today`: the newest moment that has come, until the next one comes
 * (14 days before `dueOn`, until 3 days before; 3 days before, until the day after; overdue, for a week). A moment
 * on or before the period's last day is not a reminder (nothing can be submitted before the period ends). Null:
 * no reminder now.
 */
export function currentMoment(periodTo: string, dueOn: string, today: string): DueMoment | null {
  const at: Record<DueMoment, string> = { '14d': addDays(dueOn, -14), '3d': addDays(dueOn, -3), overdue: addDays(dueOn, 1) };
  const until: Record<DueMoment, string> = { '14d': at['3d'], '3d': at.overdue, overdue: addDays(at.overdue, 7) };
  for (const moment of ['overdue', '3d', '14d'] as const) {
    if (at[moment] <= today) {
      return today < until[moment] && at[moment] > periodTo ? moment : null;
    }
  }
  return null;
}

/** The offset of a time zone from UTC at an instant, in ms. */
function offsetMs(timeZone: string, instant: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a wall-clock time of a day has in a time zone (`2026-12-07`, 8 → 08:00 there). */
export function localInstant(day: string, hour: number, timeZone: string): Date {
  const guess = new Date(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  const first = new Date(guess.getTime() - offsetMs(timeZone, guess));
  return new Date(guess.getTime() - offsetMs(timeZone, first));
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of a calendar day. */
function isoWeekday(day: string): number {
  return ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

/** The Monday of the week `now` falls in, in the time zone. */
export function mondayOf(now: Date, timeZone: string): string {
  const today = dayIn(timeZone, now);
  return addDays(today, 1 - isoWeekday(today));
}

/** The next Monday 08:00 in the time zone strictly after `now`. */
export function nextDigestAt(now: Date, timeZone: string): Date {
  const thisWeek = localInstant(mondayOf(now, timeZone), 8, timeZone);
  return thisWeek.getTime() > now.getTime() ? thisWeek : localInstant(addDays(mondayOf(now, timeZone), 7), 8, timeZone);
}

/** The ISO week number of a Monday (for the digest's subject). */
export function isoWeek(monday: string): number {
  const d = new Date(`${monday}T00:00:00Z`);
  const thursday = new Date(d.getTime() + 3 * 86_400_000);
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - yearStart) / (7 * 86_400_000)) + 1;
}
