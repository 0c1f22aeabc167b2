import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ReportQueryDto } from './dto/report.dto.js';
import { reportCsv, reportFileName } from './report-csv.js';
import type { ReportDocument, ReportParts } from './report-document.js';
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
  if (format === 'json') {
    void reply.header('content-type', 'application/json; charset=utf-8');
    return reportJson(report);
  }
  const sheet = { lang: reportLanguage(query.lang, request.headers['accept-language']), period: names.label };
  const file = reportFileName(names.subject, names.label);
  if (format === 'xlsx') {
    void reply.header('content-type', XLSX_MEDIA_TYPE).header('content-disposition', `attachment; filename="${file}.xlsx"`);
    return [await reportXlsx(report, sheet)];
  }
  void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}.csv"`);
  return reportCsv(report, sheet, query.delimiter);
}
