import { Injectable } from '@nestjs/common';
import { Environment } from '../config/environment.js';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. Formatters are made once per zone: they are costly. */
export function dayIn(timeZone: string, instant: Date): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(instant);
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
