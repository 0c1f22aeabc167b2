import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { Environment } from '../config/environment.js';

/** How often the shared check runs while someone listens. */
const TICK_MS = 200;

/**
 * Tells when the feed may have moved. One dedicated connection (to
 * DATABASE_DIRECT_URL, never through a transaction pooler) LISTENs for
 * `styrman_revision` (a trigger notifies when revisions are written, delivered
 * at commit); and since an event becomes readable only when every older
 * transaction has ended, which may notify nothing, one shared check of the
 * oldest open transaction and the newest position runs every 200 ms while
 * anyone listens. Its one listener is FeedWaiters, which wakes the waiting
 * readers.
 */
@Injectable()
export class FeedSignal implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(FeedSignal.name);
  private generation = 0;
  private readonly listeners = new Set<() => void>();
  private listener?: pg.Client;
  private timer?: NodeJS.Timeout;
  private lastHead = '';
  private closed = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  async onModuleInit(): Promise<void> {
    // LISTEN needs a session of its own: through PgBouncer in transaction mode it would hear nothing, so it goes to the
    // database itself (DATABASE_DIRECT_URL, which defaults to DATABASE_URL).
    const url = this.env.DATABASE_DIRECT_URL ?? this.env.DATABASE_URL ?? (this.dataSource.options as { url?: string }).url;
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

  get isClosed(): boolean {
    return this.closed;
  }

  /** Where the signal stands now: it moves each time the feed may have moved. */
  mark(): number {
    return this.generation;
  }

  /** Calls `listener` each time the feed may have moved, until the returned function is called. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    this.startTicking();
    return () => this.listeners.delete(listener);
  }

  private bump(): void {
    this.generation++;
    for (const listener of [...this.listeners]) listener();
  }

  private startTicking(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.tick(), TICK_MS);
  }

  private async tick(): Promise<void> {
    if (this.listeners.size === 0) {
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
