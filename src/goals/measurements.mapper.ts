import type { MeasurementResponse } from './dto/measurement.dto.js';
import type { Measurement } from './measurement.entity.js';

export function toMeasurementResponse(m: Measurement): MeasurementResponse {
  return {
    id: m.id,
    goalId: m.goalId,
    value: Number(m.value),
    measuredOn: m.measuredOn,
    comment: m.comment,
    author: m.author,
    authorKeyId: m.authorKeyId,
    createdAt: m.createdAt.toISOString(),
  };
}
