/**
 * How often a cluster means to update its plan (`updateCadenceDays`): the
 * follow-up calls an item stale after this many calendar days without a
 * history entry. The column's check constraint holds the same bounds.
 */
export const DEFAULT_UPDATE_CADENCE_DAYS = 30;
export const MIN_UPDATE_CADENCE_DAYS = 1;
export const MAX_UPDATE_CADENCE_DAYS = 365;
