import { Agent, get, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { ReportLimiter } from '../src/reports/deliver/report-limiter.js';
import { startTestApp, type TestApp } from './support/app.js';
import { HistoryBuilder } from './support/history.js';
import { currentQuarter, fundedCluster } from './support/submissions.js';
import { listenOnUnixSocket } from './support/unix-socket.js';

const CLUSTERS = 20;
const GOALS_PER_CLUSTER = 500;
const READERS = 6;

/** Polls `check` every 20 ms until it holds, for at most `ms`. */
async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A GET over the Unix socket, answered once its head has arrived (its body not read yet). */
function getOver(agent: Agent, socketPath: string, path: string, key: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get({ agent, socketPath, path, headers: { authorization: `Bearer ${key}` } }, resolve).once('error', reject);
  });
}

/** Every byte of a response's body. */
async function bodyLength(response: IncomingMessage): Promise<number> {
  let length = 0;
  for await (const chunk of response) length += (chunk as Buffer).length;
  return length;
}

/**
 * Fair use of streamed reports: a reader that stops reading holds at most
 * REPORT_STREAM_BUFFER_KB of the report, keeps its building slot while it
 * pauses, and is disconnected after REPORT_STALL_TIMEOUT_MS.
 * The clients reach the application over a Unix socket (`listenOnUnixSocket` says why).
 */
describe('streamed reports and paused readers', () => {
  let t: TestApp;
  let socketPath: string;
  let path: string;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_PER_MINUTE: '0',
      REPORT_CONCURRENCY: String(READERS),
      // Each paused reader holds a connection to its last byte: room for the rest (keys, the queued report) beside them.
      DB_POOL_SIZE: String(2 * READERS + 5),
      REPORT_QUEUE_TIMEOUT_MS: '60000',
      REPORT_STREAM_BUFFER_KB: '256',
      REPORT_BATCH_CLUSTERS: '1',
      REPORT_STALL_TIMEOUT_MS: '2000',
      // The streamed path (a running period's report built for each pull, as with nothing kept): what is measured here.
      REPORT_OPEN_KEEP_SECONDS: '0',
    });
    // A funder with many clusters, each with many goals whose latest comments are long: a report of several MB.
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
    socketPath = await listenOnUnixSocket(t, 'stream-budget');
  }, 120_000);
  /** Every client socket the test opened: closed before the application, whatever the test's end. */
  const sockets: Socket[] = [];
  const agent = new Agent();
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    agent.destroy();
    await t.close();
  });

  /** A client that reads the first bytes of the report and then stops reading. */
  function pausedReader(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(socketPath, () => {
        sockets.push(socket);
        socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${key}\r\n\r\n`);
      });
      socket.once('data', (chunk: Buffer) => {
        socket.pause();
        if (!chunk.toString('latin1').startsWith('HTTP/1.1 200')) reject(new Error(chunk.toString('latin1').slice(-600)));
        else resolve(socket);
      });
      socket.once('error', reject);
    });
  }

  it('keeps the slot of a reader that pauses, and disconnects it after REPORT_STALL_TIMEOUT_MS, which frees the slot', async () => {
    const limiter = t.app.get(ReportLimiter);
    const whole = await getOver(agent, socketPath, path, key);
    expect(whole.statusCode).toBe(200);
    const size = await bodyLength(whole);
    expect(size).toBeGreaterThan(15_000_000);
    await until(() => limiter.active === 0);

    const readers = await Promise.all(Array.from({ length: READERS }, () => pausedReader()));
    const closed = readers.map((s) => new Promise<void>((r) => s.once('close', () => r())));
    // Each paused reader keeps its report's slot while the report is not written to its end.
    await new Promise((r) => setTimeout(r, 1000));
    expect(limiter.active).toBe(READERS);
    const queued = getOver(agent, socketPath, path, key);
    await until(() => limiter.waiting === 1);

    // Nothing read for REPORT_STALL_TIMEOUT_MS: disconnected, slots freed (one taken at once by the report that waited).
    await until(() => limiter.waiting === 0 && limiter.active <= 1);
    for (const s of readers) s.resume().on('error', () => undefined); // reading again, they find the connection closed
    await Promise.all(closed);
    // The report that waited for a slot gets one and is written whole.
    const again = await queued;
    expect(again.statusCode).toBe(200);
    expect(await bodyLength(again)).toBe(size);
    await until(() => limiter.active === 0);
  });
});
