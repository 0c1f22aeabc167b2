import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error.js';
import { type FieldError, type ProblemCode, problemType, type ProblemDetails } from './problem-details.js';

export interface MappedProblem {
  status: number;
  body: ProblemDetails;
  /** A real bug or outage, worth an error log with the stack. */
  unexpected: boolean;
  headers?: Record<string, string>;
}

function problem(status: number, code: ProblemCode, detail: string, errors?: FieldError[]): MappedProblem {
  const body: ProblemDetails = { type: problemType(code), title: STATUS_CODES[status] ?? 'Error', status, detail };
  if (errors && errors.length > 0) body.errors = errors;
  return { status, body, unexpected: false };
}

const CODE_BY_STATUS: Partial<Record<number, ProblemCode>> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  408: 'request-timeout',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  414: 'uri-too-long',
  431: 'headers-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'too-many-requests',
  503: 'service-unavailable',
};

/** `fk_goal__cluster_id` → `clusterId`: constraint names end with the column they guard. */
export function fieldOfConstraint(constraint: string | undefined): string | undefined {
  const column = constraint?.split('__')[1];
  return column?.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

interface PgError {
  code?: string;
  constraint?: string;
  column?: string;
  detail?: string;
}

function fromDatabase(error: PgError): MappedProblem | undefined {
  const field = fieldOfConstraint(error.constraint) ?? error.column;
  const errors = (message: string) => (field ? [{ field, message }] : undefined);
  switch (error.code) {
    case '23505':
      return problem(409, 'conflict', 'A resource with this value already exists.', errors(`${field ?? 'value'} is already taken`));
    case '23503':
      return error.detail?.includes('still referenced')
        ? problem(409, 'conflict', 'Other data still refers to this resource.', errors('still referenced'))
        : problem(422, 'unprocessable', 'The request refers to something that does not exist.', errors('refers to nothing'));
    case '23514':
    case '23502':
      return problem(422, 'unprocessable', 'The request breaks a rule of the data.', errors('breaks a rule'));
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22P02':
      return problem(400, 'validation', 'A value has the wrong form or size.', errors('wrong form or size'));
    case '40001':
    case '40P01':
    case '55P03':
      return problem(409, 'conflict', 'A concurrent change got in the way; retry the request.');
    case '57014':
    case '57P01':
    case '57P03':
      return { ...problem(503, 'service-unavailable', 'The database is not available; retry shortly.'), headers: { 'retry-after': '2' } };
    default:
      return undefined;
  }
}

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** PostgreSQL refusing the connection itself: down, starting, shutting down, full, or closed to us. */
const UNAVAILABLE_SQLSTATE = /^(08|57P|53|28)|^(3D000|55000)$/;

function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  if (code && (CONNECTION_ERRORS.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  // A PostgreSQL error outside a query (QueryFailedError) was raised while connecting.
  if (error.name === 'DatabaseError' || error.constructor.name === 'DatabaseError') return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(error.message);
}

/** Fastify's own errors: body parsing, content types, sizes. */
function fromFastify(error: { code?: string; statusCode?: number; message: string }): MappedProblem | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'payload-too-large', 'The request body is larger than this service accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'unsupported-media-type', 'Send the request body as application/json.', [
        { field: 'header.Content-Type', message: 'must be application/json' },
      ]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'malformed-json', 'The body is empty but Content-Type says JSON.', [
        { field: 'body', message: 'must be a JSON document' },
      ]);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem(400, 'malformed-json', 'The body is not valid JSON.', [{ field: 'body', message: error.message }]);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(400, 'validation', 'Content-Length does not match the body.');
    default:
      break;
  }
  if (error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400) {
    return problem(400, 'malformed-json', 'The body is not valid JSON.', [{ field: 'body', message: error.message }]);
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    const code = CODE_BY_STATUS[error.statusCode] ?? 'validation';
    return problem(error.statusCode, code, error.message);
  }
  return undefined;
}

/** Turns anything thrown while serving a request into problem details. */
export function toProblem(exception: unknown): MappedProblem {
  if (exception instanceof DomainError) {
    const mapped = problem(exception.status, exception.code, exception.message, exception.errors);
    if (exception.headers) mapped.headers = exception.headers;
    return mapped;
  }
  if (exception instanceof HttpException) {
    // Nest wraps Fastify's own errors (body parsing, sizes, content types): map the original.
    const cause = exception.cause as { code?: unknown; message?: string } | undefined;
    if (cause && typeof cause.code === 'string' && cause.code.startsWith('FST_')) {
      const mapped = fromFastify(cause as { code: string; message: string });
      if (mapped) return mapped;
    }
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message = typeof response === 'object' && response !== null && 'message' in response ? response.message : exception.message;
    const detail = Array.isArray(message) ? message.join('; ') : String(message);
    const mapped = problem(status, CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'validation'), detail);
    if (status === 503) mapped.headers = { 'retry-after': '2' };
    return mapped;
  }
  if (exception instanceof QueryFailedError) {
    const mapped = fromDatabase(exception.driverError as PgError);
    if (mapped) return mapped;
  }
  if (isDatabaseUnavailable(exception)) {
    return { ...problem(503, 'service-unavailable', 'The database is not available; retry shortly.'), headers: { 'retry-after': '2' } };
  }
  if (typeof exception === 'object' && exception !== null && 'message' in exception) {
    const mapped = fromFastify(exception as { code?: string; statusCode?: number; message: string });
    if (mapped) return mapped;
  }
  return {
    ...problem(500, 'internal', 'Something went wrong on our side. Quote the correlation id when you report it.'),
    unexpected: true,
  };
}
