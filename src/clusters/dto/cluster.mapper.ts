import type { Cluster } from '../cluster.entity.js';
import type { ClusterFunder, ClusterResponse } from './cluster.dto.js';

export function toClusterResponse(c: Cluster, fundedBy: ClusterFunder[]): ClusterResponse {
  return {
    id: c.id,
    name: c.name,
    region: c.region,
    phase: c.phase,
    focusArea: c.focusArea,
    vision: c.vision,
    purpose: c.purpose,
    publicBadge: c.publicBadge,
    updateCadenceDays: c.updateCadenceDays,
    fundedBy,
    version: c.version,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    archivedAt: c.archivedAt?.toISOString() ?? null,
  };
}
