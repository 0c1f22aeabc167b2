import { ValidationPipe } from '@nestjs/common';
import { PageQueryDto } from './pagination.js';
import { DomainError } from './domain-error.js';
import { createValidationPipe } from './validation.js';

const query = { type: 'query' as const, metatype: PageQueryDto };

async function problemOf(work: Promise<unknown>): Promise<DomainError> {
  try {
    await work;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a validation problem');
}

describe('the validation pipe remembering accepted inputs', () => {
  it('answers a repeated input as the first time, with a fresh instance each time', async () => {
    const pipe = createValidationPipe();
    const first = await pipe.transform({ limit: '50' }, query);
    const again = await pipe.transform({ limit: '50' }, query);
    expect(first).toBeInstanceOf(PageQueryDto);
    expect(again).toBeInstanceOf(PageQueryDto);
    expect(again).toEqual(first);
    expect(again).toMatchObject({ limit: 50, offset: 0 });
    expect(again).not.toBe(first);
  });

  it('remembers a query as Fastify parses it (an object from an empty prototype)', async () => {
    const pipe = createValidationPipe();
    const Empty = function (this: object) {} as unknown as new () => Record<string, string>;
    Empty.prototype = Object.create(null) as object;
    const parsed = () => Object.assign(new Empty(), { limit: '50' });
    // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as it was, called with its own this
    const { transform } = ValidationPipe.prototype;
    let validated = 0;
    ValidationPipe.prototype.transform = function (this: ValidationPipe, value, metadata) {
      validated += 1;
      return transform.call(this, value, metadata);
    };
    try {
      await pipe.transform(parsed(), query);
      expect(await pipe.transform(parsed(), query)).toMatchObject({ limit: 50 });
      expect(validated).toBe(1);
    } finally {
      ValidationPipe.prototype.transform = transform;
    }
  });

  it('still rejects an input that differs from an accepted one, naming the field', async () => {
    const pipe = createValidationPipe();
    await pipe.transform({ limit: '50' }, query);
    for (let i = 0; i < 2; i++) {
      const tooMany = await problemOf(pipe.transform({ limit: '5000' }, query));
      expect(tooMany.status).toBe(400);
      expect(tooMany.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
      const unknown = await problemOf(pipe.transform({ limit: '50', colour: 'red' }, query));
      expect(unknown.errors).toEqual([expect.objectContaining({ field: 'colour' })]);
    }
  });

  it('never takes a value JSON cannot write exactly for an accepted one', async () => {
    const pipe = createValidationPipe();
    await pipe.transform({ limit: null }, query).catch(() => undefined);
    // JSON writes Infinity as null: the two must not share what was remembered of the first.
    const infinite = await problemOf(pipe.transform({ limit: Infinity }, query));
    expect(infinite.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
  });
});
