/** The traffic light of a goal, activity or low-hanging fruit. */
export const STATUSES = ['green', 'yellow', 'red'] as const;
export type Status = (typeof STATUSES)[number];

/** Where an activity or a low-hanging fruit stands. A fruit that is `done` has been taken. */
export const ITEM_STATES = ['planned', 'ongoing', 'done', 'cancelled'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

/** The kinds of item that have a status history. */
export const SUBJECT_TYPES = ['goal', 'activity', 'low_hanging_fruit'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];

/**
 * Yellow and red need a comment: a light that asks for attention must say why,
 * or the history is of no use to the funder reading it a year later.
 */
export function commentRequired(status: Status): boolean {
  return status !== 'green';
}
