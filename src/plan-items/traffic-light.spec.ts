import { todayIn } from '../common/calendar.js';
import { isOverdue } from './overdue.js';
import { commentRequired } from './traffic-light.js';

describe('traffic-light rules', () => {
  it('requires a comment for yellow and red, not for green', () => {
    expect(commentRequired('green')).toBe(false);
    expect(commentRequired('yellow')).toBe(true);
    expect(commentRequired('red')).toBe(true);
  });

  it('calls an item overdue only when its date has passed while it is planned or ongoing', () => {
    expect(isOverdue('2026-11-26', 'planned', '2026-11-27')).toBe(true);
    expect(isOverdue('2026-11-26', 'ongoing', '2026-11-27')).toBe(true);
    expect(isOverdue('2026-11-27', 'ongoing', '2026-11-27')).toBe(false); // due today is not late yet
    expect(isOverdue('2026-11-26', 'done', '2026-11-27')).toBe(false);
    expect(isOverdue('2026-11-26', 'cancelled', '2026-11-27')).toBe(false);
    expect(isOverdue(null, 'planned', '2026-11-27')).toBe(false);
  });

  it('knows which day it is in Stockholm around midnight UTC', () => {
    expect(todayIn('Europe/Stockholm', new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    expect(todayIn('UTC', new Date('2026-06-30T22:30:00Z'))).toBe('2026-06-30');
    expect(todayIn('Europe/Stockholm', new Date('2026-12-31T22:59:59Z'))).toBe('2026-12-31');
    expect(todayIn('Europe/Stockholm', new Date('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
  });
});
