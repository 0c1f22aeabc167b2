import { Metrics } from '../../metrics/metrics.js';
import { negotiate } from '@fastify/accept-negotiator';
import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Caller } from '../../auth/role.js';
import { checkIfNoneMatch, matchesIfNoneMatch } from '../../common/etag.js';
import { Environment } from '../../config/environment.js';
import type { ReportQueryDto } from '../dto/report-query.dto.js';
import { reportCsvStream, reportFileName } from '../render/report-csv.js';
import type { ReportBatch, ReportSource } from '../report-document.js';
import { type ReportFormat, reportFormat } from '../render/report-format.js';
import { reportJsonStream } from '../render/report-json.js';
import { ReportLimiter } from './report-limiter.js';
import { reportLanguage, type SheetOptions } from '../render/report-sheet.js';
import { reportXlsx, XLSX_MEDIA_TYPE } from '../render/report-xlsx.js';
import { WorkbookLimiter } from './workbook-limiter.js';
import {
  compressParts,
  type Encoding,
  identityBytes,
  type KeptBytes,
  type KeptHit,
  KeptReports,
  keptReportKey,
} from './kept/kept-reports.js';
import { KeptCompression } from './kept/kept-compression.js';
import { type OpenCopy, OpenReports } from './kept/open-reports.js';
import { type ReportTarget, ReportsService, type ResolvedReport } from '../reports.service.js';
import { ReplicaReads } from '../../database/replica-reads.js';

/** The encodings a kept report is kept in, in the order the service prefers them. */
const KEPT_ENCODINGS: Encoding[] = ['br', 'gzip'];

/** How a report is written: its media type, file name, and its parts made from what is read. */
interface Rendering {
  format: ReportFormat;
  contentType: string;
  disposition?: string;
  lang: string | null;
  delimiter: string | null;
  parts(source: ReportSource): AsyncIterable<string | Buffer>;
}

/** The request headers a report answers to (a report link passes its own `accept`/`accept-language`: none). */
export type ReportRequestHeaders = Pick<IncomingHttpHeaders, 'accept' | 'accept-language' | 'accept-encoding' | 'if-none-match'>;

/**
 * Delivers a report. A report whose period has ended (`complete`) is a pure function of the history up to its
 * end and of the clusters the caller may read: its bytes are kept in PostgreSQL (`KeptReports`), compressed, and
 * every later pull, from any instance, is one statement after the two that check access, without a building
 * slot. The first pull builds it (in a slot of `REPORT_CONCURRENCY`) batch by batch into its SHA-256 and its
 * gzip and brotli bytes, keeps it, then serves it as a later pull would. A report of a period still running is
 * streamed to the client as it is read from PostgreSQL, in a slot, and never kept.
 */
@Injectable()
export class ReportDelivery {
  /** Builds of complete reports under way on this instance, by key: a second pull of the same report waits for the first. */
  private readonly building = new Map<string, Promise<KeptBytes>>();
  /** Builds of running periods' reports under way on this instance, by key. */
  private readonly openBuilding = new Map<string, Promise<OpenCopy>>();

  constructor(
    private readonly reports: ReportsService,
    private readonly limiter: ReportLimiter,
    private readonly kept: KeptReports,
    private readonly compression: KeptCompression,
    private readonly open: OpenReports,
    private readonly env: Environment,
    private readonly metrics: Metrics,
    private readonly replica: ReplicaReads,
    private readonly workbooks: WorkbookLimiter,
  ) {}

