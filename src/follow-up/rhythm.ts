import { SUBJECT_TYPES } from '../plan-items/traffic-light.js';

/**
 * The follow-up rhythm, counted in calendar days of the reporting time zone,
 * like "overdue":
 *
 * - `stale`: the newest history entry of the item (its creation counts) lies
 *   more than the cluster's `updateCadenceDays` days before today. With a
 *   cadence of 30, an item last updated on 1 October is fine on 31 October
 *   and stale on 1 November.
 * - `red_unchanged`: the item is red and its newest entry is at least 14 days
 *   old (updated on 1 October: red_unchanged from 15 October).
 * - `overdue`: the one definition shared with the lists and reports.
 */
export const NEEDS_UPDATE_REASONS = ['red_unchanged', 'overdue', 'stale'] as const;
export type NeedsUpdateReason = (typeof NEEDS_UPDATE_REASONS)[number];

/** A red light nobody has touched for this many days is a warning of its own. */
export const RED_UNCHANGED_DAYS = 14;

/** The kinds of plan item the follow-up covers (those with a traffic light), in the order a grid groups them. */
export const SUBJECT_KINDS = SUBJECT_TYPES;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/**
 * The instant the calendar day `days` days before :today starts in :timeZone,
 * as SQL (both are named parameters). An item whose newest history entry is
 * before `staleSince(cadence)` is stale; one that is red with its newest entry
 * before `staleSince(RED_UNCHANGED_DAYS - 1)` is red_unchanged.
 */
export function dayStartSql(days: string): string {
  return `((CAST(:today AS date) - ${days})::timestamp AT TIME ZONE :timeZone)`;
}

/** The SQL instant before which an item of a cluster with this cadence column is stale. */
export function staleBeforeSql(cadenceColumn: string): string {
  return dayStartSql(cadenceColumn);
}
