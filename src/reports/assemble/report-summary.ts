import type { Status } from '../../plan-items/traffic-light.js';
import type { ItemCounts, ReportSummary, StartEndCounts, StatusCounts } from '../dto/report-counts.dto.js';
import type { AssembledSection, DatedSection } from '../report-document.js';
import { DATED_KINDS } from '../report-kinds.js';

export function counts(statuses: Iterable<Status | null>): StatusCounts {
  const c: StatusCounts = { green: 0, yellow: 0, red: 0 };
  for (const s of statuses) if (s) c[s] += 1;
  return c;
}

interface AsOf {
  statusAtStart: Status | null;
  statusAtEnd: Status;
}

function startEnd(items: AsOf[]): StartEndCounts {
  return { start: counts(items.map((i) => i.statusAtStart)), end: counts(items.map((i) => i.statusAtEnd)) };
}

function itemCounts(items: (AsOf & { completedInPeriod: boolean; overdueAtEnd: boolean })[]): ItemCounts {
  return {
    ...startEnd(items),
    completed: items.filter((i) => i.completedInPeriod).length,
    overdue: items.filter((i) => i.overdueAtEnd).length,
  };
}

/** A cluster's lights at the start and end of the period, and its items completed in it and overdue at its end (the risks' counts: report-risks.ts). */
export function summarise(section: Pick<AssembledSection, 'goals' | DatedSection>): Omit<ReportSummary, 'risks'> {
  return {
    goals: startEnd(section.goals),
    ...Object.fromEntries(DATED_KINDS.map((dated) => [dated.section, itemCounts(section[dated.section])])),
  } as Omit<ReportSummary, 'risks'>;
}
