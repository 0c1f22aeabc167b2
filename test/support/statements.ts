import type { StatementCountingLogger } from '../../src/database/statement-counter.js';
import type { TestApp } from './app.js';

/** The API-key lookup the guard makes when its 5-second cache has expired: not part of the request's own work. */
const API_KEY_LOOKUP = /\bFROM "api_key"/;

/** The brotli step of kept reports (KeptCompression), which runs beside requests after a build: not a request's work. */
const KEPT_COMPRESSION = /\bkept_report\b[\s\S]*\bbr IS NULL\b/;

/**
 * The SQL statements a request makes itself, in order: everything sent to
 * PostgreSQL while it ran, less the API-key lookup of the guard and the
 * brotli step of kept reports.
 */
export async function ownStatements<T>(t: TestApp, request: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const recording = (t.dataSource.logger as StatementCountingLogger).record();
  let statements: string[];
  let result: T;
  try {
    result = await request();
  } finally {
    statements = recording.stop();
  }
  return { result, statements: statements.filter((sql) => !API_KEY_LOOKUP.test(sql) && !KEPT_COMPRESSION.test(sql)) };
}
