import { rm } from 'node:fs/promises';
import type { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import type { PgBouncer } from './pgbouncer.js';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { styrmanTestServer?: EmbeddedPostgres; styrmanTestDataDir?: string; styrmanTestPgBouncer?: PgBouncer };
  await g.styrmanTestPgBouncer?.stop();
  await g.styrmanTestServer?.stop();
  if (g.styrmanTestDataDir) await rm(g.styrmanTestDataDir, { recursive: true, force: true });
}
