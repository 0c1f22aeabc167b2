import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** When the request had arrived in full. */
  at: number;
  /** When its answer had been sent (undefined until then, or when the connection was cut first). */
  answeredAt?: number;
  /** The status it was answered with. */
  answeredStatus?: number;
}

/** A webhook receiver on 127.0.0.1: records every request and answers as `answer` says (200 by default). */
export class Receiver {
  readonly received: Received[] = [];
  answer: (request: Received, index: number, response: ServerResponse) => void = (_r, _i, res) => {
    res.statusCode = 200;
    res.end('ok');
  };
  private server?: Server;
  port = 0;

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received: Received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        res.on('finish', () => {
          received.answeredAt = Date.now();
          received.answeredStatus = res.statusCode;
        });
        this.received.push(received);
        this.answer(received, this.received.length - 1, res);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Bodies received, parsed. */
  events(): Record<string, any>[] {
    return this.received.map((r) => JSON.parse(r.body) as Record<string, any>);
  }

  /**
   * Requests for the same `webhook-id` that were open at the same time: one delivery attempted twice at once. Each
   * pair is counted once; a request never answered is open until now.
   */
  overlapping(): number {
    const byId = new Map<string, Received[]>();
    for (const r of this.received) {
      const id = r.headers['webhook-id'] as string;
      byId.set(id, [...(byId.get(id) ?? []), r]);
    }
    let pairs = 0;
    const now = Date.now();
    for (const requests of byId.values())
      for (let i = 0; i < requests.length; i++)
        for (let j = i + 1; j < requests.length; j++) {
          const [a, b] = [requests[i], requests[j]];
          if (a.at <= (b.answeredAt ?? now) && b.at <= (a.answeredAt ?? now)) pairs++;
        }
    return pairs;
  }

  /** Requests for a `webhook-id` that arrived after one for it had been answered with a 2xx: sent again needlessly. */
  afterSuccess(): number {
    const succeeded = new Map<string, number>();
    for (const r of this.received)
      if (r.answeredStatus !== undefined && r.answeredStatus < 300 && r.answeredAt !== undefined) {
        const id = r.headers['webhook-id'] as string;
        succeeded.set(id, Math.min(succeeded.get(id) ?? Infinity, r.answeredAt));
      }
    return this.received.filter((r) => r.at > (succeeded.get(r.headers['webhook-id'] as string) ?? Infinity)).length;
  }

  async waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting; received ${this.received.length}: ${this.received.map((r) => r.body).join('\n')}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
