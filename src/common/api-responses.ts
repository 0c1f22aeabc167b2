import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiPreconditionFailedResponse,
  type ApiResponseOptions,
  ApiUnprocessableEntityResponse,
  ApiHeader,
  ApiNotModifiedResponse,
} from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from './problem-details.js';
import { CONDITION_MAX_LENGTH, IF_MATCH_PATTERN, IF_NONE_MATCH_PATTERN } from './etag.js';

/** Documents a problem-details answer with the content type Styrman really sends. */
export function ProblemResponse(description: string): ApiResponseOptions {
  return {
    description,
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
  };
}

export function ApiBadRequest(
  description = 'Malformed input: a wrong type, an unknown field, a bad enum value, id or date, a text too long.',
) {
  return ApiBadRequestResponse(ProblemResponse(description));
}

export function ApiNotFound(what: string) {
  return ApiNotFoundResponse(ProblemResponse(`No ${what} with this id that the caller may read.`));
}

export function ApiUnprocessable(description: string) {
  return ApiUnprocessableEntityResponse(ProblemResponse(description));
}

export function ApiConflict(description: string) {
  return ApiConflictResponse(ProblemResponse(description));
}

/** `If-Match` on a write, and the 412 it can cause. */
export function ApiConditionalWrite() {
  return applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The ETag of the version you read (e.g. `"3"`); a stale one gets 412 and changes nothing.',
      schema: { type: 'string', maxLength: CONDITION_MAX_LENGTH, pattern: IF_MATCH_PATTERN },
    }),
    ApiPreconditionFailedResponse(ProblemResponse('If-Match names another version: someone changed the resource since.')),
  );
}

/** `If-None-Match` on a read, and the 304 it can cause. */
export function ApiConditionalRead() {
  return applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'The ETag you hold; 304 with no body when it is still current.',
      schema: { type: 'string', maxLength: CONDITION_MAX_LENGTH, pattern: IF_NONE_MATCH_PATTERN },
    }),
    ApiNotModifiedResponse({ description: 'Not modified since the ETag in If-None-Match.' }),
  );
}
