import { diff, type FieldChange } from '../revisions/diff.js';
import type { ChangeKind } from './plan-changes.dto.js';

/** One side of an item in a comparison: its API fields, and whether it is in the plan (exists, not archived). */
export interface Side {
  fields: Map<string, unknown>;
  inPlan: boolean;
}

/**
 * How an item differs from one side to the other, or undefined when it does
 * not (also when it changed and changed back, or was never in the plan on
 * either side, as an item created and archived in between):
 * `added` when it is in the plan on the later side only, `archived` on the
 * earlier side only, `changed` on both with fields that differ.
 */
export function compareItem(before: Side | undefined, after: Side | undefined): { change: ChangeKind; fields: FieldChange[] } | undefined {
  const wasIn = before?.inPlan ?? false;
  const isIn = after?.inPlan ?? false;
  if (!wasIn && !isIn) return undefined;
  const fields = after ? diff(before?.fields, after.fields) : removed(before!.fields);
  if (wasIn && isIn) return fields.length > 0 ? { change: 'changed', fields } : undefined;
  return { change: isIn ? 'added' : 'archived', fields };
}

/** An item on the earlier side only, with no later state at all: every field it had goes. */
function removed(before: Map<string, unknown>): FieldChange[] {
  return [...before].filter(([, from]) => from !== null).map(([field, from]) => ({ field, from, to: null }));
}
