import { HttpStatus } from '@nestjs/common';
import type { FieldError, ProblemCode } from './problem-details.js';

/**
 * An error a service raises when a request breaks a rule. The exception filter
 * turns it into problem details; services never deal with HTTP responses.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly status: HttpStatus,
    message: string,
    readonly errors?: FieldError[],
    /** Response headers that belong to the answer (`Retry-After`, say). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  static notFound(what: string): DomainError {
    return new DomainError('not-found', HttpStatus.NOT_FOUND, `${what} was not found.`);
  }

  static forbidden(message: string): DomainError {
    return new DomainError('forbidden', HttpStatus.FORBIDDEN, message);
  }

  static conflict(message: string, field?: string): DomainError {
    return new DomainError('conflict', HttpStatus.CONFLICT, message, field ? [{ field, message }] : undefined);
  }

  /** 422: well-formed input that breaks a rule of the domain. */
  static rule(field: string, message: string): DomainError {
    return new DomainError('unprocessable', HttpStatus.UNPROCESSABLE_ENTITY, message, [{ field, message }]);
  }

  /** 400: malformed input that validation decorators cannot express. */
  static invalid(field: string, message: string): DomainError {
    return new DomainError('validation', HttpStatus.BAD_REQUEST, message, [{ field, message }]);
  }

  /** 503: the service is busy; the client should retry after the given seconds. */
  static unavailable(message: string, retryAfterSeconds: number): DomainError {
    return new DomainError('service-unavailable', HttpStatus.SERVICE_UNAVAILABLE, message, undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }

  static preconditionFailed(currentVersion: number): DomainError {
    return new DomainError(
      'precondition-failed',
      HttpStatus.PRECONDITION_FAILED,
      `If-Match does not name the current version ("${currentVersion}"): someone changed it since you read it. Fetch it again and retry.`,
    );
  }
}
