import type { ApiKey } from '../../auth/api-key.entity.js';
import type { ApiKeyResponse } from './api-key.dto.js';

export function toApiKeyResponse(k: ApiKey): ApiKeyResponse {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    prefix: k.prefix,
    clusterIds: k.clusterIds,
    funderId: k.funderId,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}
