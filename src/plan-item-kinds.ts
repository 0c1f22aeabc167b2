import { ACTIVITY } from './activities/activity.kind.js';
import { GOAL } from './goals/goal.kind.js';
import { FRUIT } from './low-hanging-fruits/low-hanging-fruit.kind.js';
import type { AnyPlanItemKind, KindNames } from './plan-items/plan-item-kind.js';
import type { SubjectType } from './plan-items/traffic-light.js';
import { RISK } from './risks/risk.kind.js';

/**
 * Every kind of plan item, beside the module list: what is derived per kind
 * (revision subjects, event shapes, plan changes, report sections, names in
 * reports and emails) reads the kinds from here.
 */
export const PLAN_ITEM_KINDS: readonly AnyPlanItemKind[] = [GOAL, ACTIVITY, FRUIT, RISK];

/** Every kind's name of one sort in one language, by subject type: `kindNames('sv', 'many').goal` is `Mål`. */
export function kindNames(lang: 'en' | 'sv', name: keyof KindNames): Record<SubjectType, string> {
  return Object.fromEntries(PLAN_ITEM_KINDS.map((kind) => [kind.subjectType, kind.names[lang][name]])) as Record<SubjectType, string>;
}

/** The kind of a subject type. */
export function kindOf(subjectType: string): AnyPlanItemKind | undefined {
  return PLAN_ITEM_KINDS.find((kind) => kind.subjectType === subjectType);
}

const camel = (text: string) => text.replace(/[-_](\w)/g, (_, c: string) => c.toUpperCase());

/** A kind's section in the plan, a report and the dashboard: its list's path in camel case (`activities`). */
export function sectionOf(kind: AnyPlanItemKind): string {
  return camel(kind.routes.path);
}

/** A kind's code in a report's sheets: its subject type in camel case (`activity`). */
export function codeOf(kind: AnyPlanItemKind): string {
  return camel(kind.subjectType);
}

/** The API field a column of a kind is shown as (its fields table). */
export function fieldOf(kind: AnyPlanItemKind, column: string): string {
  const found = kind.fields.find((f) => f.column === column);
  if (!found) throw new Error(`${kind.table}.${column} is not in the kind's fields table`);
  return found.field;
}
