import { plainToInstance } from 'class-transformer';
import { isUUID, validateSync } from 'class-validator';
import { DomainError } from '../../../common/domain-error.js';
import { StatusGridQueryDto } from '../../../follow-up/dto/status-grid.dto.js';
import { SubmittedReportQueryDto } from '../../../report-submissions/dto/report-submission.dto.js';
import { ReportQueryDto } from '../../dto/report-query.dto.js';

/**
 * What a link may open, each with the query parameters it takes (in the order its canonical path writes them): a
 * cluster's or a funder's report, a submitted report (the frozen bytes, or CSV or XLSX made from them), or a
 * cluster's or a funder's status grid. One resource and one format per link.
 */
const ROUTES = [
  {
    kind: 'report',
    route: /^(?:\/api\/v1)?\/(clusters|funders)\/([^/?#]+)\/report$/,
    parameters: ['period', 'from', 'to', 'knownAt', 'format', 'delimiter', 'lang'],
    dto: ReportQueryDto,
  },
  {
    kind: 'submission',
    route: /^(?:\/api\/v1)?\/(report-submissions)\/([^/?#]+)\/report$/,
    parameters: ['format', 'delimiter', 'lang'],
    dto: SubmittedReportQueryDto,
  },
  {
    kind: 'statusGrid',
    route: /^(?:\/api\/v1)?\/(clusters|funders)\/([^/?#]+)\/status-grid$/,
    parameters: ['period', 'from', 'to', 'interval', 'format', 'delimiter', 'lang'],
    dto: StatusGridQueryDto,
  },
] as const;

interface Target<K, S, Q> {
  kind: K;
  subject: S;
  id: string;
  query: Q;
  /** The path as stored: `/api/v1/funders/{id}/report?period=2026-Q3&format=csv`, parameters in a fixed order. */
  path: string;
}

/** A route with its query: what a link opens. */
export type ReportTarget =
  | Target<'report', 'cluster' | 'funder', ReportQueryDto>
  | Target<'submission', 'submission', SubmittedReportQueryDto>
  | Target<'statusGrid', 'cluster' | 'funder', StatusGridQueryDto>;

const SUBJECTS = { clusters: 'cluster', funders: 'funder', 'report-submissions': 'submission' } as const;

const SHAPES =
  '/api/v1/clusters/{clusterId}/report, /api/v1/funders/{funderId}/report, /api/v1/report-submissions/{submissionId}/report, ' +
  '/api/v1/clusters/{clusterId}/status-grid or /api/v1/funders/{funderId}/status-grid, with its query';

const invalid = (message: string) => DomainError.invalid('path', message);

/**
 * Reads the path of a report link: a report (`/api/v1/clusters/{id}/report`,
 * `/api/v1/funders/{id}/report`), a submitted report
 * (`/api/v1/report-submissions/{id}/report`) or a status grid
 * (`/api/v1/clusters/{id}/status-grid`, `/api/v1/funders/{id}/status-grid`),
 * with only that route's own query parameters, each at most once and valid.
 * Anything else is a 400 naming `path`.
 */
export function parseReportPath(path: string): ReportTarget {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('#')) {
    throw invalid('path must be the path of a report, such as /api/v1/funders/{id}/report?period=2026-Q3&format=csv.');
  }
  const [pathname = '', search = ''] = path.split(/\?(.*)/s, 2);
  const match = ROUTES.map((r) => ({ ...r, found: r.route.exec(pathname) })).find((r) => r.found);
  if (!match?.found) throw invalid(`path must be ${SHAPES}.`);
  const [, collection = '', id = ''] = match.found;
  const subject = SUBJECTS[collection as keyof typeof SUBJECTS];
  if (!isUUID(id)) throw invalid(`path: the ${subject} id must be a UUID.`);

  const allowed: readonly string[] = match.parameters;
  const params = new URLSearchParams(search);
  const raw: Record<string, string> = {};
  for (const [key, value] of params) {
    if (!allowed.includes(key)) throw invalid(`path: unknown query parameter "${key}"; this route takes ${allowed.join(', ')}.`);
    if (key in raw) throw invalid(`path: the query parameter "${key}" is given more than once.`);
    raw[key] = value;
  }
  const query = plainToInstance(match.dto as new () => object, raw);
  const errors = validateSync(query, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const messages = errors.flatMap((e) => Object.values(e.constraints ?? {}));
    throw invalid(`path: ${messages.join('; ')}.`);
  }
  const canonical = new URLSearchParams();
  for (const key of allowed) if (raw[key] !== undefined) canonical.set(key, raw[key]);
  const queryText = canonical.toString();
  const tail = match.kind === 'statusGrid' ? 'status-grid' : 'report';
  return {
    kind: match.kind,
    subject,
    id: id.toLowerCase(),
    query,
    path: `/api/v1/${collection}/${id.toLowerCase()}/${tail}${queryText ? `?${queryText}` : ''}`,
  } as ReportTarget;
}
