import { DomainError } from '../../common/domain-error.js';
import { startOfDay } from '../../common/calendar.js';
import { parsePeriod, periodDays, withKnownAt } from './period.js';

const TZ = 'Europe/Stockholm';

describe('report periods', () => {
  it('turns quarters, halves and years into calendar days', () => {
    expect(periodDays('2026-Q1')).toEqual({ first: '2026-01-01', last: '2026-03-31' });
    expect(periodDays('2026-Q3')).toEqual({ first: '2026-07-01', last: '2026-09-30' });
    expect(periodDays('2024-Q1')).toEqual({ first: '2024-01-01', last: '2024-03-31' });
    expect(periodDays('2026-H1')).toEqual({ first: '2026-01-01', last: '2026-06-30' });
    expect(periodDays('2026-H2')).toEqual({ first: '2026-07-01', last: '2026-12-31' });
    expect(periodDays('2026')).toEqual({ first: '2026-01-01', last: '2026-12-31' });
    expect(() => periodDays('2026-Q5')).toThrow(DomainError);
    expect(() => periodDays('26-Q1')).toThrow(DomainError);
  });

  it('starts a day at midnight Stockholm time, summer and winter', () => {
    expect(startOfDay('2026-07-01', TZ).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfDay('2026-01-01', TZ).toISOString()).toBe('2025-12-31T23:00:00.000Z');
    // The days daylight saving starts and ends: midnight is still on the old offset.
    expect(startOfDay('2026-03-29', TZ).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDay('2026-03-30', TZ).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDay('2026-10-25', TZ).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfDay('2026-10-26', TZ).toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(startOfDay('2026-07-01', 'UTC').toISOString()).toBe('2026-07-01T00:00:00.000Z');
  });

  it('covers whole days in the time zone, to inclusive', () => {
    const q3 = parsePeriod({ period: '2026-Q3' }, TZ);
    expect(q3.from.toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(q3.to.toISOString()).toBe('2026-09-30T21:59:59.999Z');
    expect(q3).toMatchObject({ fromDate: '2026-07-01', toDate: '2026-09-30', label: '2026-Q3' });
    const days = parsePeriod({ from: '2026-07-01', to: '2026-09-30' }, TZ);
    expect(days.from).toEqual(q3.from);
    expect(days.to).toEqual(q3.to);
  });

  it('takes exact ISO timestamps as they are', () => {
    const p = parsePeriod({ from: '2026-07-01T00:00:00Z', to: '2026-07-01T12:30:00+02:00' }, TZ);
    expect(p.from.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(p.to.toISOString()).toBe('2026-07-01T10:30:00.000Z');
  });

  it('refuses from after to, both forms at once, half a range and nonsense', () => {
    expect(() => parsePeriod({ from: '2026-10-01', to: '2026-09-30' }, TZ)).toThrow(/from must not be after to/);
    expect(() => parsePeriod({ period: '2026', from: '2026-01-01' }, TZ)).toThrow(DomainError);
    expect(() => parsePeriod({ from: '2026-01-01' }, TZ)).toThrow(DomainError);
    expect(() => parsePeriod({}, TZ)).toThrow(DomainError);
    expect(() => parsePeriod({ from: '2026-02-30', to: '2026-03-01' }, TZ)).toThrow(DomainError);
    expect(() => parsePeriod({ from: '2026-01-01T00:00:00', to: '2026-03-01' }, TZ)).toThrow(/time zone/);
  });
});

describe('the range of report dates (1900-01-01 .. 2999-12-31)', () => {
  const field = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).status).toBe(400);
      return (error as DomainError).errors?.[0]?.field;
    }
    throw new Error('expected a DomainError');
  };

  it.each([
    [{ from: '2026-01-01', to: '9999-12-31' }, 'to'],
    [{ from: '2026-01-01', to: '3000-01-01' }, 'to'],
    [{ from: '2026-01-01', to: '9999-12-31T23:59:59Z' }, 'to'],
    [{ from: '2026-01-01', to: '2999-12-31T23:30:00Z' }, 'to'], // already 3000-01-01 in Stockholm
    [{ from: '0001-01-01', to: '2026-01-01' }, 'from'],
    [{ from: '1899-12-31', to: '2026-01-01' }, 'from'],
    [{ from: '0000-01-01T00:00:00Z', to: '2026-01-01' }, 'from'],
    [{ period: '9999' }, 'period'],
    [{ period: '9999-H2' }, 'period'],
    [{ period: '9999-Q4' }, 'period'],
    [{ period: '3000-Q1' }, 'period'],
    [{ period: '0001' }, 'period'],
    [{ period: '1899-Q4' }, 'period'],
  ])('refuses %j, naming %s, never a RangeError', (query, name) => {
    expect(field(() => parsePeriod(query, TZ))).toBe(name);
  });

  it('takes the first and last days of the range as they are, not clamped', () => {
    const first = parsePeriod({ period: '1900' }, TZ);
    expect(first).toMatchObject({ fromDate: '1900-01-01', toDate: '1900-12-31', label: '1900' });
    const last = parsePeriod({ period: '2999-Q4' }, TZ);
    expect(last).toMatchObject({ fromDate: '2999-10-01', toDate: '2999-12-31' });
    expect(last.to.toISOString()).toBe('2999-12-31T22:59:59.999Z');
    const days = parsePeriod({ from: '1900-01-01', to: '2999-12-31' }, 'UTC');
    expect(days.from.toISOString()).toBe('1900-01-01T00:00:00.000Z');
    expect(days.to.toISOString()).toBe('2999-12-31T23:59:59.999Z');
  });
});

