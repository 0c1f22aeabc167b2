import {
  type CallHandler,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  type Type,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { validationProblem } from '../common/validation.js';
import { type IsolationLevel, transaction } from '../database/transaction-context.js';

export const IDEMPOTENCY_TTL_HOURS = 24;
/** How long a retry waits for the first request with its key to finish before it gets a 409. */
const WAIT_FOR_FIRST = '5s';
const KEY = /^[\x21-\x7e]{1,200}$/;

const SECRET_FIELDS = 'styrman:idempotency-secret-fields';
const RUN = 'styrman:idempotency-run';

/** Something that admits work one at a time or a few at once (a budget), running it when its turn comes. */
export interface Admission {
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** How a route's work runs when the request carries an Idempotency-Key. */
export interface IdempotentRunOptions {
  /** The isolation the route's work needs: the transaction that claims the key and does the work opens at it. */
  isolation?: IsolationLevel;
  /** A budget the work waits in before the transaction opens, so that no connection is held while it waits. */
  admission?: Type<Admission>;
}

/**
 * Marks a route whose work needs more than a READ COMMITTED transaction, or
 * waits for a budget: with an Idempotency-Key, the key is claimed in the
 * work's own transaction, so that transaction must be opened as the work needs
 * it (a transaction joined at a weaker level than asked for refuses).
 */
export const IdempotentRun = (options: IdempotentRunOptions): MethodDecorator => SetMetadata(RUN, options);

/**
 * Marks a route whose response carries a secret shown only once (a new API
 * key). With an Idempotency-Key, the stored record keeps the response without
 * these fields, so that no secret is ever at rest; a retry is then a 409 that
 * names the resource the first request created instead of a replay.
 */
export const SecretInResponse = (secret: SecretResponse): MethodDecorator => SetMetadata(SECRET_FIELDS, secret);

/** What a route's answer holds that is shown once, and what a retry's 409 says about it. */
export interface SecretResponse {
  /** The fields never kept. */
  fields: string[];
  /** What the first request did, given the id of what it answered: `created API key <id>`. */
  did: (id: string | undefined) => string;
  /** What to do when the secret was lost. */
  lost: string;
}

function withoutFields(body: unknown, fields: string[]): unknown {
  if (typeof body !== 'object' || body === null) return body;
  return Object.fromEntries(Object.entries(body).filter(([name]) => !fields.includes(name)));
}

function fingerprint(request: FastifyRequest): Buffer {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n`)
    .update(JSON.stringify(request.body ?? null))
    .digest();
}

/**
 * `Idempotency-Key` on any POST, as Stripe practises it: the first response
 * (status and body) is stored with a fingerprint of the request and replayed
 * for retries; the same key with another request is a 422; a retry while the
 * first is still running waits for it (a few seconds), then gets 409. The key
 * is claimed in the same transaction as the work, so a crash can never leave
 * work done without its record, or a record without its work. Keys are per
 * API key and expire after 24 hours.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
    private readonly modules: ModuleRef,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined || !request.caller) return next.handle();
    const key = Array.isArray(header) ? header.join(',') : header;
    if (!KEY.test(key)) {
      throw validationProblem([{ field: 'header.Idempotency-Key', message: 'must be 1–200 visible ASCII characters' }]);
    }
    const reply = http.getResponse<FastifyReply>();
    const apiKeyId = request.caller.keyId;
    const print = fingerprint(request);
    const secret = this.reflector.get<SecretResponse | undefined>(SECRET_FIELDS, context.getHandler());
    const options = this.reflector.get<IdempotentRunOptions | undefined>(RUN, context.getHandler()) ?? {};

    const work = () =>
      transaction(
        this.dataSource,
        async (manager) => {
          const stored = await this.claim(manager, apiKeyId, key, print);
          if (stored) {
            if (!stored.fingerprint.equals(print)) {
              throw DomainError.rule('header.Idempotency-Key', 'This Idempotency-Key was used with another request; use a new key.');
            }
            if (secret) throw secretNotReplayed(stored.body, secret);
            void reply.code(stored.status).header('idempotent-replayed', 'true');
            return stored.body;
          }
          const body: unknown = await lastValueFrom(next.handle() as Observable<unknown>, { defaultValue: undefined });
          await manager.query(`UPDATE idempotency_key SET response_status = $3, response_body = $4 WHERE api_key_id = $1 AND key = $2`, [
            apiKeyId,
            key,
            reply.statusCode,
            JSON.stringify((secret ? withoutFields(body, secret.fields) : body) ?? null),
          ]);
          return body;
        },
        options.isolation,
      );
    const admission = options.admission && this.modules.get(options.admission, { strict: false });
    return from(admission ? admission.run(work) : work());
  }

  /** Claims the key, or returns what an earlier request with it answered. */
  private async claim(
    manager: EntityManager,
    apiKeyId: string,
    key: string,
    print: Buffer,
  ): Promise<{ fingerprint: Buffer; status: number; body: unknown } | undefined> {
    await manager.query(`SET LOCAL lock_timeout = '${WAIT_FOR_FIRST}'`);
    await manager.query(`DELETE FROM idempotency_key WHERE api_key_id = $1 AND key = $2 AND expires_at < now()`, [apiKeyId, key]);
    let claimed: unknown[];
    try {
      // Waits while another transaction holds the same key, i.e. while the first request is still running.
      claimed = await manager.query(
        `INSERT INTO idempotency_key (api_key_id, key, fingerprint, expires_at)
         VALUES ($1, $2, $3, now() + interval '${IDEMPOTENCY_TTL_HOURS} hours')
         ON CONFLICT (api_key_id, key) DO NOTHING RETURNING 1`,
        [apiKeyId, key, print],
      );
    } catch (error) {
      const code = (error as { driverError?: { code?: string } }).driverError?.code;
      // 55P03: still held when the wait ended; 40001: the first request committed after this transaction's snapshot was
      // taken (REPEATABLE READ or stronger), so its record cannot be read here: a retry replays it.
      if (code === '55P03' || code === '40001') {
        throw new DomainError(
          'conflict',
          HttpStatus.CONFLICT,
          'A request with this Idempotency-Key is still being processed; retry shortly.',
        );
      }
      throw error;
    }
    if (claimed.length > 0) return undefined;
    const [row] = await manager.query<{ fingerprint: Buffer; response_status: number; response_body: unknown }[]>(
      `SELECT fingerprint, response_status, response_body FROM idempotency_key WHERE api_key_id = $1 AND key = $2`,
      [apiKeyId, key],
    );
    return { fingerprint: row.fingerprint, status: row.response_status, body: row.response_body };
  }
}

/** A retry of a request whose answer held a secret: what was created, but not the secret, which exists nowhere any more. */
function secretNotReplayed(stored: unknown, secret: SecretResponse): DomainError {
  const id = typeof stored === 'object' && stored !== null && 'id' in stored ? String(stored.id) : undefined;
  const message =
    `The first request with this Idempotency-Key ${secret.did(id)}; ` +
    `its ${secret.fields.join(' and ')} was shown once and is not kept, so it cannot be replayed. ${secret.lost}`;
  return DomainError.conflict(message, 'header.Idempotency-Key');
}
