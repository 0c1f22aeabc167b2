/** The traffic light of a goal, activity, low-hanging fruit or risk. */
export const STATUSES = ['green', 'yellow', 'red'] as const;
export type Status = (typeof STATUSES)[number];

/** Where an activity or a low-hanging fruit stands. A fruit that is `done` has been taken. */
export const ITEM_STATES = ['planned', 'ongoing', 'done', 'cancelled'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

/** Where a risk stands: still a threat, made smaller, happened, or no longer relevant. */
export const RISK_STATES = ['open', 'mitigated', 'occurred', 'closed'] as const;
export type RiskState = (typeof RISK_STATES)[number];

/** Every state of every kind, as the history keeps them (each kind declares its own set). */
export const PLAN_ITEM_STATES = [...ITEM_STATES, ...RISK_STATES] as const;
export type PlanItemState = (typeof PLAN_ITEM_STATES)[number];

/** The kinds of item that have a status history. */
export const SUBJECT_TYPES = ['goal', 'activity', 'low_hanging_fruit', 'risk'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/**
 * Yellow and red need a comment: a light that asks for attention must say why,
 * or the history is of no use to the funder reading it a year later.
 */
export function commentRequired(status: Status): boolean {
  return status !== 'green';
}
