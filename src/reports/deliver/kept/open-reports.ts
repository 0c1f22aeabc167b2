import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Environment } from '../../../config/environment.js';

/** A report of a running period as built from one snapshot: its ETag (SHA-256 hex of the body), size and gzip bytes. */
export interface OpenCopy {
  etag: string;
  size: number;
  gzip: Buffer;
}

/**
 * Whether a copy built from the snapshot `o.snapshot` is still the report: no revision (every write to a plan, its
 * history, a measurement, a funding, a narrative, … records one in its transaction) of one of its clusters, or of no
 * cluster (a funder, an indicator definition), has committed since that snapshot was taken. Those are among the
 * revisions whose transaction id is at least the snapshot's xmin: a range scan of (xid, position) over the writes of
 * the last moments, whatever the size of the history (the clusters are a filter, never an index: the (cluster_id,
 * recorded_at) index would read a cluster's whole history).
 */
const UNCHANGED_SINCE_SNAPSHOT = `NOT EXISTS (
  SELECT 1 FROM revision r
  WHERE r.xid >= pg_snapshot_xmin(o.snapshot)::text::bigint
    AND COALESCE(r.cluster_id = ANY (o.cluster_ids), true)
    AND NOT pg_visible_in_snapshot(r.xid::text::xid8, o.snapshot))`;

/**
 * Reports of running periods, kept for a short time (`REPORT_OPEN_KEEP_SECONDS`) in PostgreSQL (`open_report`),
 * each with the snapshot it was read in and its clusters: a pull, on any instance, is served a kept copy only while
 * no write to any of its clusters has committed since that snapshot, so that it is the report a build would give at
 * that moment. The bytes of the copies pulled most recently are also held in memory (within REPORT_KEEP_MEMORY_MB),
 * PostgreSQL saying whether they still count.
 */
@Injectable()
export class OpenReports {
  private readonly recent = new Map<string, OpenCopy>();
  private recentBytes = 0;
  private readonly recentLimit: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {
    this.recentLimit = env.REPORT_KEEP_MEMORY_MB * 1024 * 1024;
  }

  /** The copy of `key` that is still the report, if there is one: one statement (without the bytes when they are held here). */
  async get(key: Buffer): Promise<OpenCopy | undefined> {
    const id = key.toString('hex');
    const held = this.recent.get(id);
    const rows: { etag: string; size: number; gzip: Buffer | null }[] = await this.dataSource.query(
      `SELECT o.etag, o.size, CASE WHEN o.etag = $2 THEN NULL ELSE o.gzip END AS gzip
       FROM open_report o
       WHERE o.key = $1 AND o.built_at > now() - make_interval(secs => $3) AND ${UNCHANGED_SINCE_SNAPSHOT}`,
      [key, held?.etag ?? null, this.env.REPORT_OPEN_KEEP_SECONDS],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.gzip === null && held) return held;
    const copy = { etag: row.etag, size: row.size, gzip: row.gzip! };
    this.hold(id, copy);
    return copy;
  }

  /**
   * Keeps the copy of `key` read in `snapshot` (`pg_current_snapshot()` of the build's transaction) over the clusters
   * `clusterIds`, in place of any earlier one; copies older than REPORT_OPEN_KEEP_SECONDS go in the same statement.
   */
  async put(key: Buffer, copy: OpenCopy, snapshot: string, clusterIds: string[]): Promise<void> {
    await this.dataSource.query(
      `WITH expired AS (DELETE FROM open_report WHERE built_at <= now() - make_interval(secs => $7) AND key <> $1)
       INSERT INTO open_report (key, etag, size, gzip, snapshot, cluster_ids) VALUES ($1, $2, $3, $4, $5::pg_snapshot, $6::uuid[])
       ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, size = EXCLUDED.size, gzip = EXCLUDED.gzip,
         snapshot = EXCLUDED.snapshot, cluster_ids = EXCLUDED.cluster_ids, built_at = now()`,
      [key, copy.etag, copy.size, copy.gzip, snapshot, clusterIds, this.env.REPORT_OPEN_KEEP_SECONDS],
    );
    this.hold(key.toString('hex'), copy);
  }

  /** Holds a copy's bytes as the most recent, dropping the least recently pulled beyond the limit. */
  private hold(id: string, copy: OpenCopy): void {
    this.forget(id);
    if (copy.gzip.length > this.recentLimit / 4) return;
    this.recent.set(id, copy);
    this.recentBytes += copy.gzip.length;
    for (const [oldest] of this.recent) {
      if (this.recentBytes <= this.recentLimit) break;
      this.forget(oldest);
    }
  }

  private forget(id: string): void {
    const copy = this.recent.get(id);
    if (!copy) return;
    this.recent.delete(id);
    this.recentBytes -= copy.gzip.length;
  }
}
