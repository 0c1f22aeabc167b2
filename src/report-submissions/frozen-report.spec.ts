import ExcelJS from 'exceljs';
import { reportXlsx } from '../reports/render/report-xlsx.js';
import { frozenDocument } from './frozen-report.js';

describe('a submitted report read back', () => {
  const head = {
    from: '2026-06-30T22:00:00.000Z',
    to: '2026-09-30T21:59:59.999Z',
    period: '2026-Q3',
    complete: true,
    timeZone: 'Europe/Stockholm',
  };
  const totals = [
    {
      definition: {
        id: '00000000-0000-4000-8000-0000000c1002',
        code: 'RCR02',
        name: 'Private investments',
        unit: 'EUR',
        aggregation: 'sum',
      },
      total: 250,
      byEnterpriseSize: null,
      overlap: 0,
      clusters: [{ clusterId: '00000000-0000-4000-8000-000000000001', clusterName: 'Alfa', value: 250 }],
    },
  ];

  it('keeps its programme indicators apart from its head, so that its workbook shows them as the live one does', async () => {
    const document = frozenDocument(Buffer.from(JSON.stringify({ ...head, clusters: [], indicatorTotals: totals })), {});
    expect(document.head).toEqual(head);
    expect(document.indicatorTotals).toEqual(totals);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportXlsx(document, { lang: 'en', period: '2026-Q3' })) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Programme indicators')!;
    expect([2, 3].map((r) => [sheet.getRow(r).getCell(4).value, sheet.getRow(r).getCell(5).value])).toEqual([
      ['All clusters', 250],
      ['Alfa', 250],
    ]);
  });

  it('without indicator totals has no such sheet', async () => {
    const document = frozenDocument(Buffer.from(JSON.stringify({ ...head, clusters: [] })), {});
    expect(document).not.toHaveProperty('indicatorTotals');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportXlsx(document, { lang: 'en', period: '2026-Q3' })) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).not.toContain('Programme indicators');
  });
});
