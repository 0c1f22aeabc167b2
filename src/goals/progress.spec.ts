import { progressPercent } from './progress.js';

describe('progressPercent', () => {
  it('measures a rising indicator from baseline to target', () => {
    expect(progressPercent(10, 50, 30)).toBe(50);
    expect(progressPercent(10, 50, 10)).toBe(0);
    expect(progressPercent(10, 50, 50)).toBe(100);
  });

  it('measures a falling indicator the same way', () => {
    // "days to first customer": from 90 down to 30
    expect(progressPercent(90, 30, 60)).toBe(50);
    expect(progressPercent(90, 30, 30)).toBe(100);
    expect(progressPercent(90, 30, 100)).toBe(-16.7);
  });

  it('is not capped past the target', () => {
    expect(progressPercent(0, 40, 48)).toBe(120);
  });

  it('handles decimals', () => {
    expect(progressPercent(1.5, 2.5, 1.75)).toBe(25);
    expect(progressPercent(0, 3, 1)).toBe(33.3);
  });

  it('is null without a measurement and when baseline equals target', () => {
    expect(progressPercent(10, 50, null)).toBeNull();
    expect(progressPercent(10, 10, 12)).toBeNull();
  });
});
