import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { constants, createBrotliCompress, createGunzip, createGzip, gunzip } from 'node:zlib';
import type { DataSource } from 'typeorm';
import { Environment } from '../../../config/environment.js';

/** Bump by hand when the bytes of a report change without any change to the compiled code (none known). */
const FORMAT_TAG = 'kept-report/1';

/**
 * The release the service runs: a SHA-256 over its compiled code (every `.js` file of `dist/src`), so that a
 * release that writes a report differently never serves the bytes an earlier one kept. Read once, at the first
 * use; a release starts with nothing kept (the old rows are simply never read again).
 */
let release: string | undefined;
export function releaseTag(): string {
  if (release === undefined) {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const hash = createHash('sha256').update(FORMAT_TAG);
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.js')) hash.update(path.slice(root.length)).update(readFileSync(path));
      }
    };
    walk(root);
    release = hash.digest('hex');
  }
  return release;
}

/** Everything that determines the bytes of a complete report. */
export interface KeptReportKey {
  subject: 'cluster' | 'funder';
  id: string;
  from: string;
  to: string;
  /** The moment the report is known at, when later than `to` (null: as known at `to`). */
  knownAt: string | null;
  /** The period's name as the body says it (`2026-Q3`), or null for from/to; and its label in sheets and file names. */
  period: string | null;
  label: string;
  timeZone: string;
  format: 'json' | 'csv' | 'xlsx';
  /** CSV and XLSX only. */
  lang: string | null;
  /** CSV only. */
  delimiter: string | null;
  /** Whose fundings the report shows (null: every funder's). */
  fundingsOf: string | null;
  /** The clusters in the report: those the caller may read, as of the period. */
  clusterIds: string[];
}

/** The key of a kept report: a SHA-256 of the release and of everything that determines the bytes. */
export function keptReportKey(key: KeptReportKey): Buffer {
  const parts = [
    releaseTag(),
    key.subject,
    key.id,
    key.from,
    key.to,
    key.knownAt ?? '',
    key.period ?? '',
    key.label,
    key.timeZone,
    key.format,
    key.lang ?? '',
    key.delimiter ?? '',
    key.fundingsOf ?? '',
    [...key.clusterIds].sort().join(','),
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest();
}

export type Encoding = 'br' | 'gzip';

/** The bytes of a report as kept: its ETag (SHA-256 hex of the body), size, and the body gzip- and brotli-compressed, or as it is. */
export interface KeptBytes {
  etag: string;
  size: number;
  gzip: Buffer | null;
  br: Buffer | null;
  identity: Buffer | null;
}

/** A kept report as read for one request: in the encoding asked for when it is kept so, else as it is or gzip. */
export interface KeptHit {
  etag: string;
  size: number;
  encoding: Encoding | 'identity';
  bytes: Buffer;
}

const gunzipAsync = promisify(gunzip);

/** The body of a kept report, uncompressed. */
export async function bodyOf(hit: Pick<KeptHit, 'encoding' | 'bytes'>): Promise<Buffer> {
  if (hit.encoding === 'identity') return hit.bytes;
  if (hit.encoding === 'gzip') return gunzipAsync(hit.bytes);
  throw new Error('a kept report is decompressed from its gzip bytes');
}

/** The gzip level of a report compressed on the request path: a fifth of level 6's time, a quarter more bytes. */
export const FAST_GZIP_LEVEL = 1;

/**
 * Hashes and gzip-compresses a report's parts as they are written (level 1, in zlib's thread pool): what is held
 * is the compressed bytes, a sixth to a tenth of the text. The brotli bytes (and a smaller gzip) are made later, off
 * the request path (`KeptCompression`).
 */
export async function compressParts(parts: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<KeptBytes> {
  const hash = createHash('sha256');
  const gzip = createGzip({ level: FAST_GZIP_LEVEL });
  const gzipped: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => gzipped.push(chunk));
  const done = once(gzip, 'end');
  done.catch(() => undefined); // awaited below; an error meanwhile is thrown from there
  let size = 0;
  try {
    for await (const part of parts) {
      const bytes = typeof part === 'string' ? Buffer.from(part) : part;
      hash.update(bytes);
      size += bytes.length;
      if (!gzip.write(bytes)) await once(gzip, 'drain');
    }
    gzip.end();
    await done;
  } finally {
    gzip.destroy();
  }
  return { etag: hash.digest('hex'), size, gzip: Buffer.concat(gzipped), br: null, identity: null };
}

/**
 * A report's gzip bytes compressed again as they are decompressed, never whole as text: brotli (quality 5) and gzip
 * level 6, the encodings a kept report is served in once it has them.
 */
export async function recompress(gzipped: Buffer): Promise<{ br: Buffer; gzip: Buffer }> {
  const source = createGunzip();
  const gzip = createGzip({ level: 6 });
  const br = createBrotliCompress({
    params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
  });
  const gzipParts: Buffer[] = [];
  const brParts: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => gzipParts.push(chunk));
  br.on('data', (chunk: Buffer) => brParts.push(chunk));
  const done = Promise.all([once(gzip, 'end'), once(br, 'end')]);
  done.catch(() => undefined);
  try {
    source.end(gzipped);
    for await (const chunk of source as AsyncIterable<Buffer>) {
      // Both drains are listened for at once, right after the writes (awaited one after the other, one could be missed).
      const drained: Promise<unknown>[] = [];
      if (!gzip.write(chunk)) drained.push(once(gzip, 'drain'));
      if (!br.write(chunk)) drained.push(once(br, 'drain'));
      await Promise.all(drained);
    }
    gzip.end();
    br.end();
    await done;
  } finally {
    source.destroy();
    gzip.destroy();
    br.destroy();
  }
  return { br: Buffer.concat(brParts), gzip: Buffer.concat(gzipParts) };
}

