import type { IndicatorDefinitionResponse } from './dto/indicator-definition.dto.js';
import type { IndicatorDefinition } from './indicator-definition.entity.js';

export function toIndicatorDefinitionResponse(d: IndicatorDefinition): IndicatorDefinitionResponse {
  return {
    id: d.id,
    code: d.code,
    name: d.name,
    description: d.description,
    unit: d.unit,
    aggregation: d.aggregation,
    breakdown: d.breakdown,
    funderId: d.funderId,
    shipped: d.shipped,
    adopted: d.adoptedAt !== null,
    version: d.version,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    archivedAt: d.archivedAt?.toISOString() ?? null,
  };
}
