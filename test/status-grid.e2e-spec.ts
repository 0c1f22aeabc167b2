import { DOMParser, type Element } from '@xmldom/xmldom';
import { parse } from 'csv-parse/sync';
import type { StatementCountingLogger } from '../src/database/statement-counter.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { HistoryBuilder } from './support/history.js';
import { expectProblem } from './support/problem.js';

/** Parses SVG as strict XML: any error fails the test. */
function parseSvg(text: string) {
  const doc = new DOMParser({
    onError: (level, message) => {
      throw new Error(`SVG is not well-formed XML (${level}): ${message}`);
    },
  }).parseFromString(text, 'image/svg+xml');
  return doc.documentElement!;
}

const elements = (root: Element, tag: string): Element[] => Array.from(root.getElementsByTagName(tag));
const byClass = (root: Element, tag: string, cls: string) => elements(root, tag).filter((e) => e.getAttribute('class') === cls);
const childTitle = (e: Element) => elements(e, 'title')[0]?.textContent ?? null;

/**
 * Stockholm is UTC+1 in winter and UTC+2 in summer: March ends at
 * 2026-03-31T21:59:59.999Z, and 2025-12-31T23:30:00Z is already January.
 */
describe('status grids', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  let funderId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'Hälsinge Ågård & <Co>' });
    funderId = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' })).body.id;
    await t
      .api()
      .post(`/api/v1/funders/${funderId}/fundings`)
      .send({ clusterId: cluster.id, programme: 'Vinnväxt', amount: 1000, startsOn: '2025-01-01', endsOn: '2027-12-31' });
    const h = new HistoryBuilder(t.dataSource, cluster.id);
    ids.g1 = await h.goal({ title: 'Employment +10 %', horizon: 'long_term' }, [
      { at: '2026-01-10T09:00:00Z', status: 'green' },
      { at: '2026-03-31T21:59:59.999Z', status: 'yellow', comment: 'Last instant of March in Stockholm' },
      { at: '2026-03-31T22:00:00Z', status: 'red', comment: 'First instant of April in Stockholm' },
      { at: '2026-05-02T09:00:00Z', status: 'green', comment: 'Recovered' },
    ]);
    ids.g2 = await h.goal({ title: 'New year in Stockholm' }, [
      { at: '2025-12-31T22:30:00Z', status: 'green' },
      { at: '2025-12-31T23:30:00Z', status: 'red', comment: 'Half past midnight on 1 January in Stockholm' },
    ]);
    ids.a1 = await h.item('activity', { title: '=HYPERLINK("http://evil.example")', dueDate: '2026-04-30' }, [
      { at: '2026-02-15T09:00:00Z', status: 'green', state: 'planned' },
      { at: '2026-04-10T09:00:00Z', status: 'green', state: 'done', comment: 'Held' },
    ]);
    ids.f1 = await h.item(
      'low_hanging_fruit',
      { what: 'Fair stand <script>alert(1)</script>', when: '2026-03-01', archivedAt: '2026-03-10T09:00:00Z' },
      [{ at: '2025-11-01T09:00:00Z', status: 'yellow', state: 'planned', comment: 'No budget yet' }],
    );
    ids.late = await h.goal({ title: 'Created after the period' }, [{ at: '2026-08-01T09:00:00Z', status: 'green' }]);
    ids.r1 = await h.risk({ title: 'Key firms leave', likelihood: 3, impact: 5 }, [
      { at: '2026-02-01T09:00:00Z', status: 'yellow', state: 'open', comment: 'Two firms hesitate' },
      { at: '2026-05-05T09:00:00Z', status: 'green', state: 'mitigated', comment: 'Both signed' },
    ]);
  });
  afterAll(() => t.close());

  const grid = (query: string, key?: string) => t.api(key).get(`/api/v1/clusters/${cluster.id}/status-grid?${query}`);

  it('gives the status at the end of each month, as of, with the months of the reporting time zone', async () => {
    const res = await grid('period=2026-H1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: '2025-12-31T23:00:00.000Z',
      to: '2026-06-30T21:59:59.999Z',
      timeZone: 'Europe/Stockholm',
      interval: 'month',
      clusters: [{ id: cluster.id, name: 'Hälsinge Ågård & <Co>' }],
    });
    expect(res.body.columns.map((c: any) => c.label)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    expect(res.body.columns[2]).toEqual({ label: '2026-03', from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T21:59:59.999Z' });
    expect(res.body.columns[3].from).toBe('2026-03-31T22:00:00.000Z');

    const rows = Object.fromEntries(res.body.rows.map((r: any) => [r.subject.id, r]));
    // Grouped by kind, each kind in the order its items began.
    expect(res.body.rows.map((r: any) => r.subject.id)).toEqual([ids.g2, ids.g1, ids.a1, ids.f1, ids.r1]);
    expect(Object.keys(rows)).not.toContain(ids.late);
    const g = (s: string, changes = 0) => ({ status: s, state: null, changes });
    expect(rows[ids.g1]).toEqual({
      clusterId: cluster.id,
      subject: { type: 'goal', id: ids.g1, title: 'Employment +10 %' },
      // Created in January (not a change); yellow in the last instant of March; red from the first of April.
      cells: [g('green'), g('green'), g('yellow', 1), g('red', 1), g('green', 1), g('green')],
    });
    expect(rows[ids.g2].cells.map((c: any) => c.status)).toEqual(['red', 'red', 'red', 'red', 'red', 'red']);
    expect(rows[ids.g2].cells[0].changes).toBe(1);
    // Not yet created in January; done in April.
    expect(rows[ids.a1].cells).toEqual([
      null,
      { status: 'green', state: 'planned', changes: 0 },
      { status: 'green', state: 'planned', changes: 0 },
      { status: 'green', state: 'done', changes: 1 },
      { status: 'green', state: 'done', changes: 0 },
      { status: 'green', state: 'done', changes: 0 },
    ]);
    // Archived on 10 March: shown up to March, empty after.
    expect(rows[ids.f1].cells.map((c: any) => c?.status ?? null)).toEqual(['yellow', 'yellow', 'yellow', null, null, null]);
    // A risk, with its own states.
    expect(rows[ids.r1].subject.type).toBe('risk');
    expect(rows[ids.r1].cells.map((c: any) => c && `${c.status}/${c.state}`)).toEqual([
      null,
      'yellow/open',
      'yellow/open',
      'yellow/open',
      'green/mitigated',
      'green/mitigated',
    ]);
  });

  it('puts an instant in the month it falls in locally, across the new year', async () => {
    const res = await grid('from=2025-12-01&to=2026-01-31');
    const row = res.body.rows.find((r: any) => r.subject.id === ids.g2);
    expect(res.body.columns.map((c: any) => [c.label, c.from, c.to])).toEqual([
      ['2025-12', '2025-11-30T23:00:00.000Z', '2025-12-31T22:59:59.999Z'],
      ['2026-01', '2025-12-31T23:00:00.000Z', '2026-01-31T22:59:59.999Z'],
    ]);
    expect(row.cells).toEqual([
      { status: 'green', state: null, changes: 0 },
      { status: 'red', state: null, changes: 1 },
    ]);
  });

  it('gives quarters, and cuts the first and last interval to the period', async () => {
    const quarters = await grid('period=2026&interval=quarter');
    expect(quarters.body.columns.map((c: any) => c.label)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    const g1 = quarters.body.rows.find((r: any) => r.subject.id === ids.g1);
    expect(g1.cells).toEqual([
      { status: 'yellow', state: null, changes: 1 },
      { status: 'green', state: null, changes: 2 },
      { status: 'green', state: null, changes: 0 },
      { status: 'green', state: null, changes: 0 },
    ]);
    expect(quarters.body.rows.map((r: any) => r.subject.id)).toContain(ids.late);
    const cut = await grid('from=2026-02-15&to=2026-04-10');
    expect(cut.body.columns).toEqual([
      { label: '2026-02', from: '2026-02-14T23:00:00.000Z', to: '2026-02-28T22:59:59.999Z' },
      { label: '2026-03', from: '2026-02-28T23:00:00.000Z', to: '2026-03-31T21:59:59.999Z' },
      { label: '2026-04', from: '2026-03-31T22:00:00.000Z', to: '2026-04-10T21:59:59.999Z' },
    ]);
    const a1 = cut.body.rows.find((r: any) => r.subject.id === ids.a1);
    // Created on 15 February at 10:00 in Stockholm, inside the cut first column; done on 10 April at 11:00.
    expect(a1.cells.map((c: any) => c.state)).toEqual(['planned', 'planned', 'done']);
  });

  it('writes CSV with one row per item and one column per interval, inert to spreadsheets', async () => {
    const res = await grid('period=2026-H1&format=csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="styrman-status-grid-halsinge-agard-co-2026-H1\.csv"$/);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const records: string[][] = parse(res.text.slice(1));
    expect(records[0]).toEqual(['cluster', 'kind', 'id', 'title', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    expect(records).toHaveLength(6);
    const byId = Object.fromEntries(records.slice(1).map((r) => [r[2], r]));
    expect(byId[ids.g1]).toEqual([
      'Hälsinge Ågård & <Co>',
      'goal',
      ids.g1,
      'Employment +10 %',
      'green',
      'green',
      'yellow',
      'red',
      'green',
      'green',
    ]);
    expect(byId[ids.a1][3]).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(byId[ids.a1][4]).toBe('');
    expect(res.text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    const semicolon = await grid('period=2026-H1&format=csv&delimiter=semicolon');
    expect(semicolon.text.split('\r\n')[0]).toBe('\uFEFFcluster;kind;id;title;2026-01;2026-02;2026-03;2026-04;2026-05;2026-06');
    const accepted = await grid('period=2026-H1').set('Accept', 'text/csv');
    expect(accepted.text).toBe(res.text);
  });

  it('draws an SVG heat map: a cell with a title per item and interval, letters as well as colours, a legend, text escaped', async () => {
    const res = await grid('period=2026-H1&format=svg');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const text = res.text ?? res.body.toString('utf8');
    expect(text).not.toContain('<script>');
    const svg = parseSvg(text);
    expect(svg.tagName).toBe('svg');
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(Number(svg.getAttribute('width'))).toBeLessThanOrEqual(800);
    expect(childTitle(svg)).toBe('Traffic lights of Hälsinge Ågård & <Co>, 2026-01 – 2026-06');
    expect(byClass(svg, 'text', 'cluster').map((e) => e.textContent)).toEqual(['Hälsinge Ågård & <Co>']);
    expect(byClass(svg, 'text', 'kind').map((e) => e.textContent)).toEqual(['Goals', 'Activities', 'Low-hanging fruits', 'Risks']);

    const cells = byClass(svg, 'g', 'cell');
    expect(cells).toHaveLength(5 * 6);
    for (const cell of cells) {
      expect(childTitle(cell)).toBeTruthy();
      expect(elements(cell, 'rect')).toHaveLength(1);
    }
    const titles = cells.map(childTitle);
    expect(titles).toContain('Employment +10 % — 2026-03: yellow (at risk), 1 change');
    expect(titles).toContain('Employment +10 % — 2026-04: red (off track), 1 change');
    expect(titles).toContain('=HYPERLINK("http://evil.example") — 2026-01: not in the plan');
    expect(titles).toContain('Fair stand <script>alert(1)</script> — 2026-02: yellow (at risk), planned, 0 changes');
    // Colour and letter agree, so the grid reads without colour.
    const letters = { green: 'G', yellow: 'Y', red: 'R' } as Record<string, string>;
    for (const cell of cells) {
      const status = cell.getAttribute('data-status')!;
      const letter = elements(cell, 'text')[0]?.textContent ?? '';
      expect(letter).toBe(letters[status] ?? '');
    }
    const g1Cells = cells.slice(6, 12).map((c) => c.getAttribute('data-status'));
    expect(g1Cells).toEqual(['green', 'green', 'yellow', 'red', 'green', 'green']);
    const legend = byClass(svg, 'g', 'legend-item');
    expect(legend.map((e) => e.getAttribute('data-status'))).toEqual(['green', 'yellow', 'red', 'none']);
    expect(legend.map((e) => elements(e, 'text').at(-1)!.textContent)).toEqual([
      'green: on track',
      'yellow: at risk',
      'red: off track',
      'not in the plan',
    ]);
    const accepted = await grid('period=2026-H1').set('Accept', 'image/svg+xml');
    expect(accepted.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
  });

  it('speaks Swedish with lang=sv or Accept-Language: sv, in CSV and SVG; English bytes stay as they were', async () => {
    const csv = await grid('period=2026-H1&format=csv&lang=sv');
    expect(csv.status).toBe(200);
    expect(csv.headers.vary).toContain('Accept-Language');
    const records: string[][] = parse(csv.text.slice(1));
    expect(records[0]).toEqual(['kluster', 'typ', 'id', 'titel', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    const byId = Object.fromEntries(records.slice(1).map((r) => [r[2], r]));
    expect(byId[ids.g1]).toEqual([
      'Hälsinge Ågård & <Co>',
      'mål',
      ids.g1,
      'Employment +10 %',
      'grön',
      'grön',
      'gul',
      'röd',
      'grön',
      'grön',
    ]);
    expect(byId[ids.a1][1]).toBe('aktivitet');
    expect((await grid('period=2026-H1&format=csv').set('Accept-Language', 'sv-SE,sv;q=0.9,en;q=0.5')).text).toBe(csv.text);
    // ?lang wins over Accept-Language, and English is what it always was.
    const english = await grid('period=2026-H1&format=csv&lang=en').set('Accept-Language', 'sv');
    expect(english.text).toBe((await grid('period=2026-H1&format=csv')).text);

    const res = await grid('period=2026-H1&format=svg&lang=sv');
    expect(res.status).toBe(200);
    const svg = parseSvg(res.text ?? res.body.toString('utf8'));
    expect(childTitle(svg)).toBe('Trafikljus för Hälsinge Ågård & <Co>, 2026-01 – 2026-06');
    expect(byClass(svg, 'text', 'kind').map((e) => e.textContent)).toEqual(['Mål', 'Aktiviteter', 'Lågt hängande frukter', 'Risker']);
    const titles = byClass(svg, 'g', 'cell').map(childTitle);
    expect(titles).toContain('Employment +10 % — 2026-03: gul (risk för avvikelse), 1 ändring');
    expect(titles).toContain('=HYPERLINK("http://evil.example") — 2026-01: inte i planen');
    expect(titles).toContain('Fair stand <script>alert(1)</script> — 2026-02: gul (risk för avvikelse), planerad, 0 ändringar');
    expect(byClass(svg, 'g', 'legend-item').map((e) => elements(e, 'text').at(-1)!.textContent)).toEqual([
      'grön: enligt plan',
      'gul: risk för avvikelse',
      'röd: avviker från plan',
      'inte i planen',
    ]);
    expectProblem(await grid('period=2026-H1&lang=de'), 400, 'lang');
  });

  it('gives a funder the clusters it funds in the period, and keeps out those it may not read', async () => {
    const other = await createCluster(t, { name: 'Not funded' });
    await new HistoryBuilder(t.dataSource, other.id).goal({ title: 'Elsewhere' }, [{ at: '2026-01-10T09:00:00Z', status: 'green' }]);
    const res = await t.api().get(`/api/v1/funders/${funderId}/status-grid?period=2026-Q1`);
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual([{ id: cluster.id, name: 'Hälsinge Ågård & <Co>' }]);
    expect(new Set(res.body.rows.map((r: any) => r.clusterId))).toEqual(new Set([cluster.id]));
    expect((await t.api().get(`/api/v1/funders/${funderId}/status-grid?period=2030`)).body.rows).toEqual([]);
    const svg = await t.api().get(`/api/v1/funders/${funderId}/status-grid?period=2030&format=svg`);
    expect(elements(parseSvg(svg.text ?? svg.body.toString('utf8')), 'text').some((e) => /No goals/.test(e.textContent ?? ''))).toBe(true);

    const editorOther = (await t.key('editor', { clusterIds: [other.id] })).secret;
    expectProblem(await grid('period=2026', editorOther), 404);
    const funderKey = (await t.key('funder', { funderId })).secret;
    expect((await grid('period=2026', funderKey)).status).toBe(200);
    expectProblem(await t.api(funderKey).get(`/api/v1/clusters/${other.id}/status-grid?period=2026`), 404);
    const rival = (await t.api().post('/api/v1/funders').send({ name: 'Rival fund', kind: 'private' })).body.id;
    expectProblem(await t.api(funderKey).get(`/api/v1/funders/${rival}/status-grid?period=2026`), 404);
  });

  it('refuses malformed periods, intervals and formats, naming them', async () => {
    expectProblem(await grid('period=2026&interval=week'), 400, 'interval');
    expectProblem(await grid('period=2026&format=pdf'), 400, 'format');
    expectProblem(await grid('period=2026&from=2026-01-01'), 400, 'period');
    expectProblem(await grid('from=2026-01-01'), 400, 'to');
    expectProblem(await grid('from=2026-02-01&to=2026-01-01'), 400, 'from');
    expectProblem(await grid('from=1899-12-31&to=2026-01-01'), 400, 'from');
    expectProblem(await grid('from=2000-01-01&to=2026-01-01'), 400, 'to');
    expectProblem(await t.api().get('/api/v1/clusters/nope/status-grid?period=2026'), 400, 'clusterId');
    expectProblem(await t.api().get('/api/v1/clusters/00000000-0000-4000-8000-000000000000/status-grid?period=2026'), 404);
  });

  it('makes the same number of statements for 1 and 24 intervals, and for 2 and 20 clusters', async () => {
    const logger = t.dataSource.logger as StatementCountingLogger;
    const count = async (path: string) => {
      const before = logger.statements;
      const res = await t.api().get(path);
      expect(res.status).toBe(200);
      return { statements: logger.statements - before, columns: res.body.columns.length, clusters: res.body.clusters.length };
    };
    const base = `/api/v1/clusters/${cluster.id}/status-grid`;
    await count(`${base}?period=2026-Q1`);
    const one = await count(`${base}?from=2026-03-01&to=2026-03-31`);
    const many = await count(`${base}?from=2025-01-01&to=2026-12-31`);
    expect([one.columns, many.columns]).toEqual([1, 24]);
    expect(many.statements).toBe(one.statements);
    expect(one.statements).toBe(2);

    const funder = (await t.api().post('/api/v1/funders').send({ name: 'EU regional fund', kind: 'eu_fund' })).body.id;
    const fund = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const c = await createCluster(t);
        await t
          .api()
          .post(`/api/v1/funders/${funder}/fundings`)
          .send({ clusterId: c.id, programme: 'ERUF', amount: 1000, startsOn: '2026-01-01', endsOn: '2026-12-31' });
        const h = new HistoryBuilder(t.dataSource, c.id);
        await h.goal({ title: 'G' }, [
          { at: '2026-01-05T09:00:00Z', status: 'green' },
          { at: '2026-06-05T09:00:00Z', status: 'red', comment: 'R' },
        ]);
        await h.item('activity', { title: 'A', dueDate: '2026-03-01' }, [
          { at: '2026-02-05T09:00:00Z', status: 'green', state: 'planned' },
        ]);
      }
    };
    await fund(2);
    const small = await count(`/api/v1/funders/${funder}/status-grid?period=2026`);
    await fund(18);
    const large = await count(`/api/v1/funders/${funder}/status-grid?period=2026`);
    expect([small.clusters, large.clusters]).toEqual([2, 20]);
    expect(large.statements).toBe(small.statements);
    expect(small.statements).toBe(3);
    process.stdout.write(
      `status grid: ${one.statements} statements for 1 and ${many.statements} for 24 intervals; ${small.statements} for 2 and ${large.statements} for 20 clusters\n`,
    );
  });
});
