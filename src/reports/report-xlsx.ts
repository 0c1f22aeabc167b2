import ExcelJS from 'exceljs';
import { dayOf } from '../common/calendar.js';
import type { AssembledSection, ReportDocument } from './report-document.js';
import {
  booleanText,
  codeText,
  commentsOf,
  ITEM_KINDS,
  type ItemKind,
  NARRATIVE_PARTS,
  SHEET_COLUMNS,
  type SheetItem,
  type SheetOptions,
  sheetItems,
} from './report-sheet.js';
import type { ReportLanguage } from './report-languages.js';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The fills of status cells: Excel's "good", "neutral" and "bad" colours, readable with black text. */
export const STATUS_FILLS: Readonly<Record<string, string>> = { green: 'FFC6EFCE', yellow: 'FFFFEB9C', red: 'FFFFC7CE' };

const SHEET_NAMES: Record<'summary' | 'narrative' | ItemKind, Record<ReportLanguage, string>> = {
  summary: { en: 'Summary', sv: 'Sammanfattning' },
  narrative: { en: 'Narrative', sv: 'Lägesrapport' },
  goal: { en: 'Goals', sv: 'Mål' },
  activity: { en: 'Activities', sv: 'Aktiviteter' },
  lowHangingFruit: { en: 'Low-hanging fruits', sv: 'Lågt hängande frukter' },
  risk: { en: 'Risks', sv: 'Risker' },
};

const DATE_FORMAT = 'yyyy-mm-dd';

/** A calendar day as the spreadsheet date of that day (midnight UTC, which is how exceljs counts days). */
function excelDate(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

type SummaryColumn = {
  header: Record<ReportLanguage, string>;
  width: number;
  status?: 'green' | 'yellow' | 'red';
  date?: boolean;
  value: (s: AssembledSection, lang: ReportLanguage) => ExcelJS.CellValue;
};

function statusColumns(
  label: Record<ReportLanguage, string>,
  end: (s: AssembledSection) => Record<'green' | 'yellow' | 'red', number>,
): SummaryColumn[] {
  return (['green', 'yellow', 'red'] as const).map((status) => ({
    header: { en: `${label.en}: ${codeText(status, 'en')}`, sv: `${label.sv}: ${codeText(status, 'sv')}` },
    width: 14,
    status,
    value: (s) => end(s)[status],
  }));
}

/** The summary sheet: one row per cluster, its lights at the end of the period and its completed and overdue items. */
function summaryColumns(document: ReportDocument, timeZone: string, period: string): SummaryColumn[] {
  const from = dayOf(new Date(document.head.from), timeZone);
  const to = dayOf(new Date(document.head.to), timeZone);
  return [
    { header: { en: 'Period', sv: 'Period' }, width: 12, value: () => period },
    { header: { en: 'From', sv: 'Från' }, width: 12, date: true, value: () => excelDate(from) },
    { header: { en: 'To', sv: 'Till' }, width: 12, date: true, value: () => excelDate(to) },
    { header: { en: 'Cluster', sv: 'Kluster' }, width: 28, value: (s) => s.cluster.name },
    { header: { en: 'Region', sv: 'Region' }, width: 16, value: (s) => s.cluster.region },
    { header: { en: 'Phase', sv: 'Fas' }, width: 14, value: (s, l) => codeText(s.cluster.phase, l) },
    ...statusColumns({ en: 'Goals', sv: 'Mål' }, (s) => s.summary.goals.end),
    ...statusColumns({ en: 'Activities', sv: 'Aktiviteter' }, (s) => s.summary.activities.end),
    { header: { en: 'Activities completed', sv: 'Aktiviteter klara' }, width: 14, value: (s) => s.summary.activities.completed },
    { header: { en: 'Activities overdue', sv: 'Aktiviteter försenade' }, width: 14, value: (s) => s.summary.activities.overdue },
    ...statusColumns({ en: 'Low-hanging fruits', sv: 'Lågt hängande frukter' }, (s) => s.summary.lowHangingFruits.end),
    { header: { en: 'Fruits completed', sv: 'Frukter klara' }, width: 14, value: (s) => s.summary.lowHangingFruits.completed },
    { header: { en: 'Fruits overdue', sv: 'Frukter försenade' }, width: 14, value: (s) => s.summary.lowHangingFruits.overdue },
    ...statusColumns({ en: 'Risks', sv: 'Risker' }, (s) => s.summary.risks.end),
    { header: { en: 'High risks', sv: 'Höga risker' }, width: 14, value: (s) => s.summary.risks.highRisks },
  ];
}

function fill(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

/** A header row in bold, frozen, with a filter, and the columns' widths. */
function header(sheet: ExcelJS.Worksheet, columns: { header: string; width: number }[]): void {
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
}

function itemCell(item: SheetItem, key: keyof SheetItem, type: string, lang: ReportLanguage): ExcelJS.CellValue {
  const value = item[key];
  if (value === null) return null;
  switch (type) {
    case 'code':
    case 'status':
      return codeText(String(value), lang);
    case 'date':
      return excelDate(String(value));
    case 'boolean':
      return booleanText(value as boolean, lang);
    default:
      return value;
  }
}

/** A day and time as MS-DOS writes them in a zip file (local time fields, here taken in UTC, two-second steps). */
function dosDateTime(at: Date): { date: number; time: number } {
  const year = Math.min(Math.max(at.getUTCFullYear(), 1980), 2107);
  return {
    date: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
  };
}

/**
 * Sets the modification time of every file in a zip archive (the workbook) to
 * `at`, in the central directory and in each local header, so that the same
 * report is the same bytes: the zip library stamps each file with the time it
 * was added.
 */
export function stampZip(zip: Buffer, at: Date): Buffer {
  const { date, time } = dosDateTime(at);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip archive');
  const entries = zip.readUInt16LE(end + 10);
  let entry = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(entry) !== 0x02014b50) throw new Error('a malformed zip central directory');
    zip.writeUInt16LE(time, entry + 12);
    zip.writeUInt16LE(date, entry + 14);
    const local = zip.readUInt32LE(entry + 42);
    zip.writeUInt16LE(time, local + 10);
    zip.writeUInt16LE(date, local + 12);
    entry += 46 + zip.readUInt16LE(entry + 28) + zip.readUInt16LE(entry + 30) + zip.readUInt16LE(entry + 32);
  }
  return zip;
}

