import type { Row } from '../plan-items/plan-item-kind.js';
import { responseHead, responseTailWithState } from '../plan-items/plan-item-response.js';
import type { LowHangingFruitResponse } from './dto/low-hanging-fruit.dto.js';

/** A fruit's own columns, as PostgreSQL returns them. */
interface FruitRow {
  what: string;
  when_date: string;
  how: string | null;
  owner: string | null;
  goal_id: string | null;
}

export function toLowHangingFruitResponse(row: Row, today: string): LowHangingFruitResponse {
  const f = row as unknown as FruitRow;
  return {
    ...responseHead(row),
    what: f.what,
    when: f.when_date,
    how: f.how,
    owner: f.owner,
    goalId: f.goal_id,
    ...responseTailWithState(row, f.when_date, today),
  };
}
