import type { Type } from '@nestjs/common';
import { ACTIVITY } from '../activities/activity.kind.js';
import { toActorResponse } from '../actors/actors.mapper.js';
import type { ActorsService } from '../actors/actors.service.js';
import { ActorResponse } from '../actors/dto/actor.dto.js';
import { GOAL } from '../goals/goal.kind.js';
import { FRUIT } from '../low-hanging-fruits/low-hanging-fruit.kind.js';
import type { AnyPlanItemKind } from '../plan-items/plan-item-kind.js';
import type { PlanItems } from '../plan-items/plan-items.service.js';
import { RISK } from '../risks/risk.kind.js';

/** What a section reads with. */
export interface PlanReaders {
  items: PlanItems;
  actors: ActorsService;
}

/** A section of the plan: its name in the response, what its items look like, and how to read them in one statement. */
export interface PlanSection {
  name: string;
  /** The response class of one item, for the document. */
  response: Type<unknown>;
  /** The list this section answers as: `activities` in `GET /clusters/{clusterId}/activities`. */
  path: string;
  /** Every item of the cluster that is not archived (as of `asOf`, if given), in the order of its list, in one statement. */
  read(readers: PlanReaders, clusterId: string, asOf?: Date): Promise<unknown[]>;
}

/** A section of a kind of plan item: the engine reads every kind the same way. */
function kindSection(name: string, kind: AnyPlanItemKind): PlanSection {
  return {
    name,
    response: kind.response,
    path: kind.routes.path,
    read: ({ items }, clusterId, asOf) => items.current(kind, clusterId, asOf),
  };
}

/**
 * The sections of `GET /clusters/{clusterId}/plan` after the cluster, in the
 * order they are answered. A new kind is one more entry (and one more
 * statement per request).
 */
export const PLAN_SECTIONS: readonly PlanSection[] = [
  kindSection('goals', GOAL),
  kindSection('activities', ACTIVITY),
  kindSection('lowHangingFruits', FRUIT),
  kindSection('risks', RISK),
  {
    name: 'actors',
    response: ActorResponse,
    path: 'actors',
    read: async ({ actors }, clusterId, asOf) => (await actors.current(clusterId, asOf)).map(toActorResponse),
  },
];