/**
 * The report as an Excel workbook: a summary sheet (one row per cluster), the
 * period's narratives (one row per cluster that has one) and one sheet per
 * kind of item, in `lang`. Numbers are numbers and days are
 * dates, status cells are filled green, yellow or red, the header row is
 * frozen and the columns have widths. Text is written as text: a title
 * beginning with `=` is never a formula in a workbook. The same report is the
 * same bytes: every time in the file is the end of the period.
 */
export async function reportXlsx(document: ReportDocument, sheet: SheetOptions): Promise<Buffer> {
  const { lang } = sheet;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Styrman';
  // A fixed time, so that the same report is the same workbook.
  workbook.created = workbook.modified = new Date(document.head.to);

  const summary = workbook.addWorksheet(SHEET_NAMES.summary[lang]);
  const columns = summaryColumns(document, document.head.timeZone, sheet.period);
  header(
    summary,
    columns.map((c) => ({ header: c.header[lang], width: c.width })),
  );
  columns.forEach((c, i) => {
    if (c.status) summary.getRow(1).getCell(i + 1).fill = fill(STATUS_FILLS[c.status]);
    if (c.date) summary.getColumn(i + 1).numFmt = DATE_FORMAT;
  });
  for (const section of document.sections) {
    summary.addRow(columns.map((c) => c.value(section, lang)));
  }

  // The period's narrative, beside the summary: one row per cluster that has one, a wide wrapped column per part.
  const narratives = workbook.addWorksheet(SHEET_NAMES.narrative[lang]);
  header(narratives, [
    { header: 'Period', width: 12 },
    { header: lang === 'sv' ? 'Kluster' : 'Cluster', width: 28 },
    { header: 'Region', width: 16 },
    ...NARRATIVE_PARTS.map((part) => ({ header: part.header[lang], width: 60 })),
  ]);
  for (const section of document.sections) {
    const narrative = section.narrative;
    if (!narrative) continue;
    const row = narratives.addRow([
      sheet.period,
      section.cluster.name,
      section.cluster.region,
      ...NARRATIVE_PARTS.map((part) => narrative[part.key]),
    ]);
    row.alignment = { wrapText: true, vertical: 'top' };
  }

  const comments = commentsOf(document);
  const items = document.sections.flatMap((s) => sheetItems(s, sheet.period, comments));
  for (const kind of ITEM_KINDS) {
    const ws = workbook.addWorksheet(SHEET_NAMES[kind][lang]);
    const kindColumns = SHEET_COLUMNS.filter((c) => c.key !== 'kind' && c.kinds.includes(kind));
    header(
      ws,
      kindColumns.map((c) => ({ header: c.header[lang], width: c.width })),
    );
    kindColumns.forEach((c, i) => {
      if (c.type === 'date') ws.getColumn(i + 1).numFmt = DATE_FORMAT;
    });
    for (const item of items.filter((i) => i.kind === kind)) {
      const row = ws.addRow(kindColumns.map((c) => itemCell(item, c.key, c.type, lang)));
      kindColumns.forEach((c, i) => {
        const status = item[c.key];
        if (c.type === 'status' && typeof status === 'string') row.getCell(i + 1).fill = fill(STATUS_FILLS[status]);
        if (c.key === 'latestComment' || c.key === 'title') row.getCell(i + 1).alignment = { wrapText: true, vertical: 'top' };
      });
    }
  }
  return stampZip(Buffer.from(await workbook.xlsx.writeBuffer()), new Date(document.head.to));
}
