import { parsePeriod } from '../reports/read/period.js';
import { gridColumns } from './intervals.js';

const TZ = 'Europe/Stockholm';
const iso = (columns: ReturnType<typeof gridColumns>) => columns.map((c) => [c.label, c.from.toISOString(), c.to.toISOString()]);

describe('status grid columns', () => {
  it('gives the months of a period in the time zone, each ending at its last instant there', () => {
    const columns = iso(gridColumns(parsePeriod({ period: '2026-Q1' }, TZ), 'month', TZ));
    expect(columns).toEqual([
      ['2026-01', '2025-12-31T23:00:00.000Z', '2026-01-31T22:59:59.999Z'],
      ['2026-02', '2026-01-31T23:00:00.000Z', '2026-02-28T22:59:59.999Z'],
      // Summer time starts on 29 March: March ends at 22:00 UTC.
      ['2026-03', '2026-02-28T23:00:00.000Z', '2026-03-31T21:59:59.999Z'],
    ]);
  });

  it('gives quarters, across a new year', () => {
    const columns = gridColumns(parsePeriod({ from: '2025-11-15', to: '2026-04-02' }, TZ), 'quarter', TZ);
    expect(iso(columns)).toEqual([
      ['2025-Q4', '2025-11-14T23:00:00.000Z', '2025-12-31T22:59:59.999Z'],
      ['2026-Q1', '2025-12-31T23:00:00.000Z', '2026-03-31T21:59:59.999Z'],
      ['2026-Q2', '2026-03-31T22:00:00.000Z', '2026-04-02T21:59:59.999Z'],
    ]);
  });

  it('cuts the columns to exact instants, and gives one column for a period inside one month', () => {
    const period = parsePeriod({ from: '2026-05-10T12:00:00Z', to: '2026-05-20T12:00:00Z' }, TZ);
    expect(iso(gridColumns(period, 'month', TZ))).toEqual([['2026-05', '2026-05-10T12:00:00.000Z', '2026-05-20T12:00:00.000Z']]);
    expect(gridColumns(parsePeriod({ from: '2025-01-01', to: '2026-12-31' }, TZ), 'month', TZ)).toHaveLength(24);
    expect(gridColumns(parsePeriod({ period: '2026' }, 'UTC'), 'month', 'UTC')[0].from.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
