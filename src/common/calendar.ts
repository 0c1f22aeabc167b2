import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';

const dayFormats = new Map<string, { format: Intl.DateTimeFormat; minute: number; day: string }>();

/**
 * The calendar day (YYYY-MM-DD) of an instant in a time zone. Formatters are made once per zone: they are costly,
 * and so is formatting (a few µs, on every read that says whether an item is overdue). The day of the last minute
 * asked about is kept per zone: a day starts at a whole minute in every time zone in use, so every instant of one
 * UTC minute has the same day.
 */
export function dayIn(timeZone: string, instant: Date): string {
  const minute = Math.floor(instant.getTime() / 60_000);
  let zone = dayFormats.get(timeZone);
  if (!zone) {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    zone = { format, minute: Number.NaN, day: '' };
    dayFormats.set(timeZone, zone);
  }
  if (zone.minute !== minute) {
    zone.day = zone.format.format(instant);
    zone.minute = minute;
  }
  return zone.day;
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return dayIn(timeZone, now);
}

/**
 * Which day it is for Styrman: today in REPORT_TIME_ZONE. What "overdue" and
 * "in the future" are measured against; the one place that reads the clock for
 * a calendar day, so that a test or a later feature can put another clock here.
 */
@Injectable()
export class Today {
  constructor(private readonly env: Environment) {}

  /** Today (YYYY-MM-DD) in the reporting time zone. */
  get(): string {
    return todayIn(this.env.REPORT_TIME_ZONE);
  }
}
