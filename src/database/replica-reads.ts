import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Environment } from '../config/environment.js';
import { Metrics } from '../metrics/metrics.js';
import { dataSourceOptions } from './data-source-options.js';
import { databaseUrlForLog } from './database-url.js';
import { readsOn } from './transaction-context.js';

/**
 * Reads that may go to a streaming replica (DATABASE_REPLICA_URL): those about the past — complete reports, `asOf`
 * reads, status grids, plan changes — and the revision lists. A read goes there only when the replica has replayed
 * everything it needs, else to the primary:
 * - as of an instant: the replica's last replayed commit (`pg_last_xact_replay_timestamp()`) is after it, so every
 *   transaction committed by then has been replayed (commits replay in order);
 * - anything else (now): the replica has replayed the primary's WAL up to where the primary was when the read began
 *   (`pg_last_wal_replay_lsn() >= pg_current_wal_insert_lsn()`), so it misses no write acknowledged before.
 * A replica that cannot be reached, or answers an error, sends the read to the primary.
 *
 * The events feed stays on the primary: its cursor needs the primary's own snapshot horizon, and a replica cannot
 * LISTEN (see docs/deploying.md).
 */
@Injectable()
export class ReplicaReads implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ReplicaReads.name);
  private replica?: DataSource;

  constructor(
    @InjectDataSource() private readonly primary: DataSource,
    private readonly env: Environment,
    private readonly metrics: Metrics,
  ) {}

  async onModuleInit(): Promise<void> {
    const url = this.env.DATABASE_REPLICA_URL;
    if (!url) return;
    const replica = new DataSource({
      ...dataSourceOptions(url, this.primary.options.entities, this.env.DB_POOL_SIZE),
      migrations: [],
      installExtensions: false,
      applicationName: 'styrman-replica-reads',
    } as ConstructorParameters<typeof DataSource>[0]);
    try {
      await replica.initialize();
      this.replica = replica;
    } catch (error) {
      // Reads then all go to the primary; the replica is an optimisation, never a dependency.
      this.logger.warn(`DATABASE_REPLICA_URL (${databaseUrlForLog(url)}) could not be reached: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.replica?.destroy().catch(() => undefined);
  }

  /** Where a read that needs every commit up to `instant` (undefined: up to now) goes. */
  async sourceFor(instant?: Date): Promise<DataSource> {
    const replica = this.replica;
    if (!replica) return this.primary;
    let onReplica = false;
    try {
      const [state] = await replica.query<{ standby: boolean; past: boolean | null }[]>(
        `SELECT pg_is_in_recovery() AS standby, pg_last_xact_replay_timestamp() > $1::timestamptz AS past`,
        [instant ?? null],
      );
      if (state.standby && state.past === true) onReplica = true;
      else if (state.standby) {
        const [primary] = await this.primary.query<{ lsn: string }[]>(`SELECT pg_current_wal_insert_lsn()::text AS lsn`);
        const [caught] = await replica.query<{ up: boolean }[]>(`SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS up`, [primary.lsn]);
        onReplica = caught.up === true;
      }
    } catch {
      onReplica = false;
    }
    this.metrics.readRouted(onReplica ? 'replica' : 'primary');
    return onReplica ? replica : this.primary;
  }

  /** Runs `work` (which writes nothing) with its reads on the replica when it has replayed past `instant`, else on the primary. */
  async read<T>(instant: Date | undefined, work: () => Promise<T>): Promise<T> {
    const source = await this.sourceFor(instant);
    return readsOn(source, work);
  }

  get configured(): boolean {
    return this.replica !== undefined;
  }
}
