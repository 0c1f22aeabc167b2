import type { ItemState } from './traffic-light.js';

/**
 * The one definition of "overdue", written twice side by side: as TypeScript
 * for an item in hand (responses, reports) and as SQL for items in a table
 * (list filters, the dashboard). An item is overdue when its due date is
 * before today and it is still planned or ongoing; due today is not late yet.
 */
export const OPEN_STATES: readonly ItemState[] = ['planned', 'ongoing'];

/** Overdue: the due date is before today and the item is still planned or ongoing. */
export function isOverdue(dueDate: string | null, state: ItemState, today: string): boolean {
  return dueDate !== null && dueDate < today && OPEN_STATES.includes(state);
}

/**
 * The SQL condition of "overdue" for a due-date column and a state column
 * (qualified as the query needs them), compared with the named parameter
 * `:today`. NULL (not false) when the due date is NULL, as in SQL.
 */
export function overdueSql(dueColumn: string, stateColumn: string): string {
  return `(${dueColumn} < :today AND ${stateColumn} IN (${OPEN_STATES.map((s) => `'${s}'`).join(', ')}))`;
}
