import type { MeasuredOrganisationResponse, MeasurementResponse } from './dto/measurement.dto.js';
import type { Measurement } from './measurement.entity.js';

/** A measurement; with `organisations` when it lists them (those of other indicators read as they always have). */
export function toMeasurementResponse(m: Measurement, organisations?: MeasuredOrganisationResponse[]): MeasurementResponse {
  return {
    id: m.id,
    goalId: m.goalId,
    value: Number(m.value),
    measuredOn: m.measuredOn,
    comment: m.comment,
    ...(organisations && organisations.length > 0 ? { organisations } : {}),
    author: m.author,
    authorKeyId: m.authorKeyId,
    createdAt: m.createdAt.toISOString(),
  };
}
