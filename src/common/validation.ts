import { type ArgumentMetadata, HttpStatus, ParseUUIDPipe, ValidationPipe, type ValidationError } from '@nestjs/common';
import { Param } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { DomainError } from './domain-error.js';
import type { FieldError } from './problem-details.js';

/** Flattens class-validator's nested errors into one `{ field, message }` per broken rule. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export function validationProblem(errors: FieldError[]): DomainError {
  const detail =
    errors.length === 1 ? `The request has 1 invalid field: ${errors[0].field}.` : `The request has ${errors.length} invalid fields.`;
  return new DomainError('validation', HttpStatus.BAD_REQUEST, detail, errors);
}

/**
 * Nest's ValidationPipe, but a body that is not a JSON object (`null`, an
 * array, a number) where a DTO is expected is a 400 naming the body, rather
 * than something that validates as an empty object. Every input is validated,
 * every time: a validator may read the clock or the database.
 */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && typeof metadata.metatype === 'function' && metadata.metatype !== Object) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw validationProblem([{ field: 'body', message: 'body must be a JSON object' }]);
      }
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationProblem(flattenValidationErrors(errors)),
  });
}

/**
 * A path parameter that must be a UUID; anything else is a 400 naming the parameter. The document types it
 * `format: uuid`; where to get the id is said by `from` ("GET /clusters/{clusterId}/activities") or, without
 * it, found from the document's own list operations when the document is built (see `hardenDocument`).
 */
export function UuidParam(name: string, from?: string): ParameterDecorator {
  const param = Param(
    name,
    new ParseUUIDPipe({ exceptionFactory: () => validationProblem([{ field: name, message: `${name} must be a UUID` }]) }),
  );
  return (target, key, index) => {
    param(target, key, index);
    if (key === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, key)!;
    ApiParam({
      name,
      required: true,
      schema: { type: 'string', format: 'uuid' },
      ...(from ? { description: `A UUID: the \`id\` of an item from ${from}.` } : {}),
    })(target, key, descriptor);
  };
}
