import { plainToInstance } from 'class-transformer';
import { isUUID, validateSync } from 'class-validator';
import { DomainError } from '../../common/domain-error.js';
import { ReportQueryDto } from '../dto/report-query.dto.js';

/** The query parameters a report link may carry, in the order its canonical path writes them. */
const REPORT_PARAMETERS = ['period', 'from', 'to', 'knownAt', 'format', 'delimiter', 'lang'] as const;

const REPORT_ROUTE = /^(?:\/api\/v1)?\/(clusters|funders)\/([^/?#]+)\/report$/;

/** A report route with its query: what a link opens. */
export interface ReportTarget {
  subject: 'cluster' | 'funder';
  id: string;
  query: ReportQueryDto;
  /** The path as stored: `/api/v1/funders/{id}/report?period=2026-Q3&format=csv`, parameters in a fixed order. */
  path: string;
}

const invalid = (message: string) => DomainError.invalid('path', message);

/**
 * Reads the path of a report link: one of the report routes
 * (`/api/v1/clusters/{id}/report`, `/api/v1/funders/{id}/report`) with only the
 * report's own query parameters, each at most once and valid. Anything else is
 * a 400 naming `path`.
 */
export function parseReportPath(path: string): ReportTarget {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('#')) {
    throw invalid('path must be the path of a report, such as /api/v1/funders/{id}/report?period=2026-Q3&format=csv.');
  }
  const [pathname = '', search = ''] = path.split(/\?(.*)/s, 2);
  const route = REPORT_ROUTE.exec(pathname);
  if (!route) throw invalid('path must be /api/v1/clusters/{clusterId}/report or /api/v1/funders/{funderId}/report, with its query.');
  const [, collection, id = ''] = route;
  if (!isUUID(id)) throw invalid(`path: the ${collection === 'clusters' ? 'cluster' : 'funder'} id must be a UUID.`);

  const params = new URLSearchParams(search);
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    if (!(REPORT_PARAMETERS as readonly string[]).includes(key)) {
      throw invalid(`path: unknown query parameter "${key}"; a report takes ${REPORT_PARAMETERS.join(', ')}.`);
    }
    if (key in raw) throw invalid(`path: the query parameter "${key}" is given more than once.`);
    raw[key] = value;
  }
  const query = plainToInstance(ReportQueryDto, raw);
  const errors = validateSync(query, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const messages = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw invalid(`path: ${messages.join('; ')}.`);
  }
  const canonical = new URLSearchParams();
  for (const key of REPORT_PARAMETERS) if (raw[key] !== undefined) canonical.set(key, raw[key]);
  const queryText = canonical.toString();
  return {
    subject: collection === 'clusters' ? 'cluster' : 'funder',
    id: id.toLowerCase(),
    query,
    path: `/api/v1/${collection}/${id.toLowerCase()}/report${queryText ? `?${queryText}` : ''}`,
  };
}
