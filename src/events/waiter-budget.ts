import { HttpStatus, Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error.js';
import { Environment } from '../config/environment.js';

/**
 * How many long-polls (`GET /events?wait=`) an instance holds: at most
 * `EVENTS_MAX_WAITERS_PER_KEY` per key and `EVENTS_MAX_WAITERS` in all. A
 * held request costs a socket and a place in every wake-up; without a bound
 * one key could open a thousand and take every connection the instance has.
 * A request over a budget is answered at once (429 for the key's budget, 503
 * for the instance's), never held, with `Retry-After` saying when the
 * earliest held request ends at the latest.
 */
@Injectable()
export class WaiterBudget {
  /** The deadlines (epoch ms) of the requests held, per key. */
  private readonly held = new Map<string, Set<{ deadline: number }>>();
  private total = 0;

  constructor(private readonly env: Environment) {}

  /** Long-polls held by this instance now. */
  get waiterCount(): number {
    return this.total;
  }

  /** Takes a place for a long-poll of `keyId` until `deadline`; the returned function gives it back (once). */
  admit(keyId: string, deadline: number): () => void {
    const mine = this.held.get(keyId) ?? new Set();
    if (mine.size >= this.env.EVENTS_MAX_WAITERS_PER_KEY) {
      const retry = retryAfter(mine);
      throw new DomainError(
        'too-many-requests',
        HttpStatus.TOO_MANY_REQUESTS,
        `This key already holds ${mine.size} waiting requests (wait > 0), the most one key may hold (EVENTS_MAX_WAITERS_PER_KEY). Retry after ${retry} s, or without wait.`,
        undefined,
        { 'retry-after': String(retry) },
      );
    }
    if (this.total >= this.env.EVENTS_MAX_WAITERS) {
      const retry = retryAfter([...this.held.values()].flatMap((s) => [...s]));
      throw DomainError.unavailable(
        `This instance holds ${this.total} waiting requests, the most it holds (EVENTS_MAX_WAITERS). Retry after ${retry} s, or without wait.`,
        retry,
      );
    }
    const place = { deadline };
    mine.add(place);
    this.held.set(keyId, mine);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      mine.delete(place);
      if (mine.size === 0) this.held.delete(keyId);
    };
  }
}

/** Seconds until the earliest of these held requests has ended at the latest (at least 1). */
function retryAfter(places: Iterable<{ deadline: number }>): number {
  let earliest = Infinity;
  for (const p of places) earliest = Math.min(earliest, p.deadline);
  return Number.isFinite(earliest) ? Math.max(1, Math.ceil((earliest - Date.now()) / 1000)) : 1;
}
