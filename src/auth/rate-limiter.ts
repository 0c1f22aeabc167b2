/**
 * Fixed-window request counters per client (an API key or an IP address),
 * kept in this process: with several instances behind a load balancer each
 * instance counts on its own, so the effective limit is the per-instance limit
 * times the number of instances a client's requests spread over.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    /** Requests allowed per window; 0 turns the limit off. */
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly maxClients = 100_000,
  ) {}

  /** Counts a request of a client: whether it is allowed, what is left and when the window resets. */
  hit(client: string, now = Date.now()): { allowed: boolean; remaining: number; resetSeconds: number } {
    if (this.limit === 0) return { allowed: true, remaining: Number.MAX_SAFE_INTEGER, resetSeconds: 0 };
    let window = this.windows.get(client);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size >= this.maxClients) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(client, window);
    }
    window.count += 1;
    const resetSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
    return { allowed: window.count <= this.limit, remaining: Math.max(0, this.limit - window.count), resetSeconds };
  }

  private sweep(now: number): void {
    for (const [client, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(client);
    if (this.windows.size >= this.maxClients) this.windows.clear();
  }
}
