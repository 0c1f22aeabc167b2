import { ApiProperty } from '@nestjs/swagger';
import { FUNDER_KINDS, type FunderKind } from '../../funders/funder.entity.js';
import { FundingResponse } from '../../funders/dto/funding.dto.js';
import { HORIZONS, type Horizon, PERSPECTIVES, type Perspective } from '../../goals/goal.entity.js';
import { PHASES, type Phase } from '../../clusters/cluster.entity.js';
import { ACTOR_CORES, ACTOR_KINDS, type ActorCore, type ActorKind, ENGAGEMENTS, type Engagement } from '../../actors/actor.entity.js';
import {
  ITEM_STATES,
  type ItemState,
  PLAN_ITEM_STATES,
  type PlanItemState,
  RISK_STATES,
  type RiskState,
  STATUSES,
  type Status,
} from '../../plan-items/traffic-light.js';
import { IndicatorTotalsItem } from '../../indicators/dto/indicator-totals-item.dto.js';

import { ReportNarrative } from './report-narrative.dto.js';
import { ReportSummary } from './report-counts.dto.js';

export class ReportChange {
  @ApiProperty({ enum: STATUSES, enumName: 'Status' })
  status: Status;

  /** Activities, fruits and risks: the state after the change (each kind has its own states). */
  @ApiProperty({ enum: PLAN_ITEM_STATES, enumName: 'PlanItemState', nullable: true, required: false })
  state?: PlanItemState | null;

  @ApiProperty({ type: String, nullable: true, example: 'Two key firms have not yet signed up.' })
  comment: string | null;

  @ApiProperty({ example: 'Findit process leader' })
  author: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** A change in the period of what was planned: a title, a date, an indicator's baseline or target. */
export class ReportReplan {
  /**
   * `title` (`what` of fruits), `startDate`, `dueDate`, `when`, `indicator.baseline` or `indicator.target`; of a risk,
   * `title`, `likelihood` or `impact`.
   */
  @ApiProperty({ example: 'dueDate' })
  field: string;

  @ApiProperty({ example: '2026-09-30', oneOf: [{ type: 'string', nullable: true }, { type: 'number' }] })
  from: string | number | null;

  @ApiProperty({ example: '2026-12-15', oneOf: [{ type: 'string', nullable: true }, { type: 'number' }] })
  to: string | number | null;

  @ApiProperty({ format: 'date-time' })
  recordedAt: string;

  @ApiProperty({ example: 'Findit process leader' })
  author: string;
}

export class ReportIndicator {
  @ApiProperty({ example: 'member firms' })
  unit: string;

  @ApiProperty({ example: 12 })
  baseline: number;

  @ApiProperty({ example: 40 })
  target: number;

  /** The newest value measured on or before the end of the period. */
  @ApiProperty({ type: Number, nullable: true, example: 26 })
  latestValue: number | null;

  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-09-30' })
  latestMeasuredOn: string | null;

  @ApiProperty({ type: Number, nullable: true, example: 50 })
  progressPercent: number | null;
}

export class ReportMilestone {
  @ApiProperty({ type: String, format: 'date', example: '2026-06-30' })
  on: string;

  @ApiProperty({ example: 25 })
  target: number;

  /** The latest value measured on or before `on` and recorded by the end of the period; null without one. */
  @ApiProperty({ type: Number, nullable: true, example: 27 })
  actual: number | null;

  /** `actual` has reached `target` (at or above it; at or below it for a falling indicator). */
  @ApiProperty({ example: true })
  met: boolean;
}

export class ReportGoal {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Mobilise 40 member firms' })
  title: string;

  @ApiProperty({ enum: HORIZONS, enumName: 'Horizon' })
  horizon: Horizon;

  @ApiProperty({ enum: PERSPECTIVES, enumName: 'Perspective', nullable: true })
  perspective: Perspective | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  contributesToGoalId: string | null;

  /** null when the goal was created during the period. */
  @ApiProperty({ enum: STATUSES, enumName: 'Status', nullable: true })
  statusAtStart: Status | null;

