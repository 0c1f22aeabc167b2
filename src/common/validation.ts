import { type ArgumentMetadata, HttpStatus, ParseUUIDPipe, ValidationPipe, type ValidationError } from '@nestjs/common';
import { Param } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
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

/** Inputs a DTO class has accepted, remembered per class (bounded): the same query or body is not validated again. */
const MEMO_MAX_INPUTS = 500;
const MEMO_MAX_KEY_LENGTH = 2048;
/** Keys the pipe strips before validating: an input naming one of them anywhere always takes the full path. */
const PROTO_KEYS = /"(__proto__|constructor|prototype)"/;

function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return true;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value) as object | null;
  // Fastify's query string parser makes its objects from an empty prototype without a prototype of its own.
  return (
    prototype === Object.prototype ||
    prototype === null ||
    (Object.getPrototypeOf(prototype) === null && Reflect.ownKeys(prototype).length === 0)
  );
}

/**
 * Nest's ValidationPipe, but a body that is not a JSON object (`null`, an
 * array, a number) where a DTO is expected is a 400 naming the body, rather
 * than something that validates as an empty object.
 *
 * A query or body equal to one the same DTO class has already accepted is not
 * validated again, only transformed: class-validator's rules are pure functions
 * of the input (none reads the clock or the database), so the answer would be
 * the same, and validating was the largest cost of a small GET (`?limit=50`,
 * no query at all) and of a status update (`{"status":"green"}`). Rejected
 * inputs are never remembered: they take the full path, which names the field.
 */
class BodyValidationPipe extends ValidationPipe {
  private readonly accepted = new WeakMap<object, Set<string>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && typeof metadata.metatype === 'function' && metadata.metatype !== Object) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw validationProblem([{ field: 'body', message: 'body must be a JSON object' }]);
      }
    }
    const key = this.memoKey(value, metadata);
    if (key === undefined) return super.transform(value, metadata);
    const metatype = metadata.metatype as new () => object;
    const seen = this.accepted.get(metatype);
    if (seen?.has(key)) return plainToInstance(metatype, value, this.transformOptions);
    const result: unknown = await super.transform(value, metadata);
    const inputs = seen ?? new Set<string>();
    if (inputs.size >= MEMO_MAX_INPUTS) inputs.clear();
    inputs.add(key);
    if (!seen) this.accepted.set(metatype, inputs);
    return result;
  }

  /** The remembered form of a plain JSON-like query or body validated against a DTO class; undefined: not remembered. */
  private memoKey(value: unknown, metadata: ArgumentMetadata): string | undefined {
    if ((metadata.type !== 'query' && metadata.type !== 'body') || !this.toValidate(metadata)) return undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    let exact = true;
    const json = JSON.stringify(value, function (this: Record<string, unknown>, name: string, item: unknown) {
      // Only values JSON keeps as they are: not Infinity (which it writes as null), -0, undefined, dates or other classes.
      const original = this[name];
      if (typeof original === 'number' ? !Number.isFinite(original) || Object.is(original, -0) : !isJsonValue(original)) exact = false;
      return item;
    });
    if (!exact || json.length > MEMO_MAX_KEY_LENGTH || PROTO_KEYS.test(json)) return undefined;
    return `${metadata.data ?? ''}\n${json}`;
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
