import { ApiProperty } from '@nestjs/swagger';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export class FieldError {
  /** The offending field, as a path into the request (`indicator.target`, `query.limit`, `header.If-Match`). */
  @ApiProperty({ example: 'name' })
  field: string;

  @ApiProperty({ example: 'name must be shorter than or equal to 200 characters' })
  message: string;
}

/** An RFC 9457 problem details body: what every error response looks like. */
export class ProblemDetails {
  @ApiProperty({ example: 'https://styrman.dev/problems/validation', format: 'uri' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'The request has 1 invalid field.' })
  detail: string;

  @ApiProperty({ type: [FieldError], required: false })
  errors?: FieldError[];

  /** Quote this when reporting a problem: it finds the request in the logs. */
  @ApiProperty({ example: 'req-1', required: false })
  correlationId?: string;
}

/** The problem types Styrman answers with; `type` is `https://styrman.dev/problems/<code>`. */
export type ProblemCode =
  | 'validation'
  | 'malformed-json'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'precondition-failed'
  | 'request-timeout'
  | 'payload-too-large'
  | 'uri-too-long'
  | 'headers-too-large'
  | 'unsupported-media-type'
  | 'unprocessable'
  | 'too-many-requests'
  | 'service-unavailable'
  | 'internal';

export function problemType(code: ProblemCode): string {
  return `https://styrman.dev/problems/${code}`;
}
