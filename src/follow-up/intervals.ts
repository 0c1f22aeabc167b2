import { startOfDay } from '../common/calendar.js';
import type { ReportPeriod } from '../reports/read/period.js';

export const GRID_INTERVALS = ['month', 'quarter'] as const;
export type GridInterval = (typeof GRID_INTERVALS)[number];

/** One column of a status grid: a month or quarter, cut to the period. */
export interface GridColumn {
  /** `2026-03` or `2026-Q1`. */
  label: string;
  /** Inclusive start: the later of the interval's first instant and the period's. */
  from: Date;
  /** Inclusive end: the earlier of the interval's last instant and the period's; the status shown is the one in force then. */
  to: Date;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The months or quarters a period touches, in the reporting time zone: a month
 * starts at midnight of its first day there (so 2026-03-31T22:00:00Z is already
 * April in Stockholm). The first and last columns are cut to the period.
 */
export function gridColumns(period: ReportPeriod, interval: GridInterval, timeZone: string): GridColumn[] {
  const step = interval === 'month' ? 1 : 3;
  let year = Number(period.fromDate.slice(0, 4));
  let month = Number(period.fromDate.slice(5, 7));
  if (interval === 'quarter') month = month - ((month - 1) % 3);
  const columns: GridColumn[] = [];
  const last = period.toDate.slice(0, 7);
  while (`${year}-${pad(month)}` <= last) {
    const next = month + step > 12 ? { year: year + 1, month: month + step - 12 } : { year, month: month + step };
    const start = startOfDay(`${year}-${pad(month)}-01`, timeZone);
    const end = new Date(startOfDay(`${next.year}-${pad(next.month)}-01`, timeZone).getTime() - 1);
    columns.push({
      label: interval === 'month' ? `${year}-${pad(month)}` : `${year}-Q${(month + 2) / 3}`,
      from: start < period.from ? period.from : start,
      to: end > period.to ? period.to : end,
    });
    ({ year, month } = next);
  }
  return columns;
}
