import { ACTIVITY } from '../activities/activity.kind.js';
import { GOAL } from '../goals/goal.kind.js';
import { FRUIT } from '../low-hanging-fruits/low-hanging-fruit.kind.js';
import type { AnyPlanItemKind } from '../plan-items/plan-item-kind.js';

/**
 * The sections of `GET /clusters/{clusterId}/plan` after the cluster, in the
 * order they are answered: one kind of plan item each, under its name in the
 * response. A new kind is one more entry (one more statement per request).
 */
export const PLAN_SECTIONS: readonly { name: string; kind: AnyPlanItemKind }[] = [
  { name: 'goals', kind: GOAL },
  { name: 'activities', kind: ACTIVITY },
  { name: 'lowHangingFruits', kind: FRUIT },
];
