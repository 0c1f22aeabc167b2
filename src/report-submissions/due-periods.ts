import type { ReportingPeriod } from '../funders/funder.entity.js';
import { parsePeriod, type ReportPeriod } from '../reports/read/period.js';

/** A named period of a funder's reporting rhythm. */
export interface DuePeriod extends ReportPeriod {
  name: string;
}

/** How a period of each rhythm is named, and how a person says the rhythm. */
const RHYTHMS: Record<ReportingPeriod, { pattern: RegExp; example: string; words: string }> = {
  quarterly: { pattern: /^\d{4}-Q[1-4]$/, example: '2026-Q3', words: 'a quarter' },
  half_yearly: { pattern: /^\d{4}-H[12]$/, example: '2026-H1', words: 'a half-year' },
  yearly: { pattern: /^\d{4}$/, example: '2026', words: 'a year' },
};

/**
 * Why a named period is not one of a funder's rhythm (a quarter for a half-yearly funder), or null when it is.
 * A period given as days (`from`, `to`) is the cluster's and funder's own agreement and is not asked.
 */
export function offRhythm(rhythm: ReportingPeriod, period: string, funderName: string): string | null {
  const r = RHYTHMS[rhythm];
  if (r.pattern.test(period)) return null;
  return `${funderName} takes one report per ${r.words.slice(2)}: period must be ${r.words} such as ${r.example}, not ${period}.`;
}

/** The names of the periods of a rhythm in one year, in order. */
function namesOf(rhythm: ReportingPeriod, year: number): string[] {
  switch (rhythm) {
    case 'quarterly':
      return [1, 2, 3, 4].map((q) => `${year}-Q${q}`);
    case 'half_yearly':
      return [`${year}-H1`, `${year}-H2`];
    case 'yearly':
      return [`${year}`];
  }
}

/**
 * The periods of `rhythm` a funding running from `startsOn` to `endsOn` (both
 * days counted) must be reported for by `now`: every period that overlaps the
 * funding by at least one day and has ended. A funding that starts or ends in
 * the middle of a period owes a report for that period too (its part of it):
 * a funding from 15 August owes 2026-Q3; one ending 15 August owes 2026-Q3
 * once 30 September has passed. Oldest first.
 */
export function duePeriods(rhythm: ReportingPeriod, startsOn: string, endsOn: string, timeZone: string, now: Date): DuePeriod[] {
  const periods: DuePeriod[] = [];
  const first = Number(startsOn.slice(0, 4));
  const last = Math.min(Number(endsOn.slice(0, 4)), Number(now.toISOString().slice(0, 4)));
  for (let year = first; year <= last; year++) {
    for (const name of namesOf(rhythm, year)) {
      const period = parsePeriod({ period: name }, timeZone);
      if (period.toDate < startsOn || period.fromDate > endsOn) continue;
      if (period.to.getTime() >= now.getTime()) continue;
      periods.push({ ...period, name });
    }
  }
  return periods;
}

/** The day a period's report is due: `reportDueDays` after its last day (`to`). */
export function dueOn(to: string, reportDueDays: number): string {
  return addDays(to, reportDueDays);
}

/** A calendar day (YYYY-MM-DD) moved by `days` (negative: back). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
