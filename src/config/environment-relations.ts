/** Whether `tz` is an IANA time zone this Node knows. */
function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The settings whose values are checked against each other (a subset of Environment, named here to keep this file free of it). */
export interface RelatedSettings {
  DATABASE_URL?: string;
  DATABASE_DIRECT_URL?: string;
  DATABASE_REPLICA_URL?: string;
  REPORT_TIME_ZONE: string;
  HTTP_HEADERS_TIMEOUT_MS: number;
  HTTP_REQUEST_TIMEOUT_MS: number;
  REPORT_CONCURRENCY: number;
  DB_POOL_SIZE: number;
  REPORT_READ_CONNECTIONS: number;
}

/**
 * REPORT_READ_CONNECTIONS left unset gives way, so that a configuration that started before it existed still starts:
 * as many connections per report as the pool has room for, down to one. Set, it is held to (relationProblems).
 */
export function settleReportReadConnections(env: RelatedSettings, raw: Record<string, unknown>): void {
  const { REPORT_CONCURRENCY: reports, DB_POOL_SIZE: pool } = env;
  if (raw.REPORT_READ_CONNECTIONS === undefined && Number.isInteger(reports) && Number.isInteger(pool) && reports < pool) {
    env.REPORT_READ_CONNECTIONS = Math.max(1, Math.min(env.REPORT_READ_CONNECTIONS, Math.floor((pool - 1) / reports)));
  }
}

/**
 * What is wrong between settings each valid on its own: the database URLs, the time zone, the HTTP timeouts, and the
 * connections reports take from the pool.
 */
export function relationProblems(env: Readonly<RelatedSettings>): string[] {
  const messages: string[] = [];
  for (const name of ['DATABASE_URL', 'DATABASE_DIRECT_URL', 'DATABASE_REPLICA_URL'] as const) {
    const value = env[name];
    if (!value || !/^postgres(ql)?:\/\/.+/.test(value)) continue;
    try {
      const url = new URL(value);
      if (!url.hostname) messages.push(`${name}: names no host (postgres://user:password@host:port/database)`);
    } catch {
      messages.push(
        `${name}: is not a valid URL (postgres://user:password@host:port/database; a password with @, : or / in it must be percent-encoded)`,
      );
    }
  }
  for (const name of ['DATABASE_DIRECT_URL', 'DATABASE_REPLICA_URL'] as const) {
    if (env[name] && !env.DATABASE_URL) messages.push(`${name}: is set without DATABASE_URL (the embedded database needs neither)`);
  }
  if (!isValidTimeZone(env.REPORT_TIME_ZONE)) {
    messages.push(`REPORT_TIME_ZONE: "${env.REPORT_TIME_ZONE}" is not a known IANA time zone`);
  }
  const { HTTP_HEADERS_TIMEOUT_MS: headers, HTTP_REQUEST_TIMEOUT_MS: whole } = env;
  if (Number.isInteger(headers) && Number.isInteger(whole) && headers > whole) {
    messages.push('HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS');
  }
  // A report being built or sent holds a pooled connection until its last byte (a paused reader, until it is cut off),
  // one built to be kept REPORT_READ_CONNECTIONS while it is read: as many as the pool would leave none for the rest of the API.
  const { REPORT_CONCURRENCY: reports, DB_POOL_SIZE: pool } = env;
  const connections = reportReadConnections(env);
  if (Number.isInteger(reports) && Number.isInteger(pool) && Number.isInteger(connections) && reports * connections >= pool) {
    messages.push(
      connections === 1
        ? `REPORT_CONCURRENCY: must be less than DB_POOL_SIZE (${reports} ≥ ${pool}): each report being built or sent holds a database connection until its last byte`
        : `REPORT_CONCURRENCY × REPORT_READ_CONNECTIONS: must be less than DB_POOL_SIZE (${reports} × ${connections} ≥ ${pool}): each report built to be kept reads on REPORT_READ_CONNECTIONS database connections at once (REPORT_READ_CONNECTIONS=1: one)`,
    );
  }
  return messages;
}

/**
 * The connections a report built to be kept reads on at once: REPORT_READ_CONNECTIONS, or one through a transaction
 * pooler (DATABASE_DIRECT_URL set apart from DATABASE_URL says DATABASE_URL is one).
 */
export function reportReadConnections(
  env: Pick<RelatedSettings, 'REPORT_READ_CONNECTIONS' | 'DATABASE_URL' | 'DATABASE_DIRECT_URL'>,
): number {
  const pooled = env.DATABASE_DIRECT_URL !== undefined && env.DATABASE_DIRECT_URL !== env.DATABASE_URL;
  return pooled ? 1 : env.REPORT_READ_CONNECTIONS;
}
