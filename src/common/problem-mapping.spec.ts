import { BadRequestException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error.js';
import { fieldOfConstraint, toProblem } from './problem-mapping.js';

const dbError = (fields: Record<string, string>) => new QueryFailedError('INSERT …', [], Object.assign(new Error('db'), fields));

describe('toProblem', () => {
  it('names the field from the constraint name', () => {
    expect(fieldOfConstraint('fk_goal__cluster_id')).toBe('clusterId');
    expect(fieldOfConstraint('uq_cluster__name')).toBe('name');
    expect(fieldOfConstraint('pk_cluster')).toBeUndefined();
  });

  it('maps unique violations to 409, foreign keys and checks to 422, bad values to 400', () => {
    expect(toProblem(dbError({ code: '23505', constraint: 'uq_cluster__name' }))).toMatchObject({
      status: 409,
      body: { errors: [{ field: 'name' }] },
    });
    expect(toProblem(dbError({ code: '23503', constraint: 'fk_funding__cluster_id', detail: 'Key is not present' }))).toMatchObject({
      status: 422,
      body: { errors: [{ field: 'clusterId' }] },
    });
    expect(toProblem(dbError({ code: '23503', constraint: 'fk_funding__cluster_id', detail: 'is still referenced' })).status).toBe(409);
    expect(toProblem(dbError({ code: '23514', constraint: 'ck_funding__ends_on' }))).toMatchObject({
      status: 422,
      body: { errors: [{ field: 'endsOn' }] },
    });
    expect(toProblem(dbError({ code: '22P02' })).status).toBe(400);
    expect(toProblem(dbError({ code: '40001' })).status).toBe(409);
  });

  it('answers 503 when the database cannot be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toProblem(refused)).toMatchObject({ status: 503, headers: { 'retry-after': '2' } });
  });

  it('keeps HTTP and domain errors as they are', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x')).status).toBe(404);
    expect(toProblem(new BadRequestException('bad')).status).toBe(400);
    expect(toProblem(DomainError.rule('goalId', 'another cluster')).body).toMatchObject({
      status: 422,
      errors: [{ field: 'goalId', message: 'another cluster' }],
    });
  });

  it('turns anything else into a generic 500 without internals', () => {
    const mapped = toProblem(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    expect(mapped.status).toBe(500);
    expect(mapped.unexpected).toBe(true);
    expect(JSON.stringify(mapped.body)).not.toContain('secret');
  });
});
