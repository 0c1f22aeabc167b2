import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { Environment } from '../config/environment.js';
import { ReplicaReads } from '../database/replica-reads.js';
import { parseAsOf } from './as-of.js';

const REPLICA_READ = 'styrman:replica-read';

/**
 * A GET whose reads may go to the replica: as of the instant in the query parameter `field` (a date or an instant, as
 * `asOf`), or, without it, as of now. Every GET with `asOf` is one already; this marks the others (revisions, status
 * grids, plan changes).
 */
export const ReadFromReplica = (field?: string) => SetMetadata(REPLICA_READ, { field });

/** Routes the reads of GETs about the past to the replica when it has replayed past what they need (ReplicaReads). */
@Injectable()
export class ReplicaReadInterceptor implements NestInterceptor {
  constructor(
    private readonly replica: ReplicaReads,
    private readonly reflector: Reflector,
    private readonly env: Environment,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.replica.configured) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET' && request.method !== 'HEAD') return next.handle();
    const query = (request.query ?? {}) as Record<string, unknown>;
    const marked = this.reflector.getAllAndOverride<{ field?: string } | undefined>(REPLICA_READ, [
      context.getHandler(),
      context.getClass(),
    ]);
    const field = typeof query.asOf === 'string' ? 'asOf' : marked?.field;
    if (!marked && field !== 'asOf') return next.handle();
    const value = field ? query[field] : undefined;
    let instant: Date | undefined;
    try {
      // A value the handler will refuse (400) is read as now: the primary's answer, whichever it is.
      instant = typeof value === 'string' ? parseAsOf(value, this.env.REPORT_TIME_ZONE, new Date(), field) : undefined;
    } catch {
      instant = undefined;
    }
    return from(this.replica.read(instant, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