  async deliver(
    caller: Caller,
    target: ReportTarget,
    query: ReportQueryDto,
    headers: ReportRequestHeaders,
    reply: FastifyReply,
  ): Promise<Readable | Buffer | string> {
    const period = this.reports.period(query);
    const report = await this.reports.resolve(caller, target, period);
    const rendering = this.rendering(report, query, headers);
    void reply.header('content-type', rendering.contentType).header('vary', 'Accept, Accept-Language, Accept-Encoding');
    if (rendering.disposition) void reply.header('content-disposition', rendering.disposition);
    const sheet = rendering.format !== 'json';
    if (!report.head.complete) {
      // A workbook is built whole and compressed already: it is streamed as before, never kept.
      if (this.env.REPORT_OPEN_KEEP_SECONDS > 0 && rendering.format !== 'xlsx') {
        const copy = await this.openCopy(this.keyOf(target, report, rendering), report, rendering, sheet);
        return this.sendOpen(copy, headers, reply);
      }
      this.metrics.reportBuilt('streamed');
      return this.limiter.stream(() => Promise.resolve(rendering.parts(this.reports.source(report, { sheet }))), reply.raw);
    }

    const key = this.keyOf(target, report, rendering);
    const encoding = negotiate<Encoding>(headers['accept-encoding'] ?? '', KEPT_ENCODINGS);
    const ifNoneMatch = headers['if-none-match'];
    checkIfNoneMatch(ifNoneMatch);
    if (this.env.REPORT_KEEP) {
      if (ifNoneMatch) {
        const etag = await this.kept.etag(key);
        if (etag !== undefined && this.notModified(etag, ifNoneMatch, reply)) {
          this.metrics.keptReportHit();
          return '';
        }
      }
      const hit = await this.kept.get(key, encoding ?? 'gzip');
      if (hit) {
        this.metrics.keptReportHit();
        if (encoding === 'br' && hit.encoding === 'gzip') {
          // Kept before its brotli bytes were made (or they are being made): asked for again, off the request path.
          this.compression.request(key);
          return this.send(hit, this.gzipIfTaken(encoding, headers), ifNoneMatch, reply);
        }
        return this.send(hit, encoding, ifNoneMatch, reply);
      }
    }
    // A complete report is about the past: the replica builds it once it has replayed every commit up to its knownAt.
    const asOf = new Date(report.head.knownAt ?? report.head.to);
    const source = () => this.replica.sourceFor(asOf);
    const bytes = await this.build(
      key,
      () => rendering.parts(this.reports.source(report, { sheet, source, readAhead: true })),
      rendering.format === 'xlsx',
    );
    const hit: KeptHit =
      bytes.identity !== null
        ? { etag: bytes.etag, size: bytes.size, encoding: 'identity', bytes: bytes.identity }
        : { etag: bytes.etag, size: bytes.size, encoding: 'gzip', bytes: bytes.gzip! };
    return this.send(hit, hit.encoding === 'gzip' ? this.gzipIfTaken(encoding, headers) : encoding, ifNoneMatch, reply);
  }

  /** What gzip bytes are sent in: as they are to any client that takes gzip, brotli or not (else `encoding`). */
  private gzipIfTaken(encoding: Encoding | null, headers: ReportRequestHeaders): Encoding | null {
    return encoding === 'br' && negotiate<Encoding>(headers['accept-encoding'] ?? '', ['gzip']) ? 'gzip' : encoding;
  }

  /** The key of a report's bytes: everything that determines them. */
  private keyOf(target: ReportTarget, report: ResolvedReport, rendering: Rendering): Buffer {
    return keptReportKey({
      subject: target.subject,
      id: target.id,
      from: report.head.from,
      to: report.head.to,
      knownAt: report.head.knownAt ?? null,
      period: report.head.period,
      label: report.period.label,
      timeZone: report.head.timeZone,
      format: rendering.format,
      lang: rendering.lang,
      delimiter: rendering.delimiter,
      fundingsOf: report.fundingsOf,
      clusterIds: report.clusters.map((c) => c.id),
    });
  }

  /**
   * The report of a running period as kept from a snapshot after which none of its clusters was written to: the copy
   * in PostgreSQL when there is one; else the one being built here when that one, once built, is still the report
   * (it may have been read before this request came: PostgreSQL says whether a write came since); else built now.
   */
  private async openCopy(key: Buffer, report: ResolvedReport, rendering: Rendering, sheet: boolean): Promise<OpenCopy> {
    const kept = await this.open.get(key);
    if (kept) {
      this.metrics.keptReportHit();
      return kept;
    }
    const id = key.toString('hex');
    const under = this.openBuilding.get(id);
    if (under) {
      await under.catch(() => undefined);
      const built = await this.open.get(key);
      if (built) return built;
    }
    return this.buildOpen(id, key, report, rendering, sheet);
  }

  /** Builds the report of a running period in a slot and keeps it with its snapshot; later pulls here wait for it. */
  private buildOpen(id: string, key: Buffer, report: ResolvedReport, rendering: Rendering, sheet: boolean): Promise<OpenCopy> {
    const build = this.limiter.run(async () => {
      this.metrics.reportBuilt('streamed');
      let snapshot: string | undefined;
      const bytes = await compressParts(
        rendering.parts(this.reports.source(report, { sheet, snapshot: (s) => (snapshot = s), readAhead: true })),
      );
      const copy: OpenCopy = { etag: bytes.etag, size: bytes.size, gzip: bytes.gzip! };
      // A report of no cluster reads nothing (no snapshot): there is nothing a write could change but its clusters.
      if (snapshot !== undefined) {
        await this.open.put(
          key,
          copy,
          snapshot,
          report.clusters.map((c) => c.id),
        );
      }
      return copy;
    });
    this.openBuilding.set(id, build);
    void build
      .catch(() => undefined)
      .finally(() => {
        if (this.openBuilding.get(id) === build) this.openBuilding.delete(id);
      });
    return build;
  }

