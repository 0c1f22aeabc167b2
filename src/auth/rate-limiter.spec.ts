import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows the limit per window and then refuses, with the seconds until the window resets', () => {
    const limiter = new RateLimiter(3, 60_000);
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.hit('key', t0).allowed)).toEqual([true, true, true]);
    const refused = limiter.hit('key', t0 + 15_000);
    expect(refused).toEqual({ allowed: false, remaining: 0, resetSeconds: 45 });
    expect(limiter.hit('other', t0).allowed).toBe(true);
    expect(limiter.hit('key', t0 + 60_000)).toMatchObject({ allowed: true, remaining: 2 });
  });

  it('is off with a limit of 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.hit('key').allowed).toBe(true);
  });
});
