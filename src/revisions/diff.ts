/** One field that a revision changed, as the API shows it. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * What changed from one state to the next, field by field, in field order.
 * A first state (`before` undefined) changes every field it sets.
 */
export function diff(before: Map<string, unknown> | undefined, after: Map<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [field, to] of after) {
    const from = before?.get(field) ?? null;
    if (!same(from, to)) changes.push({ field, from, to });
  }
  return changes;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
