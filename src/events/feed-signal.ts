import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource } from 'typeorm';

/** How often the shared check runs while someone waits. */
const TICK_MS = 200;

/**
 * Wakes feed readers that wait (`?wait=`) when the feed may have moved. One
 * dedicated connection LISTENs for `styrman_revision` (a trigger notifies when
 * revisions are written, delivered at commit); and since an event becomes
 * readable only when every older transaction has ended, which may notify
 * nothing, one shared check of the oldest open transaction and the newest
 * position runs every 200 ms while anyone waits. Waiting readers hold no
 * connection: each re-reads its page on a pooled one when woken.
 */
@Injectable()
export class FeedSignal implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(FeedSignal.name);
  private generation = 0;
  private waiters = new Set<() => void>();
  private listener?: pg.Client;
  private timer?: NodeJS.Timeout;
  private lastHead = '';
  private closed = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    if (!url) return;
    const client = new pg.Client({ connectionString: url, application_name: 'styrman-feed-listener' });
    client.on('error', (error) => {
      this.logger.warn(`The feed's LISTEN connection failed (${error.message}); waiting readers fall back to the 200 ms check`);
      this.listener = undefined;
    });
    client.on('notification', () => this.bump());
    try {
      await client.connect();
      await client.query('LISTEN styrman_revision');
      this.listener = client;
    } catch (error) {
      this.logger.warn(`No LISTEN connection for the feed (${(error as Error).message}); waiting readers use the 200 ms check`);
      await client.end().catch(() => undefined);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.bump();
    await this.listener?.end().catch(() => undefined);
  }

  /** Where the signal stands now; `changedSince` resolves once it moves past this. */
  mark(): number {
    return this.generation;
  }

  /** Resolves when the feed may have moved since `mark`, or at `deadline` (epoch ms) at the latest. */
  changedSince(mark: number, deadline: number, gone?: AbortSignal): Promise<void> {
    if (this.generation !== mark || this.closed || gone?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timeout);
        gone?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timeout = setTimeout(done, Math.max(0, deadline - Date.now()));
      gone?.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
      this.startTicking();
    });
  }

  private bump(): void {
    this.generation++;
    for (const wake of [...this.waiters]) wake();
  }

  private startTicking(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), TICK_MS);
  }

  private async tick(): Promise<void> {
    if (this.waiters.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    try {
      const [row] = await this.dataSource.query<{ head: string }[]>(
        `SELECT pg_snapshot_xmin(pg_current_snapshot())::text || '/' || COALESCE((SELECT max(position) FROM revision), 0) AS head`,
      );
      if (row.head !== this.lastHead) {
        this.lastHead = row.head;
        this.bump();
      }
    } catch {
      // The database is away; the waiters time out on their own.
    }
  }
}