/** A body kept as it is (a workbook, compressed already). */
export function identityBytes(body: Buffer): KeptBytes {
  return { etag: createHash('sha256').update(body).digest('hex'), size: body.length, gzip: null, br: null, identity: body };
}

/**
 * Reports whose period has ended, as rendered bytes in PostgreSQL (`kept_report`), shared by every instance and
 * kept over restarts. A row's body never changes: the same key always makes the same bytes; only its brotli
 * bytes are added later (and its gzip bytes compressed harder), by `KeptCompression`. Deleting rows is
 * always safe (the next pull builds the report again).
 */
@Injectable()
export class KeptReports {
  /**
   * The bytes of the kept reports pulled most recently, by key and encoding, up to REPORT_KEEP_MEMORY_MB: a pull
   * whose row still has the same ETag takes them from here instead of reading (and decoding) the bytea again.
   */
  private readonly recent = new Map<string, KeptHit>();
  private recentBytes = 0;
  private readonly recentLimit: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    env: Environment,
  ) {
    this.recentLimit = env.REPORT_KEEP_MEMORY_MB * 1024 * 1024;
  }

  /** The ETag of a kept report, without its bytes. */
  async etag(key: Buffer): Promise<string | undefined> {
    const rows: { etag: string }[] = await this.dataSource.query(`SELECT etag FROM kept_report WHERE key = $1`, [key]);
    return rows[0]?.etag;
  }

  /**
   * A kept report in `want` (when kept so), else gzip or as it is: one statement. When its bytes are held in memory,
   * the statement reads only the row's ETag, and the bytes held are used if it is still theirs.
   */
  async get(key: Buffer, want: Encoding): Promise<KeptHit | undefined> {
    const id = `${key.toString('hex')} ${want}`;
    const held = this.recent.get(id);
    if (!held) return this.read(id, key, want);
    const rows: { etag: string; br: boolean }[] = await this.dataSource.query(
      `SELECT etag, br IS NOT NULL AS br FROM kept_report WHERE key = $1`,
      [key],
    );
    const etag = rows[0]?.etag;
    // Held as gzip while brotli was asked for (kept before its brotli bytes were made): used until the row has them.
    const better = want === 'br' && held.encoding !== 'br' && rows[0]?.br === true;
    if (etag === held.etag && !better) {
      // The most recent again (pulls of the same report at once all find it held, none reads the bytes).
      if (this.recent.get(id) !== held) {
        this.hold(id, held);
      } else {
        this.recent.delete(id);
        this.recent.set(id, held);
      }
      return held;
    }
    this.forget(id);
    return etag === undefined ? undefined : this.read(id, key, want);
  }

  private async read(id: string, key: Buffer, want: Encoding): Promise<KeptHit | undefined> {
    const rows: KeptHit[] = await this.dataSource.query(
      `SELECT etag, size,
              CASE WHEN ${want} IS NOT NULL THEN '${want}' WHEN identity IS NOT NULL THEN 'identity' ELSE 'gzip' END AS encoding,
              COALESCE(${want}, identity, gzip) AS bytes
       FROM kept_report WHERE key = $1`,
      [key],
    );
    if (rows[0]) this.hold(id, rows[0]);
    return rows[0];
  }

  /** Holds a pulled report's bytes as the most recent, dropping the least recently pulled beyond the limit. */
  private hold(id: string, hit: KeptHit): void {
    if (hit.bytes.length > this.recentLimit / 4) return;
    this.forget(id);
    this.recent.set(id, hit);
    this.recentBytes += hit.bytes.length;
    this.evict();
  }

  /** Drops the least recently pulled beyond the limit. */
  private evict(): void {
    for (const [oldest] of this.recent) {
      if (this.recentBytes <= this.recentLimit) break;
      this.forget(oldest);
    }
  }

  private forget(id: string): void {
    const hit = this.recent.get(id);
    if (!hit) return;
    this.recent.delete(id);
    this.recentBytes -= hit.bytes.length;
  }

  /** The gzip bytes of a kept report that has no brotli bytes yet (undefined: it has them, or is not kept). */
  async withoutBrotli(key: Buffer): Promise<{ etag: string; gzip: Buffer } | undefined> {
    const rows: { etag: string; gzip: Buffer }[] = await this.dataSource.query(
      `SELECT etag, gzip FROM kept_report WHERE key = $1 AND br IS NULL AND gzip IS NOT NULL`,
      [key],
    );
    return rows[0];
  }

  /**
   * Adds the brotli bytes of a kept report and its gzip bytes compressed harder: the same body (the same ETag), so
   * a pull before or after is the same report. Only a row still without brotli bytes is written (another instance may
   * have been first); a row deleted meanwhile stays deleted.
   */
  async addEncodings(key: Buffer, etag: string, encodings: { br: Buffer; gzip: Buffer }): Promise<void> {
    await this.dataSource.query(`UPDATE kept_report SET br = $3, gzip = $4 WHERE key = $1 AND etag = $2 AND br IS NULL`, [
      key,
      etag,
      encodings.br,
      encodings.gzip,
    ]);
    // The gzip bytes held here are those kept before: the same body, but no longer the row's bytes.
    for (const want of ['br', 'gzip'] as const) this.forget(`${key.toString('hex')} ${want}`);
  }

  /** Keeps a report; when another pull (here or on another instance) kept it first, its row stays as it is. */
  async put(key: Buffer, bytes: KeptBytes): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO kept_report (key, etag, size, gzip, br, identity) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING`,
      [key, bytes.etag, bytes.size, bytes.gzip, bytes.br, bytes.identity],
    );
  }
}
