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

const wallFormats = new Map<string, Intl.DateTimeFormat>();

function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallFormats.set(timeZone, format);
  }
  return format;
}

/** The offset of a time zone from UTC at an instant, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = wallFormat(timeZone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day starts in a time zone (midnight there), daylight saving included. */
export function startOfDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  const first = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(first, timeZone));
}

/** The wall-clock time of an instant in a time zone, as a Date whose UTC fields are the wall clock's (a spreadsheet's date and time). */
export function wallTime(instant: Date, timeZone: string): Date {
  return new Date(instant.getTime() + offsetAt(instant.getTime(), timeZone));
}

/** The calendar day an instant falls on in a time zone. */
export function dayOf(instant: Date, timeZone: string): string {
  return dayIn(timeZone, instant);
}