  @ApiProperty({ enum: STATUSES, enumName: 'Status' })
  statusAtEnd: Status;

  @ApiProperty({ type: [ReportChange] })
  changes: ReportChange[];

  /** What was replanned in the period, oldest first. */
  @ApiProperty({ type: [ReportReplan] })
  replanned: ReportReplan[];

  @ApiProperty({ type: ReportIndicator, nullable: true })
  indicator: ReportIndicator | null;

  /** The indicator's milestones due in the period, in date order. */
  @ApiProperty({ type: [ReportMilestone] })
  milestones: ReportMilestone[];
}

export class ReportActivity {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Member survey' })
  title: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  goalId: string | null;

  @ApiProperty({ type: String, format: 'date', nullable: true })
  dueDate: string | null;

  @ApiProperty({ enum: ITEM_STATES, enumName: 'ItemState' })
  stateAtEnd: ItemState;

  @ApiProperty({ enum: STATUSES, enumName: 'Status', nullable: true })
  statusAtStart: Status | null;

  @ApiProperty({ enum: STATUSES, enumName: 'Status' })
  statusAtEnd: Status;

  @ApiProperty({ type: [ReportChange] })
  changes: ReportChange[];

  /** What was replanned in the period, oldest first. */
  @ApiProperty({ type: [ReportReplan] })
  replanned: ReportReplan[];

  /** Became done during the period. */
  @ApiProperty()
  completedInPeriod: boolean;

  /** Due before the last day of the period and still planned or ongoing at its end. */
  @ApiProperty()
  overdueAtEnd: boolean;
}

export class ReportLowHangingFruit {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Joint stand at the regional industry fair' })
  what: string;

  @ApiProperty({ type: String, format: 'date' })
  when: string;

  @ApiProperty({ enum: ITEM_STATES, enumName: 'ItemState' })
  stateAtEnd: ItemState;

  @ApiProperty({ enum: STATUSES, enumName: 'Status', nullable: true })
  statusAtStart: Status | null;

  @ApiProperty({ enum: STATUSES, enumName: 'Status' })
  statusAtEnd: Status;

  @ApiProperty({ type: [ReportChange] })
  changes: ReportChange[];

  /** What was replanned in the period, oldest first. */
  @ApiProperty({ type: [ReportReplan] })
  replanned: ReportReplan[];

  /** Taken (became done) during the period. */
  @ApiProperty()
  completedInPeriod: boolean;

  @ApiProperty()
  overdueAtEnd: boolean;
}

export class ReportRisk {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'The key firms lose interest before the cluster has shown results' })
  title: string;

  /** As at the end of the period, as every field of a report. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 3 })
  likelihood: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 5 })
  impact: number;

  /** likelihood × impact. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 25, example: 15 })
  score: number;

  @ApiProperty({ enum: RISK_STATES, enumName: 'RiskState' })
  stateAtEnd: RiskState;

  @ApiProperty({ enum: STATUSES, enumName: 'Status', nullable: true })
  statusAtStart: Status | null;

  @ApiProperty({ enum: STATUSES, enumName: 'Status' })
  statusAtEnd: Status;

  @ApiProperty({ type: [ReportChange] })
  changes: ReportChange[];

  /** Changes of title, likelihood and impact in the period, oldest first. */
  @ApiProperty({ type: [ReportReplan] })
  replanned: ReportReplan[];
}

/** How many actors of one kind, core and engagement there were. */
export class ActorCount {
  @ApiProperty({ enum: ACTOR_KINDS, enumName: 'ActorKind' })
  kind: ActorKind;

  @ApiProperty({ enum: ACTOR_CORES, enumName: 'ActorCore' })
  core: ActorCore;

  @ApiProperty({ enum: ENGAGEMENTS, enumName: 'Engagement' })
  engagement: Engagement;

  @ApiProperty({ example: 4 })
  count: number;
}