describe('REPORT_MAX_DAYS', () => {
  const refusal = (query: Record<string, string>, maxDays: number): DomainError => {
    try {
      parsePeriod(query, TZ, { maxDays });
    } catch (error) {
      return error as DomainError;
    }
    throw new Error('expected a DomainError');
  };

  it('counts the calendar days of a period, both ends included', () => {
    expect(() => parsePeriod({ from: '2016-01-01', to: '2026-01-07' }, TZ, { maxDays: 3660 })).not.toThrow();
    const error = refusal({ from: '2016-01-01', to: '2026-01-08' }, 3660);
    expect(error.status).toBe(400);
    expect(error.errors).toEqual([{ field: 'to', message: expect.stringMatching(/3661 days.*3660/) }]);
    expect(() => parsePeriod({ from: '2026-03-01', to: '2026-03-01' }, TZ, { maxDays: 1 })).not.toThrow();
    expect(refusal({ from: '2026-03-01', to: '2026-03-02' }, 1).errors?.[0]?.field).toBe('to');
  });

  it('names period for a quarter, half or year that is too long', () => {
    expect(() => parsePeriod({ period: '2024' }, TZ, { maxDays: 366 })).not.toThrow();
    expect(refusal({ period: '2024' }, 365).errors?.[0]?.field).toBe('period');
    expect(refusal({ period: '2026-Q3' }, 91).errors?.[0]?.message).toMatch(/92 days/);
  });

  it('counts the days an exact range touches in the time zone', () => {
    expect(() => parsePeriod({ from: '2026-07-01T00:00:00+02:00', to: '2026-07-02T23:59:59+02:00' }, TZ, { maxDays: 2 })).not.toThrow();
    expect(refusal({ from: '2026-07-01T00:00:00+02:00', to: '2026-07-03T00:00:00+02:00' }, 2).errors?.[0]?.field).toBe('to');
  });
});

describe('withKnownAt', () => {
  const tz = 'Europe/Stockholm';
  const h1 = () => parsePeriod({ period: '2026-H1' }, tz);
  const now = new Date('2026-12-06T09:30:00.000Z');
  const field = (f: () => unknown) => {
    try {
      f();
    } catch (error) {
      return (error as DomainError).errors?.[0]?.field ?? (error as Error).message;
    }
    return 'no error';
  };

  it('leaves the period as known at its end by default, and when knownAt is its end', () => {
    expect(withKnownAt(h1(), undefined, tz, now).knownAt).toBeUndefined();
    expect(withKnownAt(h1(), '2026-06-30', tz, now).knownAt).toBeUndefined();
    expect(withKnownAt(h1(), '2026-06-30T21:59:59.999Z', tz, now).knownAt).toBeUndefined();
  });

  it('reads an instant as it is and a calendar day as its end in the time zone (today: now)', () => {
    expect(withKnownAt(h1(), '2026-09-01T10:00:00+02:00', tz, now).knownAt?.toISOString()).toBe('2026-09-01T08:00:00.000Z');
    expect(withKnownAt(h1(), '2026-09-01', tz, now).knownAt?.toISOString()).toBe('2026-09-01T21:59:59.999Z');
    expect(withKnownAt(h1(), '2026-12-06', tz, now).knownAt).toEqual(now);
  });

  it('refuses knownAt before the end of the period, in the future, malformed, or for a period still running (400 naming knownAt)', () => {
    expect(field(() => withKnownAt(h1(), '2026-06-29', tz, now))).toBe('knownAt');
    expect(field(() => withKnownAt(h1(), '2026-12-07', tz, now))).toBe('knownAt');
    expect(field(() => withKnownAt(h1(), '2026-12-06T09:30:00.001Z', tz, now))).toBe('knownAt');
    expect(field(() => withKnownAt(h1(), 'yesterday', tz, now))).toBe('knownAt');
    expect(field(() => withKnownAt(parsePeriod({ period: '2026-Q4' }, tz), '2026-12-06', tz, now))).toBe('knownAt');
  });
});
