import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { matchesIfNoneMatch } from '../../common/etag.js';
import type { ReportQueryDto } from '../dto/report-query.dto.js';
import { reportCsv, reportFileName } from './report-csv.js';
import type { ReportDocument, ReportParts } from '../report-document.js';
import { reportJson } from './report-json.js';
import { reportLanguage } from './report-sheet.js';
import { reportXlsx, XLSX_MEDIA_TYPE } from './report-xlsx.js';

export type ReportFormat = 'json' | 'csv' | 'xlsx';

/** `?format=` wins over `Accept`; JSON unless CSV or the XLSX media type is asked for. */
export function reportFormat(query: Pick<ReportQueryDto, 'format'>, accept: string | undefined): ReportFormat {
  if (query.format) return query.format;
  if (accept?.includes(XLSX_MEDIA_TYPE)) return 'xlsx';
  if (/\btext\/csv\b/.test(accept ?? '')) return 'csv';
  return 'json';
}

/** Whether the report is written as a spreadsheet (CSV or XLSX), which carries each item's latest comment. */
export function isSheet(format: ReportFormat): boolean {
  return format !== 'json';
}

/**
 * Sets the headers of the report's format and writes it: JSON, CSV (with
 * `delimiter` and `lang`) or an XLSX workbook (with `lang`). `accept` and
 * `acceptLanguage` are the request's headers (a report link passes none: its
 * query says all).
 */
export async function writeReport(
  report: ReportDocument,
  names: { subject: string; label: string },
  query: ReportQueryDto,
  request: Pick<FastifyRequest, 'headers'>,
  reply: FastifyReply,
): Promise<ReportParts> {
  const format = reportFormat(query, request.headers.accept);
  void reply.header('vary', 'Accept, Accept-Language');
  let parts: () => Iterable<string | Buffer>;
  if (format === 'json') {
    void reply.header('content-type', 'application/json; charset=utf-8');
    parts = () => reportJson(report);
  } else {
    const sheet = { lang: reportLanguage(query.lang, request.headers['accept-language']), period: names.label };
    const file = reportFileName(names.subject, names.label);
    if (format === 'xlsx') {
      void reply.header('content-type', XLSX_MEDIA_TYPE).header('content-disposition', `attachment; filename="${file}.xlsx"`);
      const workbook = await reportXlsx(report, sheet);
      parts = () => [workbook];
    } else {
      void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}.csv"`);
      parts = () => reportCsv(report, sheet, query.delimiter);
    }
  }
  // A complete report never changes: the SHA-256 of its bytes is its ETag. The parts are written twice and
  // hashed once, so no copy of the whole text is kept.
  if (report.head.complete) {
    const etag = `"${sha256(parts())}"`;
    void reply.header('etag', etag);
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
      void reply.code(304);
      return [];
    }
  }
  return parts();
}

/** SHA-256 (hex) of the bytes the parts make, text as UTF-8. */
function sha256(parts: Iterable<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
