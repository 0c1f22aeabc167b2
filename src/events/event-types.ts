import { SUBJECT_TYPES } from '../plan-items/traffic-light.js';

/** Plan items whose events follow their status: created, updated, status_changed, archived (every kind of plan item, then actors). */
const PLAN_ITEM_SUBJECTS = [...SUBJECT_TYPES, 'actor'] as const;

/** Every type of event in the feed, as the contract names them. */
export const EVENT_TYPES = [
  ...PLAN_ITEM_SUBJECTS.flatMap((s) => [`${s}.created`, `${s}.updated`, `${s}.archived`, `${s}.status_changed`] as const),
  'measurement.recorded',
  'cluster.created',
  'cluster.updated',
  'cluster.archived',
  'funding.created',
  'funding.updated',
  'funding.archived',
  'report_submission.submitted',
  'report_submission.acknowledged',
  'report_submission.returned',
  'indicator_definition.created',
  'indicator_definition.updated',
  'indicator_definition.archived',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The event type of a revision, as SQL on a revision row `alias`. Revisions
 * are the events: a plan item's `status` revision is `.status_changed`; a
 * cluster or funding has no status of its own, so any change is `.updated`;
 * a measurement is only ever recorded; a submitted report's event is the
 * state it reached (`submitted`, `acknowledged`, `returned`). Funders and
 * period narratives make no events (the contract names none): their revisions are passed over, and the
 * cursor still moves past them. Kept as plain text comparisons, so that a
 * subject added to the revision enum later (report submissions) needs no cast.
 */
export function eventTypeSql(alias: string): string {
  const t = `${alias}.subject_type::text`;
  return `(CASE
    WHEN ${t} IN ('funder', 'narrative') THEN NULL
    WHEN ${t} = 'measurement' THEN 'measurement.recorded'
    WHEN ${t} = 'report_submission' THEN 'report_submission.' || (${alias}.state->>'state')
    WHEN ${t} IN ('cluster', 'funding') AND ${alias}.kind = 'status' THEN ${t} || '.updated'
    WHEN ${alias}.kind = 'status' THEN ${t} || '.status_changed'
    ELSE ${t} || '.' || ${alias}.kind::text
  END)`;
}

/**
 * A position in the feed: the transaction id and the position of the last
 * event read, `<xid>_<position>`. Events are ordered by (xid, position): see
 * EventsService for why the transaction comes first.
 */
export interface Cursor {
  xid: string;
  position: string;
}

export const CURSOR_PATTERN = /^(\d{1,19})_(\d{1,19})$/;
export const START: Cursor = { xid: '0', position: '0' };

export function formatCursor(c: Cursor): string {
  return `${c.xid}_${c.position}`;
}

/** A cursor as given by `after` (already checked against CURSOR_PATTERN by validation). */
export function parseCursor(text: string | undefined): Cursor {
  if (text === undefined) return START;
  const m = CURSOR_PATTERN.exec(text);
  if (!m) throw new Error(`Not a cursor: ${text}`);
  return { xid: m[1], position: m[2] };
}
