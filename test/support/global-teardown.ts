import { rm } from 'node:fs/promises';
import type { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { styrmanTestServer?: EmbeddedPostgres; styrmanTestDataDir?: string };
  await g.styrmanTestServer?.stop();
  if (g.styrmanTestDataDir) await rm(g.styrmanTestDataDir, { recursive: true, force: true });
}