/** The stakeholder analysis at the start and at the end of the period: non-zero counts, by kind, core and engagement. */
export class ReportActors {
  @ApiProperty({ type: [ActorCount] })
  start: ActorCount[];

  @ApiProperty({ type: [ActorCount] })
  end: ActorCount[];
}

export { ReportNarrative };

export class ReportCluster {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Findit' })
  name: string;

  @ApiProperty({ example: 'Gävleborg' })
  region: string;

  @ApiProperty({ enum: PHASES, enumName: 'Phase' })
  phase: Phase;
}

export class ReportClusterSection {
  @ApiProperty({ type: ReportCluster })
  cluster: ReportCluster;

  /**
   * The cluster's narrative of the period (the year, half or quarter running over exactly the report's days), as it
   * stood at the moment the report is known at; absent when it had none then, so that a report without one keeps
   * the bytes it always had.
   */
  @ApiProperty({ type: ReportNarrative, required: false })
  narrative?: ReportNarrative;

  /** Fundings overlapping the period (a funder sees only its own). */
  @ApiProperty({ type: [FundingResponse] })
  fundings: Pick<FundingResponse, 'id' | 'funderId' | 'programme' | 'amount' | 'currency' | 'startsOn' | 'endsOn'>[];

  @ApiProperty({ type: ReportSummary })
  summary: ReportSummary;

  @ApiProperty({ type: [ReportGoal] })
  goals: ReportGoal[];

  @ApiProperty({ type: [ReportActivity] })
  activities: ReportActivity[];

  @ApiProperty({ type: [ReportLowHangingFruit] })
  lowHangingFruits: ReportLowHangingFruit[];

  @ApiProperty({ type: [ReportRisk] })
  risks: ReportRisk[];

  @ApiProperty({ type: ReportActors })
  actors: ReportActors;
}

export class ReportFunder {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Vinnova' })
  name: string;

  @ApiProperty({ enum: FUNDER_KINDS, enumName: 'FunderKind' })
  kind: FunderKind;
}

export class ReportResponse {
  /** The first instant of the period. */
  @ApiProperty({ format: 'date-time', example: '2026-06-30T22:00:00.000Z' })
  from: string;

  /** The last instant of the period (inclusive). */
  @ApiProperty({ format: 'date-time', example: '2026-09-30T21:59:59.999Z' })
  to: string;

  /** The period's first calendar day in `timeZone`, as `dueOn` counts; only for periods ending 2027-01-01 or later. */
  @ApiProperty({ format: 'date', required: false, example: '2027-01-01' })
  fromDate?: string;
  /** The period's last calendar day in `timeZone` (inclusive); present with `fromDate`. */
  @ApiProperty({ format: 'date', required: false, example: '2027-03-31' })
  toDate?: string;

  /** The `period` asked for (`2026-Q3`), or null for `from` and `to`. */
  @ApiProperty({ type: String, nullable: true, example: '2026-Q3' })
  period: string | null;

  /** Whether the period has ended: a complete report is the same on every pull, byte for byte. */
  @ApiProperty({ example: true })
  complete: boolean;

  @ApiProperty({ example: 'Europe/Stockholm' })
  timeZone: string;

  /**
   * The moment up to which recordings (measurements, the narrative) count, when later than `to`: the report about the
   * period as known then (`?knownAt=`, and every submitted report, known at its submission). Absent: as known at `to`.
   */
  @ApiProperty({ format: 'date-time', required: false, example: '2026-12-06T09:30:00.000Z' })
  knownAt?: string;

  @ApiProperty({ type: ReportFunder, required: false })
  funder?: ReportFunder;

  @ApiProperty({ type: [ReportClusterSection] })
  clusters: ReportClusterSection[];

  /**
   * The programme indicators of the report's clusters added up, as `GET /funders/{funderId}/indicator-totals` adds them
   * (a cluster report: that cluster's values); after `clusters`, and absent when none of them has a value of any.
   */
  @ApiProperty({ type: [IndicatorTotalsItem], required: false })
  indicatorTotals?: IndicatorTotalsItem[];
}
