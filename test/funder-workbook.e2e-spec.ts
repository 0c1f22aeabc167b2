import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createActor, createCluster, createGoal } from './support/factories.js';

/**
 * The funder's workbook holds what the JSON report holds, sheet by sheet, and
 * prints: landscape A4 as wide as the page, the header row repeated, the
 * report named at the top of every page, wrapped text in rows high enough.
 */
const RCO01 = '00000000-0000-4000-8000-0000000c0001';
const RCR02 = '00000000-0000-4000-8000-0000000c1002';

describe('the funder workbook', () => {
  let t: TestApp;
  let funder: Record<string, any>;
  let cluster: Record<string, any>;
  let goal: Record<string, any>;
  let activity: Record<string, any>;
  const year = new Date().getUTCFullYear();
  const today = new Date().toISOString().slice(0, 10);
  const longComment = 'The study visit to Kalmar was moved to the autumn because the budget did not stretch, '.repeat(3).trim();

  beforeAll(async () => {
    t = await startTestApp();
    funder = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova & Co', kind: 'national_agency' })).body;
    cluster = await createCluster(t, { name: 'Framtidens Bioraffinaderi', region: 'Västernorrland', phase: 'organisation' });
    const other = await createCluster(t, { name: 'Smart Textiles', region: 'Västra Götaland', phase: 'formation' });
    for (const [c, programme, amount] of [
      [cluster, 'Vinnväxt', '10000000.00'],
      [other, 'Utmaningsdriven innovation', '4250000.50'],
    ] as const) {
      const res = await t
        .api()
        .post(`/api/v1/funders/${funder.id}/fundings`)
        .send({ clusterId: c.id, programme, amount, startsOn: `${year - 1}-01-01`, endsOn: `${year + 1}-12-31` });
      expect(res.status).toBe(201);
    }
    goal = await createGoal(t, cluster.id, {
      title: 'Trials run in the demonstration plant',
      horizon: 'long_term',
      indicator: { unit: 'trials', baseline: 0, target: 24, milestones: [{ on: today, target: 6 }] },
    });
    expect((await t.api().post(`/api/v1/goals/${goal.id}/measurements`).send({ value: 8, measuredOn: today })).status).toBe(201);
    activity = await createActivity(t, cluster.id, { title: 'Study visit to Kalmar Science Park', dueDate: `${year}-12-30` });
    expect(
      (
        await t
          .api()
          .patch(`/api/v1/activities/${activity.id}`)
          .send({ dueDate: `${year}-12-31` })
      ).status,
    ).toBe(200);
    expect(
      (await t.api().post(`/api/v1/activities/${activity.id}/status-updates`).send({ status: 'red', comment: longComment })).status,
    ).toBe(201);
    // Programme indicators: RCO01 (organisations by size, one enterprise supported by both clusters) and RCR02 (a sum).
    const org = (organisationNumber: string, enterpriseSize: string) => ({ organisationNumber, enterpriseSize });
    for (const [c, organisations] of [
      [cluster, [org('556012-5790', 'large'), org('202100-5216', 'small')]],
      [other, [org('556012-5790', 'medium'), org('202100-3054', 'micro')]],
    ] as const) {
      const adopted = await createGoal(t, c.id, {
        title: 'Enterprises supported',
        indicator: { definitionId: RCO01, baseline: 0, target: 10 },
      });
      const res = await t.api().post(`/api/v1/goals/${adopted.id}/measurements`).send({ measuredOn: today, organisations });
      expect(res.status).toBe(201);
    }
    const invested = await createGoal(t, other.id, {
      title: 'Private investment',
      indicator: { definitionId: RCR02, baseline: 0, target: 5000 },
    });
    expect((await t.api().post(`/api/v1/goals/${invested.id}/measurements`).send({ measuredOn: today, value: 1500.5 })).status).toBe(201);
    await createActor(t, cluster.id, { kind: 'academia', core: 'inner', engagement: 'committed' });
    await createActor(t, other.id, { kind: 'company', core: 'outer' });
  });
  afterAll(() => t.close());

  const workbook = async (lang: 'sv' | 'en', report = `/api/v1/funders/${funder.id}/report`) => {
    const res = await t
      .api()
      .get(`${report}?period=${year}&format=xlsx&lang=${lang}`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as ArrayBuffer);
    return book;
  };

  /** A sheet's rows under its header row, as objects by header. */
  const rowsOf = (sheet: ExcelJS.Worksheet, headerRow = 1) => {
    const headers = sheet.getRow(headerRow).values as unknown[];
    const rows: Record<string, unknown>[] = [];
    for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
      const values = sheet.getRow(r).values as unknown[];
      rows.push(Object.fromEntries(headers.map((h, i) => [h, values[i]]).filter(([h]) => typeof h === 'string')));
    }
    return rows;
  };

  it('names the funder, the period and the clusters in its summary, and holds fundings, milestones, actors, re-plans and status changes', async () => {
    const book = await workbook('sv');
    const summary = book.getWorksheet('Sammanfattning')!;
    expect([1, 2, 3].map((r) => summary.getRow(r).getCell(1).value)).toEqual([
      'Styrman: Rapport till Vinnova & Co',
      `Period ${year}: ${year}-01-01 – ${year}-12-31`,
      '2 kluster: Framtidens Bioraffinaderi, Smart Textiles',
    ]);
    expect(rowsOf(summary, 5)).toContainEqual(
      expect.objectContaining({ Kluster: 'Framtidens Bioraffinaderi', Poster: 'Aktiviteter', 'Röd vid slut': 1, Försenade: 0 }),
    );

    const fundings = rowsOf(book.getWorksheet('Finansiering')!);
    expect(fundings).toEqual([
      expect.objectContaining({
        Kluster: 'Framtidens Bioraffinaderi',
        Finansiär: 'Vinnova & Co',
        Program: 'Vinnväxt',
        Belopp: 10000000,
        Valuta: 'SEK',
      }),
      expect.objectContaining({ Kluster: 'Smart Textiles', Program: 'Utmaningsdriven innovation', Belopp: 4250000.5 }),
    ]);
    expect(book.getWorksheet('Finansiering')!.getColumn(4).numFmt).toBe('#,##0.00');

    expect(rowsOf(book.getWorksheet('Milstolpar')!)).toEqual([
      expect.objectContaining({
        Mål: 'Trials run in the demonstration plant',
        Målvärde: 6,
        Utfall: 8,
        Uppnått: 'ja',
        'Indikatorns enhet': 'trials',
      }),
    ]);
    expect(rowsOf(book.getWorksheet('Mål')!).filter((g) => g['Indikatorns enhet'] === 'trials')).toEqual([
      expect.objectContaining({ Titel: 'Trials run in the demonstration plant', 'Senaste värde': 8, Perspektiv: undefined }),
    ]);

    const actors = rowsOf(book.getWorksheet('Aktörer')!);
    expect(actors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Kluster: 'Framtidens Bioraffinaderi',
          Typ: 'akademi',
          Kärna: 'inre kärna',
          Engagemang: 'förbunden',
          'Vid slut': 1,
        }),
        expect.objectContaining({
          Kluster: 'Smart Textiles',
          Typ: 'företag',
          Kärna: 'yttre kärna',
          Engagemang: 'identifierad',
          'Vid slut': 1,
        }),
      ]),
    );

    const replans = rowsOf(book.getWorksheet('Omplaneringar')!);
    expect(replans).toEqual([
      expect.objectContaining({
        Typ: 'aktivitet',
        Titel: 'Study visit to Kalmar Science Park',
        Fält: 'Slutdatum',
        Från: `${year}-12-30`,
        Till: `${year}-12-31`,
      }),
    ]);

    const changes = rowsOf(book.getWorksheet('Statusändringar')!);
    const red = changes.find((c) => c['Status'] === 'röd')!;
    expect(red).toMatchObject({ Typ: 'aktivitet', Kommentar: longComment, Läge: 'planerad' });
    expect(red['Registrerad']).toBeInstanceOf(Date);
  });

  it('holds the programme indicators of the JSON report, in Swedish and English, in the funder and the cluster workbook', async () => {
    type Totals = {
      definition: { id: string; code: string; name: string; unit: string };
      total: number;
      byEnterpriseSize: Record<'micro' | 'small' | 'medium' | 'large', number> | null;
      overlap: number;
      clusters: { clusterId: string; clusterName: string; value: number }[];
    }[];
    const headers = {
      sv: ['Kod', 'Indikator', 'Enhet', 'Kluster', 'Värde', 'Mikro', 'Små', 'Medelstora', 'Stora', 'Räknade två gånger'],
      en: ['Code', 'Indicator', 'Unit', 'Cluster', 'Value', 'Micro', 'Small', 'Medium', 'Large', 'Counted twice'],
    };
    // What the sheet must hold, written from the JSON: per definition its total over the clusters, then each cluster.
    const expected = (totals: Totals, lang: 'sv' | 'en') =>
      totals.flatMap((item) => {
        const { code, name, unit } = item.definition;
        const sizes = (['micro', 'small', 'medium', 'large'] as const).map((k) => item.byEnterpriseSize?.[k]);
        return [
          [code, name, unit, lang === 'sv' ? 'Alla kluster' : 'All clusters', item.total, ...sizes, item.overlap],
          ...item.clusters.map((c) => [code, name, unit, c.clusterName, c.value, undefined, undefined, undefined, undefined, undefined]),
        ];
      });
    for (const [json, xlsx, clusters] of [
      [`/api/v1/funders/${funder.id}/report`, `/api/v1/funders/${funder.id}/report`, 2],
      [`/api/v1/clusters/${cluster.id}/report`, `/api/v1/clusters/${cluster.id}/report`, 1],
    ] as const) {
      const totals = (await t.api().get(`${json}?period=${year}`).expect(200)).body.indicatorTotals as Totals;
      expect(totals.map((i) => [i.definition.code, i.clusters.length])).toEqual(
        clusters === 2
          ? [
              ['RCO01', 2],
              ['RCR02', 1],
            ]
          : [['RCO01', 1]],
      );
      for (const lang of ['sv', 'en'] as const) {
        const book = await workbook(lang, xlsx);
        const name = lang === 'sv' ? 'Programindikatorer' : 'Programme indicators';
        // After the fundings, before the goals.
        const names = book.worksheets.map((w) => w.name);
        expect(names.indexOf(name)).toBe(names.indexOf(lang === 'sv' ? 'Finansiering' : 'Fundings') + 1);
        const rows = rowsOf(book.getWorksheet(name)!).map((r) => headers[lang].map((h) => r[h]));
        expect(rows).toEqual(expected(totals, lang));
      }
    }
    // The totals the sheet shows are the exact ones: the enterprise both clusters supported counted once.
    const funderTotals = (await t.api().get(`/api/v1/funders/${funder.id}/report?period=${year}`)).body.indicatorTotals as Totals;
    // Each by its latest size: 556012-5790 is medium now.
    expect(funderTotals[0]).toMatchObject({ total: 3, overlap: 1, byEnterpriseSize: { micro: 1, small: 1, medium: 1, large: 0 } });
  });

  it('prints every sheet landscape on A4, fit to the page width, the header row repeated and the report named on each page', async () => {
    const book = await workbook('en');
    for (const sheet of book.worksheets) {
      expect({ sheet: sheet.name, ...sheet.pageSetup }).toMatchObject({
        sheet: sheet.name,
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
      });
      expect(sheet.headerFooter.oddHeader).toContain(`Styrman: Vinnova && Co, ${year}`);
      expect(sheet.headerFooter.oddFooter).toContain('Page &P of &N');
      // The summary's table is under its three title lines and a blank one.
      const header = sheet.name === 'Summary' ? 5 : 1;
      expect(sheet.pageSetup.printTitlesRow).toBe(`${header}:${header}`);
      // Every header cell wraps, in a row high enough for its longest header.
      const row = sheet.getRow(header);
      row.eachCell((cell) => expect(cell.alignment).toMatchObject({ wrapText: true }));
    }
    // A long comment wraps in a row as high as its lines, so that it never runs under the next row.
    const changes = book.getWorksheet('Status changes')!;
    const comment = (changes.getRow(1).values as unknown[]).indexOf('Comment');
    const long = [...Array(changes.rowCount).keys()]
      .map((i) => changes.getRow(i + 1))
      .find((r) => r.getCell(comment).value === longComment)!;
    expect(long.getCell(comment).alignment).toMatchObject({ wrapText: true });
    expect(long.height).toBeGreaterThanOrEqual(15 * Math.ceil(longComment.length / (changes.getColumn(comment).width ?? 1)));
  });
});
