import { progressPercent } from '../../goals/progress.js';
import { isOverdue } from '../../plan-items/overdue.js';
import type { ReportClusterSection, ReportIndicator, ReportMilestone, ReportNarrative } from '../dto/report.dto.js';
import { type AssembledDated, type AssembledGoal, ChangeList, ReplanList } from '../report-document.js';
import type { DatedKind } from '../report-kinds.js';
import type { ChangesRow, ClusterRow, FundingRow, GoalRow, ItemRow, NarrativeRow, ReplansRow } from '../read/reports.repository.js';

/** The change list of each item that changed in the period, by item id. */
export function changeLists(rows: ChangesRow[]): (id: string) => ChangeList {
  const byId = new Map(rows.map((r) => [r.subject_id, new ChangeList(r.count, r.changes)]));
  return (id) => byId.get(id) ?? ChangeList.NONE;
}

/** The replans of each item replanned in the period, by item id. */
export function replanLists(rows: ReplansRow[]): (id: string) => ReplanList {
  const byId = new Map(rows.map((r) => [r.subject_id, new ReplanList(r.replanned)]));
  return (id) => byId.get(id) ?? ReplanList.NONE;
}

export function toReportCluster(c: ClusterRow): ReportClusterSection['cluster'] {
  return { id: c.id, name: c.name, region: c.region, phase: c.phase };
}

export function toReportNarrative(n: NarrativeRow): ReportNarrative {
  return {
    id: n.id,
    period: n.period,
    version: n.version,
    summary: n.summary,
    results: n.results,
    deviations: n.deviations,
    nextSteps: n.next_steps,
  };
}

export function toReportFunding(f: FundingRow): ReportClusterSection['fundings'][number] {
  return {
    id: f.id,
    funderId: f.funder_id,
    programme: f.programme,
    amount: f.amount,
    currency: f.currency,
    startsOn: f.starts_on,
    endsOn: f.ends_on,
  };
}

function indicatorOf(g: GoalRow): ReportIndicator | null {
  if (g.indicator_unit === null || g.indicator_baseline === null || g.indicator_target === null) return null;
  const baseline = Number(g.indicator_baseline);
  const target = Number(g.indicator_target);
  const latestValue = g.latest_value === null ? null : Number(g.latest_value);
  return {
    unit: g.indicator_unit,
    baseline,
    target,
    latestValue,
    latestMeasuredOn: g.latest_measured_on,
    progressPercent: progressPercent(baseline, target, latestValue),
  };
}

/**
 * Each milestone due in the period against the value measured by its date: met
 * when that value has reached the milestone's target (at or above it, or at
 * or below it for a falling indicator); not met without a measurement.
 */
function milestonesOf(g: GoalRow): ReportMilestone[] {
  const falling = g.indicator_baseline !== null && g.indicator_target !== null && Number(g.indicator_target) < Number(g.indicator_baseline);
  return g.milestones.map((m) => {
    const target = Number(m.target);
    const actual = m.actual === null ? null : Number(m.actual);
    return { on: m.on, target, actual, met: actual !== null && (falling ? actual <= target : actual >= target) };
  });
}

export function toReportGoal(g: GoalRow, changes: ChangeList, replanned: ReplanList): AssembledGoal {
  return {
    id: g.id,
    title: g.title,
    horizon: g.horizon,
    perspective: g.perspective,
    contributesToGoalId: g.contributes_to_goal_id,
    statusAtStart: g.status_at_start,
    statusAtEnd: g.status_at_end,
    changes,
    replanned,
    indicator: indicatorOf(g),
    milestones: milestonesOf(g),
  };
}

/** Became done during the period: done at its end, and not already done at its start. */
function completedIn(item: ItemRow): boolean {
  return item.state_at_end === 'done' && item.state_at_start !== 'done';
}

/**
 * A dated item with a state as its kind's section shows it: the fields its kind declares (`report.columns`), then
 * its state and lights at the period's ends, its changes and replans, completed in the period, overdue at its end
 * (`endDay`: the last calendar day of the period).
 */
export function toReportDated(dated: DatedKind, row: ItemRow, changes: ChangeList, replanned: ReplanList, endDay: string): AssembledDated {
  const { search, due } = dated.kind.columns;
  const values: Record<string, unknown> = { [search]: row.title, goal_id: row.goal_id, [due!]: row.due_date };
  const item: Record<string, unknown> = { id: row.id };
  for (const { column, field } of dated.fields) item[field] = values[column];
  return Object.assign(item, {
    stateAtEnd: row.state_at_end,
    statusAtStart: row.status_at_start,
    statusAtEnd: row.status_at_end,
    changes,
    replanned,
    completedInPeriod: completedIn(row),
    overdueAtEnd: isOverdue(row.due_date, row.state_at_end, endDay),
  }) as unknown as AssembledDated;
}