  /** Sends a running period's report: its gzip bytes as they are when the client takes gzip, else decompressed as sent. */
  private sendOpen(copy: OpenCopy, headers: ReportRequestHeaders, reply: FastifyReply): Buffer | Readable {
    if (negotiate<Encoding>(headers['accept-encoding'] ?? '', ['gzip'])) {
      void reply.header('content-encoding', 'gzip').header('content-length', copy.gzip.length);
      return copy.gzip;
    }
    // A client that takes only brotli gets the body compressed as it is sent, as a streamed report always was.
    const body = createGunzip();
    body.end(copy.gzip);
    return body;
  }

  /** Builds a complete report in a slot and keeps it; a build of the same report already under way here is shared. */
  private build(key: Buffer, parts: () => AsyncIterable<string | Buffer>, binary: boolean): Promise<KeptBytes> {
    const id = key.toString('hex');
    let build = this.building.get(id);
    if (!build) {
      build = this.limiter
        .run(async () => {
          this.metrics.reportBuilt('kept');
          const bytes = binary ? await this.whole(parts()) : await compressParts(parts());
          if (this.env.REPORT_KEEP) {
            await this.kept.put(key, bytes);
            // Kept in gzip only: the brotli bytes are made after, off the request path.
            if (!binary) this.compression.request(key);
          }
          return bytes;
        })
        .finally(() => this.building.delete(id));
      this.building.set(id, build);
    }
    return build;
  }

  private async whole(parts: AsyncIterable<string | Buffer>): Promise<KeptBytes> {
    const chunks: Buffer[] = [];
    for await (const part of parts) chunks.push(typeof part === 'string' ? Buffer.from(part) : part);
    return identityBytes(Buffer.concat(chunks));
  }

  private notModified(etag: string, ifNoneMatch: string, reply: FastifyReply): boolean {
    this.cacheHeaders(`"${etag}"`, reply);
    if (!matchesIfNoneMatch(ifNoneMatch, `"${etag}"`)) return false;
    void reply.code(304);
    return true;
  }

  private cacheHeaders(etag: string, reply: FastifyReply): void {
    void reply.header('etag', etag);
    // A report link says its own (no-store): never overwritten.
    if (!reply.hasHeader('cache-control')) void reply.header('cache-control', `private, max-age=${this.env.REPORT_MAX_AGE_SECONDS}`);
  }

  /**
   * Sends kept bytes: as they are, with `Content-Encoding`, when the client accepts their encoding (the
   * compression hook leaves a response that has one alone), else decompressed.
   */
  private send(hit: KeptHit, encoding: Encoding | null, ifNoneMatch: string | undefined, reply: FastifyReply): Buffer | Readable | string {
    if (ifNoneMatch && this.notModified(hit.etag, ifNoneMatch, reply)) return '';
    this.cacheHeaders(`"${hit.etag}"`, reply);
    if (hit.encoding !== 'identity' && hit.encoding === encoding) {
      void reply.header('content-encoding', hit.encoding).header('content-length', hit.bytes.length);
      return hit.bytes;
    }
    if (hit.encoding === 'identity') return hit.bytes;
    // Decompressed as it is sent, with backpressure: the whole text is never held.
    const body = createGunzip();
    body.end(hit.bytes);
    void reply.header('content-length', hit.size);
    return body;
  }

  private async *workbookParts(source: ReportSource, sheet: SheetOptions): AsyncGenerator<Buffer> {
    yield await this.workbooks.run(async () => {
      const batches: ReportBatch[] = [];
      for await (const batch of source.batches) batches.push(batch);
      const latestComments = new Map(batches.flatMap((b) => [...(b.latestComments ?? [])]));
      const indicatorTotals = batches.findLast((b) => b.indicatorTotals)?.indicatorTotals;
      const document = { head: source.head, sections: batches.flatMap((b) => b.sections), latestComments };
      return reportXlsx(indicatorTotals ? { ...document, indicatorTotals } : document, sheet);
    });
  }

  private rendering(report: ResolvedReport, query: ReportQueryDto, headers: ReportRequestHeaders): Rendering {
    const format = reportFormat(query, headers.accept);
    if (format === 'json') {
      return { format, contentType: 'application/json; charset=utf-8', lang: null, delimiter: null, parts: reportJsonStream };
    }
    const sheet = { lang: reportLanguage(query.lang, headers['accept-language']), period: report.period.label };
    const file = reportFileName(report.subjectName, report.period.label);
    if (format === 'xlsx') {
      return {
        format,
        contentType: XLSX_MEDIA_TYPE,
        disposition: `attachment; filename="${file}.xlsx"`,
        lang: sheet.lang,
        delimiter: null,
        // A workbook's sheets are by kind: its sections are gathered whole, then written as one part, one workbook
        // at a time on this instance (WorkbookLimiter).
        parts: (source) => this.workbookParts(source, sheet),
      };
    }
    const delimiter = query.delimiter ?? 'comma';
    return {
      format,
      contentType: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${file}.csv"`,
      lang: sheet.lang,
      delimiter,
      parts: (source) => reportCsvStream(source, sheet, delimiter),
    };
  }
}
