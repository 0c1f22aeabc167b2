import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { HistoryBuilder } from './support/history.js';

/** The report as a spreadsheet reads it: CSV columns, human headers and values in English or Swedish, decimal commas. */
describe('report CSV for spreadsheets', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'Sheet Cluster', region: 'Västerbotten', phase: 'formation' });
    const h = new HistoryBuilder(t.dataSource, cluster.id);
    ids.goal = await h.goal(
      { title: 'Employees in member firms', horizon: 'long_term', unit: 'employees', baseline: 1000.5, target: 1500 },
      [
        { at: '2026-01-10T09:00:00Z', status: 'green', comment: 'Started' },
        { at: '2026-08-10T09:00:00Z', status: 'yellow', comment: 'Hiring slows down' },
        { at: '2026-10-05T09:00:00Z', status: 'red', comment: 'After the period' },
      ],
    );
    await h.measurement(ids.goal, 1230.6, '2026-09-01', '2026-09-02T09:00:00Z');
    ids.activity = await h.item('activity', { title: '=HYPERLINK("http://x")', dueDate: '2026-09-10' }, [
      { at: '2026-07-15T09:00:00Z', status: 'green', state: 'planned', comment: 'Created in the period' },
      { at: '2026-08-01T09:00:00Z', status: 'yellow', state: 'ongoing', comment: '-Speaker cancelled' },
      { at: '2026-08-20T09:00:00Z', status: 'red', state: 'ongoing' },
    ]);
    ids.risk = await h.risk({ title: 'Key firm leaves', likelihood: 4, impact: 5 }, [
      { at: '2026-02-01T09:00:00Z', status: 'yellow', state: 'open' },
      { at: '2026-08-05T09:00:00Z', status: 'red', state: 'occurred', comment: 'It left' },
    ]);
    ids.fruit = await h.item('low_hanging_fruit', { what: 'Joint fair stand', when: '2026-08-01' }, [
      { at: '2026-03-01T09:00:00Z', status: 'green', state: 'planned' },
    ]);
  });
  afterAll(() => t.close());

  const csv = async (extra: string, headers: Record<string, string> = {}) => {
    const req = t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q3&format=csv${extra}`);
    for (const [k, v] of Object.entries(headers)) void req.set(k, v);
    const res = await req;
    expect(res.status).toBe(200);
    const [header, ...rows] = res.text.slice(1).trimEnd().split('\r\n');
    const delimiter = extra.includes('semicolon') ? ';' : ',';
    const names = header.split(delimiter);
    const byId = (id: string) => {
      const row = rows.find((r) => r.includes(id));
      expect(row).toBeDefined();
      const cells = row!.split(delimiter);
      return Object.fromEntries(names.map((n, i) => [n, cells[i]]));
    };
    return { header: names, rows, byId };
  };

  it('writes decimals with a comma when the delimiter is a semicolon, and with a point otherwise', async () => {
    const semicolon = await csv('&delimiter=semicolon');
    const goal = semicolon.byId(ids.goal);
    expect(goal['Baseline']).toBe('1000,5');
    expect(goal['Latest value']).toBe('1230,6');
    expect(goal['Progress %']).toBe('46,1');
    const comma = await csv('');
    expect(comma.byId(ids.goal)['Latest value']).toBe('1230.6');
  });

  it('has human headers in English by default, and the new columns', async () => {
    const { header, byId } = await csv('');
    expect(header).toEqual([
      'Period',
      'Cluster',
      'Region',
      'Kind',
      'Id',
      'Title',
      'Horizon',
      'Status at start',
      'Status at end',
      'Status changes',
      'Created in period',
      'State at end',
      'Due date',
      'Overdue at end',
      'Likelihood (1-5)',
      'Impact (1-5)',
      'Risk score',
      'Indicator unit',
      'Baseline',
      'Target',
      'Latest value',
      'Progress %',
      'Latest comment',
    ]);
    expect(byId(ids.goal)).toMatchObject({
      Period: '2026-Q3',
      Cluster: 'Sheet Cluster',
      Region: 'Västerbotten',
      Kind: 'goal',
      Horizon: 'effect',
      'Status at start': 'green',
      'Status at end': 'yellow',
      'Status changes': '1',
      'Created in period': 'no',
      'Latest comment': 'Hiring slows down',
    });
    // Created in the period: the creation entry is not a change; the newest comment is the last one with a comment.
    expect(byId(ids.activity)).toMatchObject({
      Kind: 'activity',
      Title: `"'=HYPERLINK(""http://x"")"`,
      'Status at start': '',
      'Status at end': 'red',
      'Status changes': '2',
      'Created in period': 'yes',
      'State at end': 'ongoing',
      'Due date': '2026-09-10',
      'Overdue at end': 'yes',
      'Latest comment': "'-Speaker cancelled",
    });
    expect(byId(ids.fruit)).toMatchObject({ Kind: 'low-hanging fruit', 'Status changes': '0', 'Latest comment': '' });
  });

  it('is in Swedish with lang=sv or Accept-Language: sv, headers and values', async () => {
    for (const sv of [
      await csv('&lang=sv&delimiter=semicolon'),
      await csv('&delimiter=semicolon', { 'Accept-Language': 'sv-SE,sv;q=0.9,en;q=0.5' }),
    ]) {
      expect(sv.header.slice(0, 4)).toEqual(['Period', 'Kluster', 'Region', 'Typ']);
      expect(sv.byId(ids.goal)).toMatchObject({
        Typ: 'mål',
        Tidshorisont: 'effekt',
        'Status vid start': 'grön',
        'Status vid slut': 'gul',
        'Skapad under perioden': 'nej',
      });
      expect(sv.byId(ids.activity)).toMatchObject({
        Typ: 'aktivitet',
        'Status vid slut': 'röd',
        'Läge vid slut': 'pågående',
        'Försenad vid slut': 'ja',
      });
      expect(sv.byId(ids.fruit)).toMatchObject({ Typ: 'lågt hängande frukt', 'Läge vid slut': 'planerad' });
    }
    const english = await csv('&lang=en', { 'Accept-Language': 'sv' });
    expect(english.header[1]).toBe('Cluster');
  });

  it('keeps the JSON report in codes whatever the language', async () => {
    const res = await t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q3&lang=sv`);
    expect(res.status).toBe(200);
    const [section] = res.body.clusters;
    expect(section.goals[0]).toMatchObject({ horizon: 'long_term', statusAtStart: 'green', statusAtEnd: 'yellow' });
    expect(section.goals[0].latestComment).toBeUndefined();
  });

  it('rejects an unknown language naming lang', async () => {
    const res = await t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q3&format=csv&lang=de`);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('lang');
  });

  const workbook = async (extra: string, headers: Record<string, string> = {}) => {
    const req = t
      .api()
      .get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q3${extra}`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    for (const [k, v] of Object.entries(headers)) void req.set(k, v);
    const res = await req;
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe('attachment; filename="styrman-report-sheet-cluster-2026-Q3.xlsx"');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as ArrayBuffer);
    return book;
  };
  /** The header row: under the summary's title lines, the first row elsewhere. */
  const headerRowOf = (sheet: ExcelJS.Worksheet) => (['Summary', 'Sammanfattning'].includes(sheet.name) ? 4 : 1);
  const columnOf = (sheet: ExcelJS.Worksheet, header: string) => {
    const values = sheet.getRow(headerRowOf(sheet)).values as unknown[];
    const index = values.indexOf(header);
    expect(index).toBeGreaterThan(0);
    return index;
  };

  it('writes a workbook: a summary sheet and one per kind, numbers and dates typed, statuses coloured, header frozen', async () => {
    const book = await workbook('&format=xlsx');
    expect(book.worksheets.map((w) => w.name)).toEqual([
      'Summary',
      'Narrative',
      'Fundings',
      'Goals',
      'Milestones',
      'Activities',
      'Low-hanging fruits',
      'Risks',
      'Actors',
      'Re-plans',
      'Status changes',
    ]);
    for (const sheet of book.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRowOf(sheet) });
      expect(sheet.getColumn(1).width).toBeGreaterThan(5);
    }
    const [summary] = book.worksheets as [ExcelJS.Worksheet];
    const [goals, activities, fruits] = ['Goals', 'Activities', 'Low-hanging fruits'].map((name) => book.getWorksheet(name)!) as [
      ExcelJS.Worksheet,
      ExcelJS.Worksheet,
      ExcelJS.Worksheet,
    ];
    // The summary: who and which period above the table, then one row per cluster and kind.
    expect(summary.getRow(1).getCell(1).value).toBe('Styrman: Report of Sheet Cluster');
    expect(summary.getRow(2).getCell(1).value).toBe('Period 2026-Q3: 2026-07-01 – 2026-09-30');
    expect([summary.rowCount, goals.rowCount, activities.rowCount, fruits.rowCount]).toEqual([8, 2, 2, 2]);
    const summaryRow = (items: string) =>
      summary.getRow([5, 6, 7, 8].find((r) => summary.getRow(r).getCell(columnOf(summary, 'Items')).value === items)!);
    const s = summaryRow('Goals');
    expect(s.getCell(columnOf(summary, 'Cluster')).value).toBe('Sheet Cluster');
    expect(s.getCell(columnOf(summary, 'From')).type).toBe(ExcelJS.ValueType.Date);
    expect((s.getCell(columnOf(summary, 'From')).value as Date).toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect((s.getCell(columnOf(summary, 'To')).value as Date).toISOString()).toBe('2026-09-30T00:00:00.000Z');
    expect(s.getCell(columnOf(summary, 'Green at start')).value).toBe(1);
    expect(s.getCell(columnOf(summary, 'Yellow at end')).value).toBe(1);
    expect(summaryRow('Activities').getCell(columnOf(summary, 'Red at end')).value).toBe(1);
    expect(summaryRow('Activities').getCell(columnOf(summary, 'Overdue')).value).toBe(1);
    expect(summaryRow('Risks').getCell(columnOf(summary, 'Red at end')).value).toBe(1);
    expect(s.getCell(columnOf(summary, 'Phase')).value).toBe('formation');

    const g = goals.getRow(2);
    expect(g.getCell(columnOf(goals, 'Latest value')).type).toBe(ExcelJS.ValueType.Number);
    expect(g.getCell(columnOf(goals, 'Latest value')).value).toBe(1230.6);
    expect(g.getCell(columnOf(goals, 'Progress %')).value).toBe(46.1);
    expect(g.getCell(columnOf(goals, 'Status changes')).value).toBe(1);
    expect(g.getCell(columnOf(goals, 'Horizon')).value).toBe('effect');
    const fillOf = (cell: ExcelJS.Cell) => (cell.fill as ExcelJS.FillPattern).fgColor?.argb;
    expect(fillOf(g.getCell(columnOf(goals, 'Status at start')))).toBe('FFC6EFCE');
    expect(fillOf(g.getCell(columnOf(goals, 'Status at end')))).toBe('FFFFEB9C');
    expect(g.getCell(columnOf(goals, 'Latest comment')).value).toBe('Hiring slows down');

    const a = activities.getRow(2);
    expect(a.getCell(columnOf(activities, 'Due date')).type).toBe(ExcelJS.ValueType.Date);
    expect((a.getCell(columnOf(activities, 'Due date')).value as Date).toISOString()).toBe('2026-09-10T00:00:00.000Z');
    expect(a.getCell(columnOf(activities, 'Due date')).numFmt).toBe('yyyy-mm-dd');
    expect(fillOf(a.getCell(columnOf(activities, 'Status at end')))).toBe('FFFFC7CE');
    // A title that looks like a formula is text in a workbook, never a formula.
    expect(a.getCell(columnOf(activities, 'Title')).type).toBe(ExcelJS.ValueType.String);
    expect(a.getCell(columnOf(activities, 'Title')).value).toBe('=HYPERLINK("http://x")');
    expect(activities.getRow(1).values).not.toContain('Horizon');
  });

  it('writes the workbook in Swedish, and answers the XLSX media type in Accept', async () => {
    const book = await workbook('&lang=sv', {
      Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Accept-Language': 'sv',
    });
    expect(book.worksheets.map((w) => w.name)).toEqual([
      'Sammanfattning',
      'Lägesrapport',
      'Finansiering',
      'Mål',
      'Milstolpar',
      'Aktiviteter',
      'Lågt hängande frukter',
      'Risker',
      'Aktörer',
      'Omplaneringar',
      'Statusändringar',
    ]);
    const summary = book.getWorksheet('Sammanfattning')!;
    expect(summary.getRow(1).getCell(1).value).toBe('Styrman: Rapport för Sheet Cluster');
    expect(summary.getRow(4).getCell(columnOf(summary, 'Gul vid slut')).value).toBe('Gul vid slut');
    const goals = book.getWorksheet('Mål')!;
    expect(goals.getRow(2).getCell(columnOf(goals, 'Status vid slut')).value).toBe('gul');
    expect(goals.getRow(2).getCell(columnOf(goals, 'Tidshorisont')).value).toBe('effekt');
    const risks = book.getWorksheet('Risker')!;
    expect(risks.rowCount).toBe(2);
    expect(risks.getRow(2).getCell(columnOf(risks, 'Läge vid slut')).value).toBe('inträffad');
    expect(risks.getRow(2).getCell(columnOf(risks, 'Senaste kommentar')).value).toBe('It left');
    expect(((risks.getRow(2).getCell(columnOf(risks, 'Status vid slut')).fill as ExcelJS.FillPattern).fgColor ?? {}).argb).toBe('FFFFC7CE');
    const fruits = book.getWorksheet('Lågt hängande frukter')!;
    expect(fruits.getRow(2).getCell(columnOf(fruits, 'Läge vid slut')).value).toBe('planerad');
  });

  it('writes the same workbook bytes for the same report, whenever it is pulled', async () => {
    const pull = async () =>
      (
        await t
          .api()
          .get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q3&format=xlsx`)
          .buffer(true)
          .parse((response, done) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => done(null, Buffer.concat(chunks)));
          })
      ).body as Buffer;
    const first = await pull();
    expect(Buffer.compare(first, await pull())).toBe(0);
    // The zip library stamps each file with the time it was added: every stamp must be the period's end instead,
    // so that a workbook built again at any other time is the same bytes.
    const to = new Date((await t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q3`)).body.to as string);
    const stamp = `${to.getUTCFullYear()}-${to.getUTCMonth() + 1}-${to.getUTCDate()} ${to.getUTCHours()}:${to.getUTCMinutes()}`;
    const stamps = zipStamps(first);
    expect(stamps.length).toBeGreaterThan(5);
    expect(new Set(stamps)).toEqual(new Set([stamp]));
  });
});

/** The modification time of every file of a zip archive, from its central directory and local headers (UTC fields). */
function zipStamps(zip: Buffer): string[] {
  const decode = (date: number, time: number) => `${(date >> 9) + 1980}-${(date >> 5) & 15}-${date & 31} ${time >> 11}:${(time >> 5) & 63}`;
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const stamps: string[] = [];
  let entry = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const local = zip.readUInt32LE(entry + 42);
    stamps.push(decode(zip.readUInt16LE(entry + 14), zip.readUInt16LE(entry + 12)));
    stamps.push(decode(zip.readUInt16LE(local + 12), zip.readUInt16LE(local + 10)));
    entry += 46 + zip.readUInt16LE(entry + 28) + zip.readUInt16LE(entry + 30) + zip.readUInt16LE(entry + 32);
  }
  return stamps;
}
