import { ValidateBy } from 'class-validator';
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

/** A rule whose answer depends on something outside the input, as one reading the clock or the database would. */
let open = true;
class WindowDto {
  @ValidateBy({ name: 'whileOpen', validator: { validate: () => open, defaultMessage: () => 'day must be while the window is open' } })
  day!: string;
}

describe('the validation pipe', () => {
  it('validates a repeated input again: a rule may read more than the input', async () => {
    const pipe = createValidationPipe();
    const body = { type: 'body' as const, metatype: WindowDto };
    open = true;
    expect(await pipe.transform({ day: '2026-01-05' }, body)).toBeInstanceOf(WindowDto);
    open = false;
    const closed = await problemOf(pipe.transform({ day: '2026-01-05' }, body));
    expect(closed.status).toBe(400);
    expect(closed.errors).toEqual([expect.objectContaining({ field: 'day' })]);
  });

  it('answers a repeated input as the first time, with a fresh instance each time', async () => {
    const pipe = createValidationPipe();
    const first = await pipe.transform({ limit: '50' }, query);
    const again = await pipe.transform({ limit: '50' }, query);
    expect(again).toBeInstanceOf(PageQueryDto);
    expect(again).toEqual(first);
    expect(again).toMatchObject({ limit: 50, offset: 0 });
    expect(again).not.toBe(first);
  });

  it('rejects an input that differs from an accepted one, naming the field', async () => {
    const pipe = createValidationPipe();
    await pipe.transform({ limit: '50' }, query);
    const tooMany = await problemOf(pipe.transform({ limit: '5000' }, query));
    expect(tooMany.status).toBe(400);
    expect(tooMany.errors).toEqual([expect.objectContaining({ field: 'limit' })]);
    const unknown = await problemOf(pipe.transform({ limit: '50', colour: 'red' }, query));
    expect(unknown.errors).toEqual([expect.objectContaining({ field: 'colour' })]);
  });

  it('rejects a body that is not a JSON object, naming the body', async () => {
    const pipe = createValidationPipe();
    const problem = await problemOf(pipe.transform([1], { type: 'body', metatype: WindowDto }));
    expect(problem.errors).toEqual([{ field: 'body', message: 'body must be a JSON object' }]);
  });
});
