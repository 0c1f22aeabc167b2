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

/** Overdue: the due date is before today and the item is still planned or ongoing. */
export function isOverdue(dueDate: string | null, state: ItemState, today: string): boolean {
  return dueDate !== null && dueDate < today && (state === 'planned' || state === 'ongoing');
}

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
