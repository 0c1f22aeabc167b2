/** A database URL as it may be shown in a log or an error: without its password. */
export function databaseUrlForLog(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

/** Network failures, and PostgreSQL's "connection exception", "invalid authorization" and "no such database" classes. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Whether an error means the database could not be reached or logged into (as opposed to a failing query). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || /^(08|28|3D)/.test(code))) return true;
  if (/timeout expired|Connection terminated/i.test(error.message)) return true;
  return error instanceof AggregateError && error.errors.some(isConnectionError);
}
