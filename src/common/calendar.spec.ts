import { dayIn } from './calendar.js';

describe('dayIn', () => {
  it('changes day at local midnight, also right after an instant of the same minute was asked about', () => {
    expect(dayIn('Europe/Stockholm', new Date('2026-11-29T22:59:00.000Z'))).toBe('2026-11-29');
    expect(dayIn('Europe/Stockholm', new Date('2026-11-29T22:59:59.999Z'))).toBe('2026-11-29');
    expect(dayIn('Europe/Stockholm', new Date('2026-11-29T23:00:00.000Z'))).toBe('2026-11-30');
    expect(dayIn('Europe/Stockholm', new Date('2026-11-29T22:59:30.000Z'))).toBe('2026-11-29');
    // Zones whose offset is not a whole hour, and another zone between two questions about one minute.
    expect(dayIn('Asia/Kathmandu', new Date('2026-11-29T18:14:59.999Z'))).toBe('2026-11-29');
    expect(dayIn('Asia/Kolkata', new Date('2026-11-29T18:15:00.000Z'))).toBe('2026-11-29');
    expect(dayIn('Asia/Kathmandu', new Date('2026-11-29T18:15:00.000Z'))).toBe('2026-11-30');
    expect(dayIn('UTC', new Date('2026-11-29T23:59:59.999Z'))).toBe('2026-11-29');
    expect(dayIn('UTC', new Date('2026-11-30T00:00:00.000Z'))).toBe('2026-11-30');
  });

  it('still refuses an invalid date', () => {
    expect(() => dayIn('Europe/Stockholm', new Date('not a date'))).toThrow(RangeError);
  });
});
