import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestApp } from './app.js';

/**
 * Starts the application listening on a Unix socket of its own, for suites whose clients stop reading a report.
 * A Unix socket's kernel buffer is a fixed ~200 KB, so a reader that stops reading stops the report. Over
 * loopback TCP the kernel grows a receive buffer up to `tcp_rmem`'s maximum (32 MB on our machines): a paused
 * reader now and then takes a whole report of several MB into it, its response ends, and its slot is freed
 * as it should be, which is not what those suites measure. Call it after the data is made: supertest takes a
 * server on a port.
 */
export async function listenOnUnixSocket(t: TestApp, name: string): Promise<string> {
  const path = join(tmpdir(), `styrman-${name}-${process.pid}.sock`);
  await rm(path, { force: true });
  await t.app.listen({ path });
  return path;
}
