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
