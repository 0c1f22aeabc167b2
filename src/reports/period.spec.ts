import { DomainError } from '../common/domain-error.js';
import { parsePeriod, periodDays, startOfDay } from './period.js';

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
