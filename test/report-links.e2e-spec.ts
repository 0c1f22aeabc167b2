import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../src/app.factory.js';
import { validateEnvironment } from '../src/config/environment.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { HistoryBuilder } from './support/history.js';
import { expectProblem } from './support/problem.js';

/** The path a link's url opens on the app: its url is PUBLIC_URL (here with a path in front) and that path. */
const pathOf = (url: string) => new URL(url).pathname.replace(/^\/plans/, '');

/** Report links: a report handed to a colleague as a URL that needs no key. */
describe('report links', () => {
  let t: TestApp;
  let second: Awaited<ReturnType<typeof createApp>>;
  let clusterId: string;
  let otherClusterId: string;
  let funderId: string;
  const logged: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'https://styrman.example.org/plans/', TRUST_PROXY: 'true' });
    // The second instance logs everything, into `logged`.
    second = await createApp(
      validateEnvironment({ LOG_LEVEL: 'trace', DATABASE_URL: t.databaseUrl, DEMO_DATA: 'false', ADMIN_API_KEY: t.adminKey }),
      {
        logDestination: new Writable({
          write(chunk: Buffer, _encoding, callback) {
            logged.push(chunk.toString());
            callback();
          },
        }),
      },
    );
    clusterId = (await createCluster(t, { name: 'Link Cluster' })).id;
    otherClusterId = (await createCluster(t, { name: 'Other Cluster' })).id;
    funderId = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency', reportingPeriod: 'quarterly' })).body
      .id;
    const funding = await t
      .api()
      .post(`/api/v1/funders/${funderId}/fundings`)
      .send({ clusterId, programme: 'Vinnväxt', amount: 1000, startsOn: '2026-01-01', endsOn: '2026-12-31' });
    const h = new HistoryBuilder(t.dataSource, clusterId);
    // The cluster, the funder and the funding as they stood during 2026, so that the cluster can submit its 2026-Q3 report.
    await h.backdate('cluster', clusterId, '2020-01-01T00:00:00Z');
    await h.backdate('funder', funderId, '2020-01-01T00:00:00Z');
    await h.backdate('funding', funding.body.id as string, '2020-01-01T00:00:00Z');
    await h.goal({ title: 'Grow', unit: 'firms', baseline: 1, target: 10 }, [
      { at: '2026-07-02T09:00:00Z', status: 'yellow', comment: 'Slow' },
    ]);
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  const make = (path: string, key?: string) => t.api(key).post('/api/v1/reports/links').send({ path });
  const open = (url: string) => request(t.app.getHttpServer()).get(pathOf(url));

  it('builds the url from PUBLIC_URL: no request header chooses the host', async () => {
    const path = `/api/v1/clusters/${clusterId}/report?period=2026-Q3`;
    const forged = await make(path).set('Host', 'evil.example').set('X-Forwarded-Host', 'evil.example').set('X-Forwarded-Proto', 'http');
    expect(forged.status).toBe(201);
    expect(forged.body.url).toMatch(/^https:\/\/styrman\.example\.org\/plans\/api\/v1\/reports\/shared\/srl_[A-Za-z0-9_-]{43}$/);
    // Unset (an instance without PUBLIC_URL): http://localhost:<PORT>, whatever the Host.
    const other = await request(second.getHttpServer())
      .post('/api/v1/reports/links')
      .set('Authorization', `Bearer ${t.adminKey}`)
      .set('Host', 'evil.example')
      .send({ path });
    expect(other.status).toBe(201);
    expect(other.body.url).toMatch(/^http:\/\/localhost:3000\/api\/v1\/reports\/shared\/srl_/);
    // And that instance, with DATABASE_URL and no PUBLIC_URL, said so at start-up.
    const warning = logged.map((l) => JSON.parse(l) as { level: number; msg: string }).find((l) => l.msg.includes('PUBLIC_URL'));
    expect(warning).toMatchObject({ level: 40, msg: expect.stringContaining('http://localhost:3000') });
  });

  it('never writes a link token into a log line: not its path, not a query, not an error', async () => {
    const res = await make(`/api/v1/clusters/${clusterId}/report?period=2026-Q3&format=csv`);
    const token = pathOf(res.body.url).split('/').pop()!;
    const server = second.getHttpServer();
    expect((await request(server).get(pathOf(res.body.url))).status).toBe(200);
    expect((await request(server).get(`${pathOf(res.body.url)}?again=${token}`)).status).toBeLessThan(500);
    expect((await request(server).post(pathOf(res.body.url))).status).toBe(405);
    expect((await request(server).get(`/api/v1/reports/shared/${token.slice(0, -1)}x`)).status).toBe(404);
    expect((await request(server).get(`/api/v1/reports/shared/srl%5F${token.slice(4)}`)).status).toBeLessThan(500);
    expect((await request(server).get(`/api/v1/clusters?q=${token}`).set('Authorization', `Bearer ${t.adminKey}`)).status).toBeLessThan(
      500,
    );
    const text = logged.join('');
    expect(text).toContain('/api/v1/reports/shared/srl_[redacted]');
    expect(text).not.toContain(token.slice(4, 40));
  });

  it('makes a link that opens exactly that report and format without a key, on any instance', async () => {
    const funderKey = await t.key('funder', { funderId });
    const path = `/api/v1/funders/${funderId}/report?period=2026-Q3&format=csv&delimiter=semicolon&lang=sv`;
    const res = await make(path, funderKey.secret);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      url: expect.stringMatching(/\/api\/v1\/reports\/shared\/srl_[A-Za-z0-9_-]{43}$/),
      expiresAt: expect.any(String),
    });
    const days = (Date.parse(res.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);

    const direct = await t.api(funderKey.secret).get(path);
    const shared = await open(res.body.url);
    expect(shared.status).toBe(200);
    expect(shared.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(shared.headers['cache-control']).toBe('private, no-store');
    expect(shared.text).toBe(direct.text);
    expect(shared.text).toContain('Kluster;Region;Typ');
    // The link's own format wins over what the browser asks for.
    expect((await open(res.body.url).set('Accept', 'application/json').set('Accept-Language', 'en')).text).toBe(direct.text);
    // Another instance on the same database knows the link.
    expect((await request(second.getHttpServer()).get(pathOf(res.body.url))).text).toBe(direct.text);

    // Only the token's hash is stored.
    const token = pathOf(res.body.url).split('/').pop()!;
    const [row] = await t.dataSource.query(`SELECT token_hash, path FROM report_link WHERE id = $1`, [res.body.id]);
    expect(Buffer.compare(row.token_hash, createHash('sha256').update(token).digest())).toBe(0);
    expect(row.path).toBe(`/api/v1/funders/${funderId}/report?period=2026-Q3&format=csv&delimiter=semicolon&lang=sv`);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM report_link WHERE path LIKE $1 OR encode(token_hash, 'escape') LIKE $1`,
      [`%${token}%`],
    );
    expect(n).toBe(0);
  });

  it('is read-only: only GET, and a link to JSON or XLSX opens as such', async () => {
    const res = await make(`/api/v1/clusters/${clusterId}/report?period=2026-Q3`);
    const json = await open(res.body.url);
    expect(json.status).toBe(200);
    expect(json.body.clusters[0].cluster.id).toBe(clusterId);
    for (const method of ['post', 'delete'] as const) {
      const refused = await request(t.app.getHttpServer())[method](pathOf(res.body.url));
      expect([refused.status, refused.headers.allow]).toEqual([405, 'GET, HEAD']);
    }
    const xlsx = await make(`/api/v1/clusters/${clusterId}/report?period=2026-Q3&format=xlsx`);
    const book = await open(xlsx.body.url);
    expect(book.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  it('opens a submitted report or a status grid too: one resource, one format, as the key that made it', async () => {
    const submission = await t.api().post(`/api/v1/clusters/${clusterId}/report-submissions`).send({ funderId, period: '2026-Q3' });
    expect([submission.status, submission.body.detail]).toEqual([201, undefined]);
    const funderKey = await t.key('funder', { funderId });
    const raw = (req: request.Test) =>
      req.buffer(true).parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });

    // The submitted report: the stored bytes (JSON) or a form made from them, as GET with the key answers.
    for (const query of ['', '?format=csv&lang=sv', '?format=xlsx&lang=sv']) {
      const path = `/api/v1/report-submissions/${submission.body.id}/report${query}`;
      const link = await make(path, funderKey.secret);
      expect(link.status).toBe(201);
      const direct = await raw(t.api(funderKey.secret).get(path));
      const shared = await raw(open(link.body.url).set('Accept', 'text/csv').set('Accept-Language', 'en'));
      expect(shared.status).toBe(200);
      expect(shared.headers['content-type']).toBe(direct.headers['content-type']);
      expect(shared.headers['content-digest']).toBe(direct.headers['content-digest']);
      expect(shared.headers['cache-control']).toContain('no-store');
      expect(Buffer.compare(shared.body as Buffer, direct.body as Buffer)).toBe(0);
    }

    // A status grid, of a cluster or of a funder, in its one format.
    const grid = `/api/v1/clusters/${clusterId}/status-grid?lang=sv&format=svg&interval=quarter&period=2026`;
    const gridLink = await make(grid);
    expect(gridLink.status).toBe(201);
    expect((await t.api().get(`/api/v1/reports/links/${gridLink.body.id}`)).body.path).toBe(
      `/api/v1/clusters/${clusterId}/status-grid?period=2026&interval=quarter&format=svg&lang=sv`,
    );
    const svg = await open(gridLink.body.url).set('Accept', 'text/csv');
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.body.toString()).toBe((await t.api().get(grid)).body.toString());
    const funderGrid = `/api/v1/funders/${funderId}/status-grid?period=2026-Q3`;
    const json = await open((await make(funderGrid, funderKey.secret)).body.url);
    expect(json.status).toBe(200);
    expect(json.body).toEqual((await t.api(funderKey.secret).get(funderGrid)).body);
    expect(json.body.rows.length).toBeGreaterThan(0);

    // Only for a key that may read it: another funder's key reads neither this submission nor this funder's grid.
    const otherFunder = (await t.api().post('/api/v1/funders').send({ name: 'Tillväxtverket', kind: 'national_agency' })).body.id;
    const stranger = await t.key('funder', { funderId: otherFunder });
    expectProblem(await make(`/api/v1/report-submissions/${submission.body.id}/report`, stranger.secret), 404);
    expectProblem(await make(funderGrid, stranger.secret), 404);
    expectProblem(await make(`/api/v1/clusters/${clusterId}/status-grid?period=2026`, stranger.secret), 404);
  });

  it('is dead when revoked by its creator or an admin, but not by another key', async () => {
    const editor = await t.key('editor', { clusterIds: [clusterId] });
    const other = await t.key('editor', { clusterIds: [clusterId] });
    const res = await make(`/api/v1/clusters/${clusterId}/report?period=2026-Q3&format=csv`, editor.secret);
    expect(res.status).toBe(201);
    expect((await open(res.body.url)).status).toBe(200);
    const info = await t.api(editor.secret).get(`/api/v1/reports/links/${res.body.id}`);
    expect(info.body).toEqual({
      id: res.body.id,
      path: `/api/v1/clusters/${clusterId}/report?period=2026-Q3&format=csv`,
      createdAt: expect.any(String),
      expiresAt: res.body.expiresAt,
      revokedAt: null,
    });
    expect(JSON.stringify(info.body)).not.toContain('srl_');
    expectProblem(await t.api(other.secret).get(`/api/v1/reports/links/${res.body.id}`), 404);
    expectProblem(await t.api(other.secret).delete(`/api/v1/reports/links/${res.body.id}`), 404);
    expect((await open(res.body.url)).status).toBe(200);
    expect((await t.api(editor.secret).delete(`/api/v1/reports/links/${res.body.id}`)).status).toBe(204);
    expectProblem(await open(res.body.url), 404);
    expect((await t.api().get(`/api/v1/reports/links/${res.body.id}`)).body.revokedAt).toEqual(expect.any(String));
    expect((await t.api(editor.secret).delete(`/api/v1/reports/links/${res.body.id}`)).status).toBe(204);

    const byAdmin = await make(`/api/v1/clusters/${clusterId}/report?period=2026-Q3`, editor.secret);
    expect((await t.api().delete(`/api/v1/reports/links/${byAdmin.body.id}`)).status).toBe(204);
    expectProblem(await open(byAdmin.body.url), 404);
  });

  it('re-checks access at every use: the creating key revoked, the link is dead at once', async () => {
    const viewer = await t.key('viewer');
    const res = await make(`/api/v1/clusters/${clusterId}/report?period=2026-Q3`, viewer.secret);
    expect((await open(res.body.url)).status).toBe(200);
    expect((await t.api().delete(`/api/v1/api-keys/${viewer.id}`)).status).toBe(204);
    expectProblem(await open(res.body.url), 404);
    expectProblem(await request(second.getHttpServer()).get(pathOf(res.body.url)), 404);
  });

  it('expires after 7 days', async () => {
    const res = await make(`/api/v1/clusters/${clusterId}/report?period=2026-Q3`);
    await t.dataSource.query(`UPDATE report_link SET expires_at = now() - interval '1 second' WHERE id = $1`, [res.body.id]);
    expectProblem(await open(res.body.url), 404);
  });

  it('only for a key that may read the report', async () => {
    const editor = await t.key('editor', { clusterIds: [clusterId] });
    expectProblem(await make(`/api/v1/clusters/${otherClusterId}/report?period=2026-Q3`, editor.secret), 404);
    const funderKey = await t.key('funder', { funderId });
    expectProblem(await make(`/api/v1/clusters/${otherClusterId}/report?period=2026-Q3`, funderKey.secret), 404);
    expect(
      (
        await t
          .api(null)
          .post('/api/v1/reports/links')
          .send({ path: `/api/v1/clusters/${clusterId}/report?period=2026` })
      ).status,
    ).toBe(401);
    expect((await t.api().get(`/api/v1/reports/shared/srl_${'A'.repeat(43)}`)).status).toBe(404);
    expect((await request(t.app.getHttpServer()).get('/api/v1/reports/shared/nonsense')).status).toBe(404);
  });

  it.each([
    ['another route', `/api/v1/clusters/{c}/activities`],
    ['a report of a cluster id that is no UUID', `/api/v1/clusters/123/report?period=2026`],
    ['an unknown parameter', `/api/v1/clusters/{c}/report?period=2026&asOf=2026-01-01`],
    ['a repeated parameter', `/api/v1/clusters/{c}/report?period=2026&period=2025`],
    ['a bad format', `/api/v1/clusters/{c}/report?period=2026&format=pdf`],
    ['a bad period', `/api/v1/clusters/{c}/report?period=2026-Q5`],
    ['period and from', `/api/v1/clusters/{c}/report?period=2026&from=2026-01-01&to=2026-02-01`],
    ['a full URL', `https://elsewhere.example/api/v1/clusters/{c}/report?period=2026`],
    ['a path that climbs', `/api/v1/clusters/{c}/report/../../api-keys`],
    ['an empty path', ''],
    ['a submitted report with a period', `/api/v1/report-submissions/{c}/report?period=2026`],
    ['a submitted report of an id that is no UUID', `/api/v1/report-submissions/123/report`],
    ['a submission that is not its report', `/api/v1/report-submissions/{c}`],
    ['a status grid with knownAt', `/api/v1/clusters/{c}/status-grid?period=2026&knownAt=2026-12-31`],
    ['a status grid with an unknown interval', `/api/v1/clusters/{c}/status-grid?period=2026&interval=week`],
    ['a status grid as XLSX', `/api/v1/funders/{c}/status-grid?period=2026&format=xlsx`],
    ['a status grid with a bad period', `/api/v1/clusters/{c}/status-grid?period=2026-H3`],
  ])('rejects %s naming path, and stores nothing', async (_, path) => {
    const [{ n: before }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM report_link`);
    expectProblem(await make(path.replace('{c}', clusterId)), 400, 'path');
    const [{ n: after }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM report_link`);
    expect(after).toBe(before);
  });

  it('rejects a body without a path or with another field', async () => {
    expectProblem(await t.api().post('/api/v1/reports/links').send({}), 400, 'path');
    expectProblem(await t.api().post('/api/v1/reports/links').send({ path: 5 }), 400, 'path');
    expectProblem(await t.api().delete('/api/v1/reports/links/not-a-uuid'), 400, 'id');
  });
});
