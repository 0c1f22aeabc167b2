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
