import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, brotliDecompressSync, gzipSync, gunzipSync } from 'node:zlib';
import type request from 'supertest';
import { createApp } from '../src/app.factory.js';
import type { Caller } from '../src/auth/role.js';
import { validateEnvironment } from '../src/config/environment.js';
import { reportCsv } from '../src/reports/render/report-csv.js';
import { reportJson } from '../src/reports/render/report-json.js';
import { KeptCompression } from '../src/reports/deliver/kept/kept-compression.js';
import type { StatementCountingLogger } from '../src/database/statement-counter.js';
import type { ReportBatch } from '../src/reports/report-document.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { startTestApp, type TestApp } from './support/app.js';
import { daysFromToday } from './support/factories.js';
import { ownStatements } from './support/statements.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps the body as the bytes sent, whatever the content type. */
function raw(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

interface Wire {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes on the wire, not decompressed. */
  body: Buffer;
}

/** A request over a real socket, the body as it came (supertest would decompress it). */
function wire(port: number, method: string, path: string, headers: Record<string, string>): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const sha256 = (body: Buffer) => createHash('sha256').update(body).digest('hex');

/** Statements that read the plan or its history: a kept report makes none. */
const PLAN_TABLES = /\b(goal|activity|low_hanging_fruit|risk|actor|actor_engagement|status_update|measurement)\b/;

/** The statements an instance makes for a request (its own logger counts them). */
const statementsOf = <T>(app: NestFastifyApplication, work: () => Promise<T>) =>
  ownStatements({ dataSource: app.get<DataSource>(getDataSourceToken()) } as TestApp, work);

describe('report delivery', () => {
  let t: TestApp;
  /** A second instance on the same database that never keeps: every pull a fresh build. */
  let fresh: NestFastifyApplication;
  let port: number;
  let clusterIds: string[];
  let funderId: string;
  let fundingIds: string[];
  let goalId: string;
  let activityId: string;
  let query: string;
  let from: string;
  let to: string;
  let funderKey: string;
  let editorKey: string;

  const ok = async (req: request.Test, status = 201): Promise<Record<string, any>> => {
    const res = await req;
    if (res.status !== status) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>;
  };

  /** Another instance of the service on the test's database. */
  const instance = (env: Record<string, string> = {}) =>
    createApp(
      // No webhook worker: its background statements are not the pull's, whose statements are counted here.
      validateEnvironment({
        LOG_LEVEL: 'silent',
        WEBHOOK_WORKER: 'false',
        ...env,
        DATABASE_URL: t.databaseUrl,
        ADMIN_API_KEY: t.adminKey,
        DEMO_DATA: 'false',
      }),
    );

  const pull = async (app: NestFastifyApplication, path: string, key = t.adminKey, headers: Record<string, string> = {}) => {
    const agent = (await import('supertest')).default(app.getHttpServer());
    const req = agent.get(path).set('Authorization', `Bearer ${key}`).buffer(true).parse(raw);
    for (const [name, value] of Object.entries(headers)) void req.set(name, value);
    return req;
  };

  const keptRows = async (): Promise<number> => Number((await t.dataSource.query(`SELECT count(*) AS n FROM kept_report`))[0].n);

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
    fresh = await instance({ REPORT_KEEP: 'false', RATE_LIMIT_PER_MINUTE: '0' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    const api = t.api();
    from = new Date().toISOString();
    await sleep(2);
    const funder = await ok(api.post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' }));
    const other = await ok(api.post('/api/v1/funders').send({ name: 'Region Gävleborg', kind: 'regional_council' }));
    funderId = funder.id;
    clusterIds = [];
    fundingIds = [];
    for (const name of ['Robotdalen', 'Paper Province', 'Smart Textiles', 'Biobased Mälardalen']) {
      const cluster = await ok(api.post('/api/v1/clusters').send({ name, region: 'Gävleborg', phase: 'formation' }));
      clusterIds.push(cluster.id);
      const funding = await ok(
        api.post(`/api/v1/funders/${funderId}/fundings`).send({
          clusterId: cluster.id,
          programme: 'Vinnväxt',
          amount: '1500000.50',
          startsOn: daysFromToday(-200),
          endsOn: daysFromToday(200),
        }),
      );
      fundingIds.push(funding.id);
      await ok(
        api.post(`/api/v1/funders/${other.id}/fundings`).send({
          clusterId: cluster.id,
          programme: 'Regional growth',
          amount: 100,
          startsOn: daysFromToday(-200),
          endsOn: daysFromToday(200),
        }),
      );
      const goal = await ok(
        api.post(`/api/v1/clusters/${cluster.id}/goals`).send({
          title: `Employment in ${name}`,
          horizon: 'long_term',
          indicator: { unit: 'firms', baseline: 10, target: 50 },
        }),
      );
      goalId ??= goal.id;
      await ok(api.post(`/api/v1/goals/${goal.id}/measurements`).send({ value: 20, measuredOn: daysFromToday(-1) }));
      for (let i = 0; i < 6; i++) {
        const activity = await ok(
          api.post(`/api/v1/clusters/${cluster.id}/activities`).send({
            title: `Activity ${i} with a long enough title to make the report more than a kilobyte`,
            dueDate: daysFromToday(i - 3),
          }),
        );
        activityId ??= activity.id;
        await ok(
          api.post(`/api/v1/activities/${activity.id}/status-updates`).send({ status: 'red', state: 'ongoing', comment: `Blocked ${i}` }),
        );
      }
      await ok(api.post(`/api/v1/clusters/${cluster.id}/low-hanging-fruits`).send({ what: 'Joint fair stand', when: daysFromToday(3) }));
      await ok(api.post(`/api/v1/clusters/${cluster.id}/risks`).send({ title: 'Key staff leave', likelihood: 3, impact: 4 }));
      await ok(api.post(`/api/v1/clusters/${cluster.id}/actors`).send({ name: 'Sandvik', kind: 'company', core: 'inner' }));
    }
    funderKey = (await t.key('funder', { funderId })).secret;
    editorKey = (await t.key('editor', { clusterIds: [clusterIds[1]] })).secret;
    await sleep(2);
    to = new Date().toISOString();
    await sleep(3);
    query = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  });

  afterAll(async () => {
    await fresh.close();
    await t.close();
  });

  const funderReport = (extra = '') => `/api/v1/funders/${funderId}/report?${query}${extra}`;
  const clusterReport = (extra = '') => `/api/v1/clusters/${clusterIds[0]}/report?${query}${extra}`;
  const FORMATS = ['', '&format=csv', '&format=csv&lang=sv&delimiter=semicolon', '&format=xlsx'];

  /** The report built in this process from the whole document, bypassing the store and the batches. */
  const built = async (caller: Caller, subject: 'cluster' | 'funder', id: string, format: 'json' | 'csv'): Promise<Buffer> => {
    const reports = t.app.get(ReportsService);
    const period = reports.period({ from, to });
    const report = await reports.resolve(caller, { subject, id }, period);
    const document = await reports.document(report, { sheet: format === 'csv' });
    const parts = format === 'json' ? reportJson(document) : reportCsv(document, { lang: 'en', period: period.label });
    return Buffer.concat([...parts].map((p) => Buffer.from(p)));
  };
  const admin: Caller = { keyId: 'test', name: 'test', role: 'admin', clusterIds: [], funderId: null };

  it('keeps a complete report on its first pull and serves the same bytes as a fresh build after any later writes', async () => {
    const paths = FORMATS.flatMap((f) => [funderReport(f), clusterReport(f)]);
    const first: request.Response[] = [];
    for (const path of paths) first.push(await pull(t.app, path));
    for (const res of first) {
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe(`"${sha256(res.body as Buffer)}"`);
      expect(res.headers['cache-control']).toBe('private, max-age=300');
    }
    expect(await keptRows()).toBe(paths.length);

    // Every kind of write after the period: replans, status updates, a measurement of a day in the period
    // recorded now, archiving, funding changes, a new funding, renaming the cluster and the funder.
    const api = t.api();
    await ok(
      api.patch(`/api/v1/goals/${goalId}`).send({ title: 'Renamed later', indicator: { unit: 'jobs', baseline: 1, target: 2 } }),
      200,
    );
    await ok(api.post(`/api/v1/goals/${goalId}/status-updates`).send({ status: 'red', comment: 'Later news' }));
    await ok(api.post(`/api/v1/goals/${goalId}/measurements`).send({ value: 99, measuredOn: daysFromToday(-1) }));
    await ok(api.post(`/api/v1/activities/${activityId}/status-updates`).send({ status: 'green', state: 'done' }));
    await ok(api.patch(`/api/v1/activities/${activityId}`).send({ title: 'Renamed activity', dueDate: daysFromToday(40) }), 200);
    await ok(api.delete(`/api/v1/activities/${activityId}`), 204);
    await ok(api.patch(`/api/v1/fundings/${fundingIds[0]}`).send({ amount: 1, programme: 'Changed' }), 200);
    await ok(api.delete(`/api/v1/fundings/${fundingIds[2]}`), 204);
    await ok(api.patch(`/api/v1/clusters/${clusterIds[0]}`).send({ name: 'Robotdalen AB', region: 'Västmanland' }), 200);
    await ok(api.patch(`/api/v1/funders/${funderId}`).send({ name: 'Vinnova (renamed)' }), 200);
    await ok(api.post(`/api/v1/clusters/${clusterIds[0]}/goals`).send({ title: 'Goal made later', horizon: 'short_term' }));

    for (const [i, path] of paths.entries()) {
      const kept = await pull(t.app, path);
      const rebuilt = await pull(fresh, path);
      expect(rebuilt.status).toBe(200);
      expect(kept.headers.etag).toBe(first[i].headers.etag);
      expect((kept.body as Buffer).equals(first[i].body as Buffer)).toBe(true);
      // The kept bytes against a fresh build: as-of reads make them equal, whatever was written since.
      expect((rebuilt.body as Buffer).toString('latin1')).toBe((kept.body as Buffer).toString('latin1'));
      expect(rebuilt.headers.etag).toBe(kept.headers.etag);
    }
    // And against the whole document built in this process, without the store, the batches or HTTP.
    expect((await pull(t.app, funderReport())).body).toEqual(await built(admin, 'funder', funderId, 'json'));
    expect((await pull(t.app, clusterReport('&format=csv'))).body).toEqual(await built(admin, 'cluster', clusterIds[0], 'csv'));
    expect(await keptRows()).toBe(paths.length);
  });

  it('serves a kept report with a fixed handful of statements that read no plan table, and no building slot', async () => {
    await pull(t.app, funderReport());
    const { result, statements } = await ownStatements(t, () => pull(t.app, funderReport()));
    expect(result.status).toBe(200);
    // The funder (may the caller read it?), its clusters as of the period among those the caller may read, the kept row.
    expect(statements).toHaveLength(3);
    expect(statements[0]).toMatch(/FROM funder/);
    expect(statements[1]).toMatch(/FROM cluster/);
    expect(statements[2]).toMatch(/FROM kept_report/);
    expect(statements.filter((sql) => PLAN_TABLES.test(sql))).toEqual([]);
    expect(statements.join('\n')).not.toMatch(/START TRANSACTION/);
    // A first pull of the same report builds it: the sections in a transaction, then the kept row.
    const { statements: building } = await statementsOf(t.app, () => pull(t.app, funderReport('&format=csv&lang=sv')));
    expect(building.filter((sql) => PLAN_TABLES.test(sql)).length).toBeGreaterThanOrEqual(8);
    expect(building.at(-1)).toMatch(/INSERT INTO kept_report/);
  });

  it('holds the bytes of recent pulls in memory, but serves them only while PostgreSQL keeps the same row', async () => {
    const path = funderReport('&format=csv&delimiter=semicolon');
    const kept = await pull(t.app, path);
    expect(kept.status).toBe(200);
    // Its brotli bytes made (which lets go of what was held of its gzip bytes kept before).
    await t.app.get(KeptCompression).settled();
    // The first pull from the kept row reads its bytes and holds them; the next reads the row's ETag, not its bytes.
    expect((await pull(t.app, path)).body).toEqual(kept.body);
    const { result: again, statements } = await ownStatements(t, () => pull(t.app, path));
    expect(again.body).toEqual(kept.body);
    expect(statements).toHaveLength(3);
    expect(statements[2]).toMatch(/^SELECT etag, br IS NOT NULL AS br FROM kept_report/);
    // Pulled by several at once: none reads the bytes again.
    const together = await ownStatements(t, () => Promise.all([1, 2, 3, 4].map(() => pull(t.app, path))));
    expect(together.result.map((res) => res.body)).toEqual([kept.body, kept.body, kept.body, kept.body]);
    expect(together.statements.filter((sql) => /FROM kept_report/.test(sql))).toEqual(Array(4).fill(statements[2]));
    // The row kept anew with other bytes (as after repairing the history by hand and deleting the kept rows, when
    // another instance kept the report first): the next pull serves the row, not the bytes held.
    const [row] = await t.dataSource.query(`SELECT key FROM kept_report WHERE etag = $1`, [kept.headers.etag.replaceAll('"', '')]);
    expect(row).toBeDefined();
    const replaced = Buffer.from('Period;Cluster\r\n2026-Q2;Repaired\r\n');
    await t.dataSource.query(`DELETE FROM kept_report WHERE key = $1`, [row.key]);
    await t.dataSource.query(`INSERT INTO kept_report (key, etag, size, gzip, br) VALUES ($1, $2, $3, $4, $5)`, [
      row.key,
      sha256(replaced),
      replaced.length,
      gzipSync(replaced),
      brotliCompressSync(replaced),
    ]);
    const repaired = await pull(t.app, path);
    expect(repaired.body).toEqual(replaced);
    expect(repaired.headers.etag).toBe(`"${sha256(replaced)}"`);
    // The row deleted: built again, never served from memory.
    await t.dataSource.query(`DELETE FROM kept_report WHERE key = $1`, [row.key]);
    const rebuilt = await pull(t.app, path);
    expect(rebuilt.body).toEqual(kept.body);
    expect(Number((await t.dataSource.query(`SELECT count(*) AS n FROM kept_report WHERE key = $1`, [row.key]))[0].n)).toBe(1);
  });

  it('serves the gzip bytes it holds while the kept row has no brotli bytes yet, and reads the brotli bytes once it has', async () => {
    const path = clusterReport('&format=csv');
    const compression = t.app.get(KeptCompression);
    const kept = await pull(t.app, path);
    await compression.settled();
    const [row] = await t.dataSource.query(`SELECT key FROM kept_report WHERE etag = $1`, [kept.headers.etag.replaceAll('"', '')]);
    // As kept by an instance that stopped before making its brotli bytes; this instance's own step held back meanwhile.
    await t.dataSource.query(`UPDATE kept_report SET br = NULL WHERE key = $1`, [row.key]);
    const inBrotli = { Authorization: `Bearer ${t.adminKey}`, 'Accept-Encoding': 'br, gzip' };
    const asked = jest.spyOn(compression, 'request').mockImplementation(() => undefined);
    try {
      const first = await wire(port, 'GET', path, inBrotli);
      expect(first.headers['content-encoding']).toBe('gzip');
      // Pulled again in brotli: the gzip bytes held are served after a look at the row; its bytes are not read again.
      const { result: again, statements } = await ownStatements(t, () => wire(port, 'GET', path, inBrotli));
      expect(again.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(again.body)).toEqual(kept.body);
      expect(statements.filter((sql) => /FROM kept_report/.test(sql))).toEqual([
        expect.stringMatching(/^SELECT etag, br IS NOT NULL AS br FROM kept_report/),
      ]);
      expect(asked).toHaveBeenCalled();
    } finally {
      asked.mockRestore();
    }
    // Its brotli bytes made (here as by another instance): the next pull reads them.
    await t.dataSource.query(`UPDATE kept_report SET br = $2 WHERE key = $1`, [row.key, brotliCompressSync(kept.body as Buffer)]);
    const { result: made, statements } = await ownStatements(t, () => wire(port, 'GET', path, inBrotli));
    expect(made.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(made.body)).toEqual(kept.body);
    expect(statements.filter((sql) => /FROM kept_report/.test(sql))).toHaveLength(2);
  });

  it('builds a report once when several pull it first at the same time', async () => {
    const path = `/api/v1/clusters/${clusterIds[3]}/report?${query}&format=csv&lang=sv`;
    const { result, statements } = await statementsOf(t.app, () => Promise.all([pull(t.app, path), pull(t.app, path), pull(t.app, path)]));
    expect(result.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(result[1].body).toEqual(result[0].body);
    expect(result[2].body).toEqual(result[0].body);
    expect(statements.filter((sql) => /START TRANSACTION/.test(sql))).toHaveLength(1);
    expect(statements.filter((sql) => /INSERT INTO kept_report/.test(sql))).toHaveLength(1);
  });

  it('is shared by two instances on one database and kept over a restart', async () => {
    const path = clusterReport('&format=csv&lang=sv');
    const second = await instance({ RATE_LIMIT_PER_MINUTE: '0' });
    try {
      const before = await keptRows();
      const a = await pull(t.app, path);
      expect(await keptRows()).toBe(before + 1);
      const { result: b, statements } = await statementsOf(second, () => pull(second, path));
      expect(statements).toHaveLength(2);
      expect(statements.filter((sql) => PLAN_TABLES.test(sql))).toEqual([]);
      expect(b.status).toBe(200);
      expect((b.body as Buffer).equals(a.body as Buffer)).toBe(true);
      expect(b.headers.etag).toBe(a.headers.etag);
      expect(await keptRows()).toBe(before + 1);
    } finally {
      await second.close();
    }
    // A restart: a new instance, nothing in its memory; the report is read from PostgreSQL, not built.
    const restarted = await instance({ RATE_LIMIT_PER_MINUTE: '0', REPORT_CONCURRENCY: '1', REPORT_QUEUE_TIMEOUT_MS: '0' });
    try {
      const { result: res, statements } = await statementsOf(restarted, () => pull(restarted, path));
      expect(res.status).toBe(200);
      expect(statements.filter((sql) => PLAN_TABLES.test(sql))).toEqual([]);
      // Read once from the kept copy (a just-started instance may run start-up work of its own meanwhile).
      expect(statements.filter((sql) => /FROM kept_report/.test(sql))).toHaveLength(1);
      expect(res.headers.etag).toBe(`"${sha256(res.body as Buffer)}"`);
    } finally {
      await restarted.close();
    }
  });

  it('answers If-None-Match with 304, on a kept report and on its first pull', async () => {
    const kept = await pull(t.app, funderReport());
    const notModified = await pull(t.app, funderReport(), t.adminKey, { 'If-None-Match': kept.headers.etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.etag).toBe(kept.headers.etag);
    expect(notModified.headers['cache-control']).toBe('private, max-age=300');
    expect((notModified.body as Buffer).length).toBe(0);
    expect((await pull(t.app, funderReport(), t.adminKey, { 'If-None-Match': '"0000"' })).status).toBe(200);
    // First pull of a report not kept yet: built, kept, then compared.
    const firstPull = await pull(fresh, funderReport('&format=csv&delimiter=semicolon'), t.adminKey, {
      'If-None-Match': kept.headers.etag,
    });
    expect(firstPull.status).toBe(200);
    const again = await pull(fresh, funderReport('&format=csv&delimiter=semicolon'), t.adminKey, {
      'If-None-Match': firstPull.headers.etag,
    });
    expect(again.status).toBe(304);
  });

  it('sends gzip and br that decompress to the identity body: kept bytes as they are kept, open reports compressed as streamed', async () => {
    const year = new Date().getUTCFullYear();
    const auth = { Authorization: `Bearer ${t.adminKey}` };
    const cases = [
      funderReport(),
      funderReport('&format=csv'),
      clusterReport('&format=csv&lang=sv&delimiter=semicolon'),
      `/api/v1/funders/${funderId}/report?period=${year}`,
      `/api/v1/funders/${funderId}/report?period=${year}&format=csv`,
      `/api/v1/clusters/${clusterIds[0]}/status-grid?format=svg&period=${year}`,
    ];
    for (const path of cases) {
      const identity = await wire(port, 'GET', path, auth);
      expect(identity.status).toBe(200);
      expect(identity.headers['content-encoding']).toBeUndefined();
      expect(identity.body.length).toBeGreaterThan(1024);
      for (const [encoding, decompress] of [
        ['gzip', gunzipSync],
        ['br', brotliDecompressSync],
      ] as const) {
        const compressed = await wire(port, 'GET', path, { ...auth, 'Accept-Encoding': `${encoding}, identity;q=0.5` });
        expect(compressed.status).toBe(200);
        expect(compressed.headers['content-encoding']).toBe(encoding);
        expect(compressed.headers.vary).toMatch(/Accept-Encoding/i);
        expect(compressed.body.length).toBeLessThan(identity.body.length);
        // Decompressed once gives the body: never compressed twice.
        expect(decompress(compressed.body).equals(identity.body)).toBe(true);
        expect(compressed.headers.etag).toBe(identity.headers.etag);
      }
    }
    // A kept report goes out as the bytes kept, not compressed again: once its brotli bytes are made, off the request
    // path (kept in gzip by its first pull, which asked for them).
    const path = funderReport();
    await t.app.get(KeptCompression).settled();
    const etag = String((await wire(port, 'GET', path, auth)).headers.etag).slice(1, -1);
    const withBrotli = async () =>
      (await t.dataSource.query(`SELECT bool_and(br IS NOT NULL) AS done FROM kept_report WHERE etag = $1`, [etag]))[0].done === true;
    for (const end = Date.now() + 10_000; !(await withBrotli()) && Date.now() < end;) await sleep(20);
    const br = await wire(port, 'GET', path, { ...auth, 'Accept-Encoding': 'br' });
    const [row] = await t.dataSource.query(`SELECT br, gzip, etag FROM kept_report WHERE etag = $1`, [
      String(br.headers.etag).slice(1, -1),
    ]);
    expect(br.body.equals(row.br)).toBe(true);
    expect(Number(br.headers['content-length'])).toBe(row.br.length);
    const gzip = await wire(port, 'GET', path, { ...auth, 'Accept-Encoding': 'gzip' });
    expect(gzip.body.equals(row.gzip)).toBe(true);
    // An encoding not offered (deflate): the body as it is.
    const deflate = await wire(port, 'GET', path, { ...auth, 'Accept-Encoding': 'deflate' });
    expect(deflate.headers['content-encoding']).toBeUndefined();
    expect(sha256(deflate.body)).toBe(row.etag);
  });

  it("never hands one caller's kept bytes to a caller who may read other clusters or other fundings", async () => {
    const all = await pull(t.app, funderReport());
    const allBody = JSON.parse((all.body as Buffer).toString());
    expect(allBody.clusters).toHaveLength(4); // one funding archived after the period: still in the report
    // The editor of one cluster reads the funder's report: only that cluster.
    const editor = await pull(t.app, funderReport(), editorKey);
    expect(editor.status).toBe(200);
    const editorBody = JSON.parse((editor.body as Buffer).toString());
    expect(editorBody.clusters.map((s: any) => s.cluster.id)).toEqual([clusterIds[1]]);
    expect(editor.headers.etag).not.toBe(all.headers.etag);
    expect((await pull(t.app, funderReport(), editorKey)).body).toEqual(editor.body);
    // The funder key reads a cluster report: only its own fundings, where the admin sees both funders'.
    const adminCluster = JSON.parse((await pull(t.app, clusterReport())).body.toString());
    const funderCluster = await pull(t.app, clusterReport(), funderKey);
    const funderClusterBody = JSON.parse((funderCluster.body as Buffer).toString());
    expect(adminCluster.clusters[0].fundings).toHaveLength(2);
    expect(funderClusterBody.clusters[0].fundings.map((f: any) => f.funderId)).toEqual([funderId]);
    expect(await built({ ...admin, role: 'funder', funderId }, 'cluster', clusterIds[0], 'json')).toEqual(funderCluster.body);
  });

  it('never keeps a report whose period is still running', async () => {
    const before = await keptRows();
    const year = new Date().getUTCFullYear();
    for (const format of ['', '&format=csv', '&format=xlsx']) {
      const res = await pull(t.app, `/api/v1/funders/${funderId}/report?period=${year}${format}`);
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBeUndefined();
      expect(res.headers['cache-control'] ?? '').not.toMatch(/max-age=[1-9]/);
    }
    expect(await keptRows()).toBe(before);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const auth = { Authorization: `Bearer ${t.adminKey}` };
    const get = await wire(port, 'GET', funderReport(), auth);
    const head = await wire(port, 'HEAD', funderReport(), auth);
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    const headBr = await wire(port, 'HEAD', funderReport(), { ...auth, 'Accept-Encoding': 'br' });
    expect(headBr.headers['content-encoding']).toBe('br');
    const year = new Date().getUTCFullYear();
    const open = await wire(port, 'HEAD', `/api/v1/funders/${funderId}/report?period=${year}&format=csv`, auth);
    expect(open.status).toBe(200);
    expect(open.body.length).toBe(0);
    expect(open.headers['content-type']).toMatch(/^text\/csv/);
  });

  it('reads the next batch while one is written when it builds a report to keep, and only when asked when it streams', async () => {
    const reports = t.app.get(ReportsService);
    const report = await reports.resolve(admin, { subject: 'funder', id: funderId }, reports.period({ from, to }));
    const logger = t.dataSource.logger as StatementCountingLogger;
    // Reads of batches: not a second connection's transaction taking the snapshot (begin, isolation, snapshot, work_mem)
    // nor the programme indicators it adds up before its first batch.
    const own = (sql: string) =>
      !/\bkept_report\b/.test(sql) &&
      !/FROM "api_key"/.test(sql) &&
      !/^(START TRANSACTION|SET TRANSACTION|SET LOCAL work_mem)/.test(sql) &&
      !/^\s*WITH counted AS/.test(sql);
    for (const readAhead of [false, true]) {
      const batches = (reports.source(report, { readAhead }).batches as AsyncIterable<ReportBatch>)[Symbol.asyncIterator]();
      const first = await batches.next();
      expect(first.value?.sections.length).toBeGreaterThan(0);
      // The first batch taken and not yet the next: is the next one being read meanwhile?
      const meanwhile = logger.record();
      await sleep(500);
      const sent = meanwhile.stop().filter(own);
      if (readAhead) expect(sent.length).toBeGreaterThanOrEqual(1);
      else expect(sent).toEqual([]);
      const rest: unknown[] = [];
      for (let next = await batches.next(); !next.done; next = await batches.next()) rest.push(next.value);
      expect(rest.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('streams a report built in batches of one cluster exactly as the whole document, with one set of statements per batch', async () => {
    // Every pull built: nothing kept, neither the ended periods nor the running one (REPORT_OPEN_KEEP_SECONDS=0).
    const batched = await instance({
      REPORT_KEEP: 'false',
      REPORT_OPEN_KEEP_SECONDS: '0',
      REPORT_BATCH_CLUSTERS: '1',
      RATE_LIMIT_PER_MINUTE: '0',
    });
    const streaming = await instance({ REPORT_OPEN_KEEP_SECONDS: '0', RATE_LIMIT_PER_MINUTE: '0' });
    try {
      const year = new Date().getUTCFullYear();
      const reports = t.app.get(ReportsService);
      for (const [path, format] of [
        [funderReport(), 'json'],
        [funderReport('&format=csv'), 'csv'],
      ] as const) {
        const res = await pull(batched, path);
        expect(res.status).toBe(200);
        expect((res.body as Buffer).toString()).toBe((await built(admin, 'funder', funderId, format)).toString());
        expect((await pull(t.app, path)).body).toEqual(res.body);
      }
      // An open period, streamed: the same as the whole document of it.
      const period = reports.period({ period: String(year) });
      const document = await reports.document(await reports.resolve(admin, { subject: 'funder', id: funderId }, period));
      const whole = Buffer.concat([...reportJson(document)].map((p) => Buffer.from(p)));
      const streamed = await pull(batched, `/api/v1/funders/${funderId}/report?period=${year}`);
      // Three clusters: the funding archived since is not in a report that ends in the future.
      expect(JSON.parse((streamed.body as Buffer).toString()).clusters).toHaveLength(3);
      expect((streamed.body as Buffer).toString()).toBe(whole.toString());
      // The funder, its clusters, then in one transaction (begin, isolation, work_mem, commit) nine statements per batch
      // and, once, the programme indicators added up.
      const open = `/api/v1/funders/${funderId}/report?period=${year}`;
      expect((await statementsOf(batched, () => pull(batched, open))).statements).toHaveLength(6 + 9 * 3 + 1);
      // With the defaults, batches are sized by bytes (REPORT_BATCH_KB): the first one cluster, then the other two at once; and, once, the programme indicators added up.
      expect((await statementsOf(streaming, () => pull(streaming, open))).statements).toHaveLength(6 + 9 * 2 + 1);
    } finally {
      await batched.close();
      await streaming.close();
    }
  });
});
