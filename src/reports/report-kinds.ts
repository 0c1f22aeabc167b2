import { codeOf, fieldOf, PLAN_ITEM_KINDS, sectionOf } from '../plan-item-kinds.js';
import type { AnyPlanItemKind } from '../plan-items/plan-item-kind.js';
import type { DatedSection } from './report-document.js';

/**
 * A kind a report lists as dated items with a state (activities, fruits), from its descriptor: its section (of a
 * report's cluster and of its summary), its code in the sheets, and the API fields it shows before its state.
 */
export interface DatedKind {
  kind: AnyPlanItemKind;
  /** Its section: its list's path in camel case (`activities`). */
  section: DatedSection;
  /** Its code in the sheets: its subject type in camel case (`activity`). */
  code: string;
  /** The columns it shows before its state and their API fields, in order. */
  fields: readonly { column: string; field: string }[];
  /** The API fields of its title and its due date. */
  title: string;
  due: string;
}

function datedKind(kind: AnyPlanItemKind, columns: readonly string[]): DatedKind {
  const due = kind.columns.due;
  if (!due) throw new Error(`${kind.table} has no due column: a report cannot list it as dated items`);
  return {
    kind,
    section: sectionOf(kind) as DatedSection,
    code: codeOf(kind),
    fields: columns.map((column) => ({ column, field: fieldOf(kind, column) })),
    title: fieldOf(kind, kind.columns.search),
    due: fieldOf(kind, due),
  };
}

/** The kinds a report lists as dated items with a state, in the order of the kinds (after the goals, before the risks). */
export const DATED_KINDS: readonly DatedKind[] = PLAN_ITEM_KINDS.flatMap((kind) =>
  kind.report ? [datedKind(kind, kind.report.columns)] : [],
);

/** The codes of every kind of plan item in the sheets, in the order of the kinds (`goal`, `activity`, …). */
export const KIND_CODES: readonly string[] = PLAN_ITEM_KINDS.map(codeOf);

/** The title and due date of a dated item of a kind. */
export function titleAndDue(dated: DatedKind, item: object): { title: string; due: string | null } {
  const fields = item as Record<string, unknown>;
  return { title: fields[dated.title] as string, due: (fields[dated.due] as string | null | undefined) ?? null };
}
