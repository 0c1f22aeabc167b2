import type { FastifyReply, FastifyRequest } from 'fastify';
import { fileName } from '../common/csv.js';
import { reportLanguage } from '../reports/render/report-sheet.js';
import type { GridFormat, StatusGridQueryDto, StatusGridResponse } from './dto/status-grid.dto.js';
import type { StatusGrid } from './follow-up.service.js';
import { statusGridToCsv } from './status-grid-csv.js';
import { statusGridToSvg } from './status-grid-svg.js';

function formatOf(query: StatusGridQueryDto, request: FastifyRequest): GridFormat {
  if (query.format) return query.format;
  const accept = request.headers.accept ?? '';
  if (/\btext\/csv\b/.test(accept)) return 'csv';
  if (/\bimage\/svg\+xml\b/.test(accept)) return 'svg';
  return 'json';
}

/** Writes a status grid as JSON, CSV or SVG: `format` wins over `Accept`, `lang` over `Accept-Language`. */
export function respond(
  { grid, subject, label }: StatusGrid,
  query: StatusGridQueryDto,
  request: FastifyRequest,
  reply: FastifyReply,
): StatusGridResponse | string {
  void reply.header('vary', 'Accept, Accept-Language');
  const format = formatOf(query, request);
  const lang = reportLanguage(query.lang, request.headers['accept-language']);
  switch (format) {
    case 'json':
      return grid;
    case 'csv':
      void reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName('styrman-status-grid', subject, label, 'csv')}"`);
      return statusGridToCsv(grid, query.delimiter, lang);
    case 'svg':
      void reply
        .header('content-type', 'image/svg+xml; charset=utf-8')
        .header('content-disposition', `inline; filename="${fileName('styrman-status-grid', subject, label, 'svg')}"`)
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      return statusGridToSvg(grid, subject, lang);
    default: {
      const never: never = format;
      return never;
    }
  }
}
