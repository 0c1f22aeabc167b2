import type { Type } from '@nestjs/common';
import { toActorResponse } from '../actors/actors.mapper.js';
import type { ActorsService } from '../actors/actors.service.js';
import { ActorResponse } from '../actors/dto/actor.dto.js';
import { PLAN_ITEM_KINDS, sectionOf } from '../plan-item-kinds.js';
import type { AnyPlanItemKind } from '../plan-items/plan-item-kind.js';
import type { PlanItems } from '../plan-items/plan-items.service.js';

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

/** A section of a kind of plan item, named as its list's path in camel case (`/risk-reviews` → `riskReviews`): the engine reads every kind the same way. */
function kindSection(kind: AnyPlanItemKind): PlanSection {
  return {
    name: sectionOf(kind),
    response: kind.response,
    path: kind.routes.path,
    read: ({ items }, clusterId, asOf) => items.current(kind, clusterId, asOf),
  };
}

/**
 * The sections of `GET /clusters/{clusterId}/plan` after the cluster, in the
 * order they are answered: every kind of plan item, then the actors. A new
 * kind is one more section (and one more statement per request).
 */
export const PLAN_SECTIONS: readonly PlanSection[] = [
  ...PLAN_ITEM_KINDS.map(kindSection),
  {
    name: 'actors',
    response: ActorResponse,
    path: 'actors',
    read: async ({ actors }, clusterId, asOf) => (await actors.current(clusterId, asOf)).map(toActorResponse),
  },
];
