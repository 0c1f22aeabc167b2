import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { WaiterBudget } from '../events/waiter-budget.js';
import { ReportLimiter } from '../reports/deliver/report-limiter.js';

/** A route that matched nothing: one label for all of them, so that scanned URLs do not each make a series. */
const UNMATCHED = '(unmatched)';
/** The states of an email in the outbox (the type email_state). */
const EMAIL_STATES = ['pending', 'sent', 'failed', 'skipped'];

/**
 * What `GET /metrics` shows, in Prometheus's text format: one registry per application (tests run several in
 * one process), with prom-client's process metrics (memory, CPU, event loop, handles).
 *
 * Counters move where the work happens (requests in the response hook, report builds and kept hits in
 * ReportDelivery); gauges are read when scraped (the pool, the held long-polls, the report slots, one query for
 * webhook deliveries, one for emails).
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: 'styrman_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly duration = new Histogram({
    name: 'styrman_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly reportBuilds = new Counter({
    name: 'styrman_report_builds_total',
    help: 'Reports built from the history: "kept" (a complete period, built once and kept) or "streamed" (a running period).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  private readonly keptHits = new Counter({
    name: 'styrman_kept_report_hits_total',
    help: 'Report pulls answered from a kept report (its bytes, or 304 on its ETag) without building it.',
    registers: [this.registry],
  });

  private readonly routedReads = new Counter({
    name: 'styrman_db_routed_reads_total',
    help: 'Reads that may use the replica (DATABASE_REPLICA_URL), by where they went: "replica", or "primary" when it had not replayed what they need.',
    labelNames: ['target'] as const,
    registers: [this.registry],
  });

  constructor(@InjectDataSource() dataSource: DataSource, moduleRef: ModuleRef) {
    collectDefaultMetrics({ register: this.registry, prefix: 'styrman_' });

    const pool = () => (dataSource.driver as unknown as { master?: pg.Pool }).master;
    new Gauge({
      name: 'styrman_db_pool_connections',
      help: 'Connections of the PostgreSQL pool: "in_use" by a query or transaction, "idle", and "waiting" requests for one.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const p = pool();
        this.set({ state: 'in_use' }, p ? p.totalCount - p.idleCount : 0);
        this.set({ state: 'idle' }, p?.idleCount ?? 0);
        this.set({ state: 'waiting' }, p?.waitingCount ?? 0);
      },
    });

    new Gauge({
      name: 'styrman_events_waiters',
      help: 'GET /events?wait= long-polls held by this instance.',
      registers: [this.registry],
      collect() {
        const budget = moduleRef.get<WaiterBudget, WaiterBudget | undefined>(WaiterBudget, { strict: false });
        this.set(budget?.waiterCount ?? 0);
      },
    });

    new Gauge({
      name: 'styrman_report_slots',
      help: 'Reports this instance builds or writes now ("building", at most REPORT_CONCURRENCY; a streamed one until its last byte is taken) and those "waiting" for a slot.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const limiter = moduleRef.get<ReportLimiter, ReportLimiter | undefined>(ReportLimiter, { strict: false });
        this.set({ state: 'building' }, limiter?.active ?? 0);
        this.set({ state: 'waiting' }, limiter?.waiting ?? 0);
      },
    });

    // One statement per scrape, for both gauges below: the pending deliveries through the partial index on pending
    // ones, and the others of the last hour through each webhook's (webhook_id, created_at) index, so that the
    // delivery history, however long, is never scanned.
    let deliveries: Promise<{ state: string; n: number; oldest: number | null }[]> | undefined;
    const readDeliveries = () =>
      (deliveries ??= dataSource
        .query<{ state: string; n: number; oldest: number | null }[]>(
          `SELECT 'pending' AS state, count(*)::int AS n,
                  extract(epoch FROM clock_timestamp() - min(created_at))::float8 AS oldest
             FROM webhook_delivery WHERE state = 'pending'
           UNION ALL
           SELECT d.state::text, count(*)::int, NULL
             FROM webhook w
            CROSS JOIN LATERAL (
                   SELECT state FROM webhook_delivery d
                    WHERE d.webhook_id = w.id AND d.created_at > $1 AND d.state <> 'pending'
                 ) d
            GROUP BY d.state`,
          // A parameter, not clock_timestamp(): the planner then knows how few rows the last hour holds.
          [new Date(Date.now() - 3_600_000)],
        )
        .finally(() => setImmediate(() => (deliveries = undefined))));
    new Gauge({
      name: 'styrman_webhook_deliveries',
      help: 'Webhook deliveries by state: every "pending" one; of the other states, those created in the last hour.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await readDeliveries()) this.set({ state: row.state }, row.n);
      },
    });
    new Gauge({
      name: 'styrman_webhook_oldest_pending_delivery_seconds',
      help: 'Age of the oldest pending webhook delivery, in seconds (0 when none is pending).',
      registers: [this.registry],
      async collect() {
        const pending = (await readDeliveries()).find((row) => row.state === 'pending');
        this.set(pending?.oldest ?? 0);
      },
    });

    // Emails of the outbox, in one statement per scrape: the pending ones through the partial index on them, the
    // others of the last hour through ix_email__created_at. Every state is shown, 0 when there is none.
    new Gauge({
      name: 'styrman_emails',
      help: 'Emails of the outbox by state: every "pending" one; of "sent", "failed" and "skipped", those created in the last hour.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const rows = await dataSource.query<{ state: string; n: number }[]>(
          `SELECT 'pending' AS state, count(*)::int AS n FROM email WHERE state = 'pending'
           UNION ALL
           SELECT state::text, count(*)::int FROM email WHERE state <> 'pending' AND created_at > $1 GROUP BY state`,
          [new Date(Date.now() - 3_600_000)],
        );
        for (const state of EMAIL_STATES) this.set({ state }, rows.find((row) => row.state === state)?.n ?? 0);
      },
    });
  }

  /** One answered request; `route` is the matched route's pattern (`/api/v1/clusters/:id`), never the raw URL. */
  observeRequest(method: string, route: string | undefined, status: number, ms: number): void {
    const labels = { method, route: route ?? UNMATCHED, status: String(status) };
    this.requests.inc(labels);
    this.duration.observe(labels, ms / 1000);
  }

  reportBuilt(kind: 'kept' | 'streamed'): void {
    this.reportBuilds.inc({ kind });
  }

  keptReportHit(): void {
    this.keptHits.inc();
  }

  readRouted(target: 'replica' | 'primary'): void {
    this.routedReads.inc({ target });
  }
}
