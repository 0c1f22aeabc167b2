import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { lastQuarter, raw } from './support/submissions.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('period narratives', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => t.close());

  const path = (clusterId: string, period = '2026-H1') => `/api/v1/clusters/${clusterId}/narratives/${period}`;

  it('is written whole with PUT, read back, versioned with If-Match, and kept in revisions and as of any moment', async () => {
    const cluster = await createCluster(t, { name: 'Findit narratives' });
    const editor = await t.key('editor', { clusterIds: [cluster.id], name: 'Findit process leader' });
    expectProblem(await t.api().get(path(cluster.id)), 404);

    const created = await t
      .api(editor.secret)
      .put(path(cluster.id))
      .send({ summary: 'Ett halvår av mobilisering.', results: 'Medlemsenkäten:\n31 svar.' });
    expect(created.status).toBe(200);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toEqual({
      id: expect.any(String),
      clusterId: cluster.id,
      period: '2026-H1',
      from: '2026-01-01',
      to: '2026-06-30',
      summary: 'Ett halvår av mobilisering.',
      results: 'Medlemsenkäten:\n31 svar.',
      deviations: null,
      nextSteps: null,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await t.api().get(path(cluster.id))).body).toEqual(created.body);
    await sleep(5);
    const between = new Date().toISOString();
    await sleep(5);

    // A PUT replaces it whole: a field left out is cleared.
    expectProblem(await t.api(editor.secret).put(path(cluster.id)).set('If-Match', '"7"').send({ summary: 'x' }), 412);
    const replaced = await t
      .api(editor.secret)
      .put(path(cluster.id))
      .set('If-Match', '"1"')
      .send({ summary: 'Ett halvår av mobilisering.', deviations: 'Studieresan sköts upp.' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ version: 2, results: null, deviations: 'Studieresan sköts upp.' });
    // The same again changes nothing: no revision, the same version.
    const same = await t
      .api(editor.secret)
      .put(path(cluster.id))
      .send({ summary: 'Ett halvår av mobilisering.', deviations: 'Studieresan sköts upp.' });
    expect([same.status, same.body.version]).toEqual([200, 2]);

    const asOf = await t.api().get(`${path(cluster.id)}?asOf=${encodeURIComponent(between)}`);
    expect(asOf.status).toBe(200);
    expect(asOf.headers.etag).toBe('"1"');
    expect(asOf.body).toMatchObject({ version: 1, results: 'Medlemsenkäten:\n31 svar.', deviations: null });
    expectProblem(await t.api().get(`${path(cluster.id)}?asOf=2020-01-01`), 404);
    expectProblem(await t.api().get(`${path(cluster.id)}?asOf=2999-01-01`), 400, 'asOf');

    const revisions = await t.api().get(`${path(cluster.id)}/revisions`);
    expect(revisions.status).toBe(200);
    expect(revisions.body.total).toBe(2);
    expect(revisions.body.items[0]).toMatchObject({ version: 2, kind: 'updated', author: 'Findit process leader' });
    expect(revisions.body.items[0].changes).toEqual([
      { field: 'results', from: 'Medlemsenkäten:\n31 svar.', to: null },
      { field: 'deviations', from: null, to: 'Studieresan sköts upp.' },
    ]);
    expect(revisions.body.items[1]).toMatchObject({ version: 1, kind: 'created' });

    await t.api(editor.secret).put(path(cluster.id, '2026')).send({ summary: 'Året' }).expect(200);
    await t.api(editor.secret).put(path(cluster.id, '2026-Q3')).send({ nextSteps: 'Hösten' }).expect(200);
    const list = await t.api().get(`/api/v1/clusters/${cluster.id}/narratives`);
    expect(list.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(list.body.items.map((n: { period: string }) => n.period)).toEqual(['2026-Q3', '2026', '2026-H1']);
    const listThen = await t.api().get(`/api/v1/clusters/${cluster.id}/narratives?asOf=${encodeURIComponent(between)}`);
    expect(listThen.body.items.map((n: { period: string; version: number }) => [n.period, n.version])).toEqual([['2026-H1', 1]]);
  });

  it('refuses bad input with 400 naming the field, and keeps other keys out (404) or read-only (403)', async () => {
    const cluster = await createCluster(t);
    const other = await createCluster(t);
    for (const period of ['2026-H3', '26', '2026-q1', 'x'.repeat(11)]) {
      expectProblem(await t.api().put(path(cluster.id, period)).send({ summary: 'x' }), 400, 'period');
      expectProblem(await t.api().get(path(cluster.id, period)), 400, 'period');
    }
    expectProblem(
      await t
        .api()
        .put(path(cluster.id))
        .send({ summary: 'x'.repeat(10_001) }),
      400,
      'summary',
    );
    expectProblem(await t.api().put(path(cluster.id)).send({ results: 12 }), 400, 'results');
    expectProblem(await t.api().put(path(cluster.id)).send({ verdict: 'good' }), 400, 'verdict');
    expect(
      (
        await t
          .api()
          .put(path(cluster.id))
          .send({ summary: 'x'.repeat(10_000) })
      ).status,
    ).toBe(200);
    expect((await t.api().get(`/api/v1/clusters/${cluster.id}/narratives`)).body.total).toBe(1);

    const editorOfOther = await t.key('editor', { clusterIds: [other.id] });
    const viewer = await t.key('viewer');
    expectProblem(await t.api(editorOfOther.secret).get(path(cluster.id)), 404);
    expectProblem(await t.api(editorOfOther.secret).put(path(cluster.id)).send({ summary: 'y' }), 404);
    expectProblem(await t.api(editorOfOther.secret).get(`${path(cluster.id)}/revisions`), 404);
    expect((await t.api(viewer.secret).get(path(cluster.id))).status).toBe(200);
    expectProblem(await t.api(viewer.secret).put(path(cluster.id)).send({ summary: 'y' }), 403);

    expect((await t.api().delete(`/api/v1/clusters/${cluster.id}`)).status).toBe(204);
    expectProblem(await t.api().put(path(cluster.id)).send({ summary: 'y' }), 409);
    expect((await t.api().get(path(cluster.id))).body.summary).toBe('x'.repeat(10_000));
  });

  it('is in the reports of its period as it stood at the moment they are known at: JSON, CSV and XLSX', async () => {
    const quarter = lastQuarter();
    const cluster = await createCluster(t, { name: 'Findit rapport' });
    const report = (query: string) => t.api().get(`/api/v1/clusters/${cluster.id}/report?period=${quarter}${query}`);
    const before = await report('');
    const first = await t.api().put(path(cluster.id, quarter)).send({ summary: 'Första versionen.' });
    await sleep(5);
    const t1 = new Date().toISOString();
    await sleep(5);
    await t
      .api()
      .put(path(cluster.id, quarter))
      .send({ summary: 'Andra versionen.', deviations: 'Studieresan, "uppskjuten"; ny plan.\nSe bilaga.' })
      .expect(200);
    await sleep(5);
    const t2 = new Date().toISOString();

    // As known at the end of the period (the default): written after it, the narrative is not there, and the bytes are as before.
    const atEnd = await report('');
    expect(atEnd.text).toBe(before.text);
    expect(atEnd.body.clusters[0].narrative).toBeUndefined();
    const known1 = await report(`&knownAt=${encodeURIComponent(t1)}`);
    expect(known1.body.knownAt).toBe(t1);
    expect(known1.body.clusters[0].narrative).toEqual({
      id: first.body.id,
      period: quarter,
      version: 1,
      summary: 'Första versionen.',
      results: null,
      deviations: null,
      nextSteps: null,
    });
    const known2 = await report(`&knownAt=${encodeURIComponent(t2)}`);
    expect(known2.body.clusters[0].narrative).toMatchObject({ version: 2, summary: 'Andra versionen.' });
    expect(Object.keys(known2.body.clusters[0]).slice(0, 3)).toEqual(['cluster', 'narrative', 'fundings']);
    // Another period, or days that are not exactly the quarter, have none.
    const other = await t
      .api()
      .get(`/api/v1/clusters/${cluster.id}/report?period=${Number(quarter.slice(0, 4)) - 1}&knownAt=${encodeURIComponent(t2)}`);
    expect(other.body.clusters[0].narrative).toBeUndefined();

    // CSV: a row per part with text, before the items, in the language asked for.
    const csv = await t
      .api()
      .get(`/api/v1/clusters/${cluster.id}/report?period=${quarter}&knownAt=${encodeURIComponent(t2)}&format=csv&lang=sv`)
      .buffer(true)
      .parse(raw);
    const lines = (csv.body as Buffer).toString('utf8').split('\r\n');
    expect(lines[1]).toBe(
      `${quarter},Findit rapport,Gävleborg,lägesrapport,${first.body.id},Sammanfattning,,,,,,,,,,,,,,,,,Andra versionen.`,
    );
    expect(lines[2]).toBe(
      `${quarter},Findit rapport,Gävleborg,lägesrapport,${first.body.id},Avvikelser,,,,,,,,,,,,,,,,,"Studieresan, ""uppskjuten""; ny plan.\nSe bilaga."`,
    );
    const csvAtEnd = await t.api().get(`/api/v1/clusters/${cluster.id}/report?period=${quarter}&format=csv`).buffer(true).parse(raw);
    expect((csvAtEnd.body as Buffer).toString('utf8')).not.toContain('lägesrapport');

    // XLSX: a narrative sheet beside the summary.
    const xlsx = await t
      .api()
      .get(`/api/v1/clusters/${cluster.id}/report?period=${quarter}&knownAt=${encodeURIComponent(t2)}&format=xlsx`)
      .buffer(true)
      .parse(raw);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as ArrayBuffer);
    const sheet = book.getWorksheet('Narrative')!;
    expect(book.worksheets[1]).toBe(sheet);
    // The parts as printed, then the period and region (on screen, off the page).
    expect(sheet.getRow(1).values).toEqual([undefined, 'Cluster', 'Summary', 'Results', 'Deviations', 'Next steps', 'Period', 'Region']);
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      'Findit rapport',
      'Andra versionen.',
      undefined,
      'Studieresan, "uppskjuten"; ny plan.\nSe bilaga.',
      undefined,
      quarter,
      'Gävleborg',
    ]);
  });
});
