import { ACTIVITY } from './activities/activity.kind.js';
import { GOAL } from './goals/goal.kind.js';
import { FRUIT } from './low-hanging-fruits/low-hanging-fruit.kind.js';
import type { AnyPlanItemKind } from './plan-items/plan-item-kind.js';
import { RISK } from './risks/risk.kind.js';

/**
 * Every kind of plan item, beside the module list: what is derived per kind
 * (revision subjects, event shapes, plan changes) reads the kinds from here.
 */
export const PLAN_ITEM_KINDS: readonly AnyPlanItemKind[] = [GOAL, ACTIVITY, FRUIT, RISK];
