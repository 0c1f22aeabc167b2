import type { Actor } from './actor.entity.js';
import type { ActorResponse } from './dto/actor.dto.js';

export function toActorResponse(a: Actor): ActorResponse {
  return {
    id: a.id,
    clusterId: a.clusterId,
    name: a.name,
    kind: a.kind,
    core: a.core,
    engagement: a.engagement,
    role: a.role,
    organisationNumber: a.organisationNumber,
    version: a.version,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
    archivedAt: a.archivedAt?.toISOString() ?? null,
  };
}
