import type { Row } from './plan-item-kind.js';
import type { ItemState, Status } from './traffic-light.js';

/**
 * The columns every plan item has, as PostgreSQL returns them. Each kind's mapper writes its whole response as one
 * object literal, in the order of its response class: the id and cluster first, its own fields, then (kinds with a
 * state) state, light, overdue and completion, and last the version and times. One literal rather than spread parts:
 * a list maps every row of its page, and spreading builds each response from three objects.
 */
export interface PlanItemRow {
  id: string;
  cluster_id: string;
  status: Status;
  state: ItemState;
  completed_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

/** A row's columns: the ones every plan item has and the kind's own. */
export function columnsOf<Own>(row: Row): Omit<PlanItemRow, keyof Own> & Own {
  return row as unknown as Omit<PlanItemRow, keyof Own> & Own;
}

/** A timestamp as the API shows it, or null. */
export function isoOrNull(time: Date | null): string | null {
  return time === null ? null : time.toISOString();
}
