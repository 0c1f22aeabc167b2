import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ReportLimiter } from '../src/reports/deliver/report-limiter.js';
import { startTestApp, type TestApp } from './support/app.js';
import { HistoryBuilder } from './support/history.js';
import { currentQuarter, fundedCluster } from './support/submissions.js';
import { listenOnUnixSocket } from './support/unix-socket.js';

const CLUSTERS = 10;
const GOALS_PER_CLUSTER = 1000;
const READERS = 10;
/**
 * What one paused reader may cost the process. It holds its batch of rows (one cluster here: about 1.7 MB, over
 * REPORT_BATCH_KB), the part being written (that cluster's CSV, about 1.8 MB, as text and as bytes) and its
 * stream's buffer (REPORT_STREAM_BUFFER_KB, 1 MB). RSS grows by more than the heap and buffers (memory the
 * allocator keeps), so it is bounded more loosely. The old batches of REPORT_BATCH_CLUSTERS (10) clusters held
 * the whole report for each reader.
 */
const HELD_MB_PER_READER = 16;
const RSS_MB_PER_READER = 30;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The process's resident memory after a full collection, in MB (VmRSS, as /proc/self/status has it). */
function rssMb(): number {
  gc();
  gc();
  return process.memoryUsage().rss / 1024 / 1024;
}

/** The JavaScript heap in use and the buffers outside it, in MB, after a full collection. */
function heldMb(): number {
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 1024 / 1024;
}

/** Polls `check` every 20 ms until it holds, for at most `ms`. */
async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Paused readers of a running-quarter report: each holds one batch of rows, sized by REPORT_BATCH_KB, not
 * REPORT_BATCH_CLUSTERS clusters, so that the process's memory grows by a bounded amount per paused reader
 * whatever the clusters hold. Measured in the process that hosts the service, with the defaults of every
 * batch and buffer setting. The readers reach it over a Unix socket (`listenOnUnixSocket` says why).
 */
describe('the memory of paused readers of a streamed report', () => {
  let t: TestApp;
  let socketPath: string;
  let path: string;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_PER_MINUTE: '0',
      REPORT_CONCURRENCY: String(READERS),
      DB_POOL_SIZE: String(READERS + 5),
      // A streamed report reads on one connection (only one built to be kept reads on more).
      REPORT_READ_CONNECTIONS: '1',
      REPORT_QUEUE_TIMEOUT_MS: '60000',
      REPORT_STALL_TIMEOUT_MS: '120000',
      // The streamed path (a running period's report built for each pull, as with nothing kept): what is measured here.
      REPORT_OPEN_KEEP_SECONDS: '0',
    });
    // A funder of many clusters, each with many goals whose latest comments are long: about 0.9 MB of CSV per cluster.
    const first = await fundedCluster(t);
    const clusters = [first.cluster.id as string];
    for (let i = 1; i < CLUSTERS; i++) clusters.push((await fundedCluster(t, { funder: first.funder })).cluster.id as string);
    for (const clusterId of clusters) {
      await new HistoryBuilder(t.dataSource, clusterId).backdate('cluster', clusterId, '2000-01-01T00:00:00Z');
      await t.dataSource.query(
        `WITH g AS (
           INSERT INTO goal (cluster_id, title, horizon, status)
           SELECT $1, 'Goal ' || i || ' ' || repeat('t', 150), 'short_term', 'green' FROM generate_series(1, $2) i RETURNING *),
         r AS (
           INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, recorded_at)
           SELECT pg_current_xact_id()::text::bigint, 'goal', g.id, g.cluster_id, g.version, 'created', to_jsonb(g), 'Test author', '2000-01-01'
           FROM g)
         INSERT INTO status_update (subject_type, subject_id, cluster_id, status, comment, author, created_at)
         SELECT 'goal', g.id, g.cluster_id, 'green', repeat('c', 1500), 'Test author', '2000-01-02' FROM g`,
        [clusterId, GOALS_PER_CLUSTER],
      );
    }
    key = (await t.key('viewer')).secret;
    path = `/api/v1/funders/${first.funder.id}/report?period=${currentQuarter()}&format=csv`;
    socketPath = await listenOnUnixSocket(t, 'paused-memory');
  }, 120_000);
  afterAll(() => t.close());

  /** A client that reads the first 64 KB of the report (its first batch has been read and written) and then stops reading. */
  function pausedReader(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(socketPath, () => {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${key}\r\n\r\n`);
      });
      let received = 0;
      const onData = (chunk: Buffer) => {
        if (received === 0 && !chunk.toString('latin1').startsWith('HTTP/1.1 200'))
          reject(new Error(chunk.toString('latin1').slice(0, 200)));
        received += chunk.length;
        if (received < 64 * 1024) return;
        socket.off('data', onData);
        socket.pause();
        resolve(socket);
      };
      socket.on('data', onData);
      socket.once('error', reject);
    });
  }

  /** Whether no statement of the service runs: every report has read what it reads before its reader's buffer is full. */
  async function quiet(): Promise<boolean> {
    const [row] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`,
    );
    return row.n === 0;
  }

  it(`grows the process's RSS by at most ${RSS_MB_PER_READER} MB (heap and buffers ${HELD_MB_PER_READER} MB) per paused reader (${READERS} readers of a ${CLUSTERS}-cluster report)`, async () => {
    const limiter = t.app.get(ReportLimiter);
    // Once through every code path first (one reader, paused then gone), so that what is measured is what readers hold.
    const warm = await pausedReader();
    warm.destroy();
    await until(() => limiter.active === 0);

    const before = rssMb();
    const held0 = heldMb();
    // One after the other, each once its report has read what it reads before its reader's buffer is full (no
    // statement running, three times in a row): what is measured is what paused readers hold, not the peaks of
    // ten reports starting at once.
    const readers: Socket[] = [];
    try {
      for (let i = 0; i < READERS; i++) {
        readers.push(await pausedReader());
        let calm = 0;
        const end = Date.now() + 60_000;
        while (calm < 3) {
          if (Date.now() > end) throw new Error('the reports did not settle');
          calm = (await quiet()) ? calm + 1 : 0;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(limiter.active).toBe(READERS);
      const after = rssMb();
      const held = heldMb() - held0;
      const growth = after - before;
      process.stdout.write(
        `paused readers: RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB (${(growth / READERS).toFixed(1)} MB each), ` +
          `heap and buffers +${held.toFixed(0)} MB (${(held / READERS).toFixed(1)} MB each) with ${READERS} paused\n`,
      );
      expect(limiter.active).toBe(READERS);
      expect(held).toBeLessThan(HELD_MB_PER_READER * READERS);
      expect(growth).toBeLessThan(RSS_MB_PER_READER * READERS);
    } finally {
      // Let go of the readers whatever happened, so that a failed run does not wait out the stall timeout.
      for (const s of readers) s.destroy();
    }
    await until(() => limiter.active === 0);
  }, 300_000);
});
