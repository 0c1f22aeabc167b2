import { DomainError } from '../common/domain-error.js';
import { parseAsOf } from './as-of.js';

const TZ = 'Europe/Stockholm';
const NOW = new Date('2026-11-30T10:00:00.000Z');

function refused(value: string): DomainError {
  try {
    parseAsOf(value, TZ, NOW);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`${value} was accepted`);
}

describe('parseAsOf', () => {
  it('is undefined (now) when not given', () => {
    expect(parseAsOf(undefined, TZ, NOW)).toBeUndefined();
  });

  it('reads a calendar date as the last millisecond of that day in the time zone', () => {
    // Stockholm is UTC+2 in summer and UTC+1 in winter.
    expect(parseAsOf('2026-09-30', TZ, NOW)?.toISOString()).toBe('2026-09-30T21:59:59.999Z');
    expect(parseAsOf('2026-01-15', TZ, NOW)?.toISOString()).toBe('2026-01-15T22:59:59.999Z');
    expect(parseAsOf('2026-01-15', 'UTC', NOW)?.toISOString()).toBe('2026-01-15T23:59:59.999Z');
  });

  it('reads today as now: the rest of the day has not happened', () => {
    expect(parseAsOf('2026-11-30', TZ, NOW)).toEqual(NOW);
  });

  it('reads a timestamp with a zone as that instant', () => {
    expect(parseAsOf('2026-10-01T08:30:00+02:00', TZ, NOW)?.toISOString()).toBe('2026-10-01T06:30:00.000Z');
    expect(parseAsOf('2026-11-30T10:00:00.000Z', TZ, NOW)).toEqual(NOW);
  });

  it('refuses the future, naming asOf', () => {
    for (const value of ['2026-12-01', '2026-11-30T10:00:00.001Z', '2999-12-31']) {
      const error = refused(value);
      expect(error.status).toBe(400);
      expect(error.errors).toEqual([{ field: 'asOf', message: expect.stringMatching(/future/) }]);
    }
  });

  it('refuses dates before 1900 and malformed values, naming asOf', () => {
    for (const value of [
      '1899-12-31',
      '1899-12-31T22:59:59Z',
      '0001-01-01',
      '',
      '2026-02-30',
      '2026-09-30T12:00',
      'yesterday',
      '2026-9-30',
    ]) {
      const error = refused(value);
      expect(error.status).toBe(400);
      expect(error.errors?.[0].field).toBe('asOf');
    }
  });
});
