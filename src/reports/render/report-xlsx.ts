import type ExcelJS from 'exceljs';
import { Writable } from 'node:stream';
import type { ReportDocument } from '../report-document.js';
import type { SheetOptions } from './report-sheet.js';
import {
  wallClock,
  type WorkbookColumn,
  type WorkbookContext,
  type WorkbookSheet,
  type WorkbookValue,
  workbookContext,
  workbookSheets,
} from './report-workbook.js';

export { STATUS_FILLS } from './report-workbook.js';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const NUMBER_FORMATS: Partial<Record<WorkbookColumn['type'], string>> = {
  date: 'yyyy-mm-dd',
  dateTime: 'yyyy-mm-dd hh:mm',
  amount: '#,##0.00',
};

/** The height of a line of the default font (Calibri 11), in points. */
const LINE_HEIGHT = 15;
/** The highest a row can be, in points (Excel's limit). */
const MAX_ROW_HEIGHT = 409;

/** A calendar day as the spreadsheet date of that day (midnight UTC, which is how exceljs counts days). */
function excelDate(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

function cellValue(value: WorkbookValue, context: WorkbookContext): ExcelJS.CellValue {
  if (value === null || typeof value === 'string' || typeof value === 'number') return value;
  return 'day' in value ? excelDate(value.day) : wallClock(value.at, context);
}

/**
 * A column's width: what the sheet asks, and never less than the longest word of its header (bold) needs; a header
 * with a hyphen (`Likelihood (1-5)`) on one line, since a spreadsheet breaks a line at a hyphen.
 */
function widthOf(c: WorkbookColumn): number {
  const words = c.header.includes('-') ? [c.header] : c.header.split(/\s+/);
  const longest = Math.max(...words.map((w) => w.length));
  return Math.max(c.width, Math.ceil(longest * 1.1) + 2);
}

/**
 * How many lines a text takes in a column `width` characters wide, wrapped at spaces as a spreadsheet wraps it, with
 * as many characters per line as the width counts digits (proportional text is mostly narrower than a digit, so
 * this errs on the high side: a row a little too high, never text hidden under the next row).
 */
export function linesOf(text: string, width: number, bold = false): number {
  const room = Math.max(1, Math.floor(bold ? width / 1.1 : width));
  let lines = 0;
  for (const paragraph of text.split(/\r?\n/)) {
    lines++;
    let used = 0;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (used > 0 && used + 1 + word.length > room) {
        lines++;
        used = 0;
      }
      // A word longer than the line is broken where the line ends.
      lines += Math.floor(Math.max(0, word.length - 1) / room);
      used += (used > 0 ? 1 : 0) + (word.length > room ? ((word.length - 1) % room) + 1 : word.length);
    }
  }
  return lines;
}

function columnLetter(n: number): string {
  let letters = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) letters = String.fromCharCode(65 + ((i - 1) % 26)) + letters;
  return letters;
}

/** Text for a page header or footer, where `&` starts a code. */
function headerText(text: string): string {
  return text.replaceAll('&', '&&');
}

/**
 * One sheet of the workbook, laid out to be read on screen and printed: the title lines (the summary's), then the
 * header row, bold, wrapped, frozen, with a filter, repeated on every printed page; long text wrapped and each row as
 * high as its longest text needs. Printed landscape on A4, as wide as the page, with the report and the sheet named
 * at the top of each page and the page number at the bottom; the columns after `printed` stay off the page.
 */
function writeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: WorkbookSheet, context: WorkbookContext, title: string): void {
  const { lang } = context;
  const headerRow = sheet.intro.length === 0 ? 1 : sheet.intro.length + 2;
  const ws = workbook.addWorksheet(sheet.name, {
    views: [{ state: 'frozen', ySplit: headerRow }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.4, right: 0.4, top: 0.7, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
    headerFooter: {
      oddHeader: `&L&"-,Bold"${headerText(title)}&R${headerText(sheet.name)}`,
      oddFooter: `&L${context.fromDay} – ${context.toDay}&R${lang === 'sv' ? 'Sida &P av &N' : 'Page &P of &N'}`,
    },
  });
  const widths = sheet.columns.map(widthOf);
  ws.columns = sheet.columns.map((c, i) => ({
    width: widths[i],
    ...(NUMBER_FORMATS[c.type] ? { style: { numFmt: NUMBER_FORMATS[c.type] } } : {}),
  }));
  const printedWidth = widths.slice(0, sheet.printed).reduce((a, b) => a + b, 0);

  sheet.intro.forEach((line, i) => {
    const row = ws.getRow(i + 1);
    row.getCell(1).value = line;
    row.getCell(1).font = i === 0 ? { bold: true, size: 14 } : {};
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    ws.mergeCells(i + 1, 1, i + 1, sheet.printed);
    row.height = (i === 0 ? 20 : LINE_HEIGHT) * linesOf(line, i === 0 ? printedWidth / 1.3 : printedWidth);
    row.commit();
  });

  const header = ws.getRow(headerRow);
  sheet.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.alignment = { wrapText: true, vertical: 'bottom' };
    if (c.fill) cell.fill = fill(c.fill);
  });
  header.height = LINE_HEIGHT * Math.max(...sheet.columns.map((c, i) => linesOf(c.header, widths[i], true)));
  header.commit();
  ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: sheet.columns.length } };

  let last = headerRow;
  for (const r of sheet.rows) {
    const row = ws.getRow(++last);
    let lines = 1;
    r.cells.forEach((value, i) => {
      const cell = row.getCell(i + 1);
      cell.value = cellValue(value, context);
      const c = sheet.columns[i];
      if (c.wrap || c.type === 'text') {
        cell.alignment = { wrapText: true, vertical: 'top' };
        if (typeof value === 'string') lines = Math.max(lines, linesOf(value, widths[i]));
      } else {
        cell.alignment = { vertical: 'top' };
      }
      const f = r.fills?.[i];
      if (f) cell.fill = fill(f);
    });
    if (lines > 1) row.height = Math.min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines);
    // Written out as soon as it is made: the sheet is never held whole.
    row.commit();
  }
  // exceljs puts a `$` before each end: `A$1` becomes `$A$1`, the absolute reference LibreOffice needs to honour it.
  ws.pageSetup.printArea = `A$1:${columnLetter(sheet.printed)}$${last}`;
  ws.commit();
}

function fill(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
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
 * The report as an Excel workbook (report-workbook.ts says what each sheet holds): a summary naming the funder, the
 * period and the clusters, the narratives, the fundings, the programme indicators added up (when there are any),
 * goals, milestones, activities, low-hanging fruits, risks, actors, re-plans and status changes, in `lang`. Numbers
 * are numbers and days are dates, status cells are filled green, yellow or red, and every sheet prints on A4
 * landscape as wide as the page. Text is written as text: a title beginning with `=` is never a formula in a
 * workbook. The same report is the same bytes: every time in the file is the end of the period.
 */
export async function reportXlsx(document: ReportDocument, options: SheetOptions): Promise<Buffer> {
  // Loaded on the first workbook, not at start-up: exceljs is ~8 MB of heap and ~14 MB of resident memory that an
  // instance asked only for JSON and CSV never needs.
  const { default: Excel } = await import('exceljs');
  // exceljs's streaming writer: each row is written into its sheet's part of the zip as soon as it is made, so the
  // workbook is never held as cells (its in-memory model took ~700 MB for a 50-cluster quarter). What is held is the
  // compressed workbook, about a tenth of the report's JSON.
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  // A fixed time, so that the same report is the same workbook.
  const at = new Date(document.head.to);
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: true });
  workbook.creator = 'Styrman';
  workbook.created = workbook.modified = at;
  const context = workbookContext(document, options);
  const subject = context.funder?.name ?? document.sections.map((s) => s.cluster.name).join(', ');
  const title = `Styrman: ${subject}, ${options.period}`;
  for (const sheet of workbookSheets(document, context)) writeSheet(workbook, sheet, context, title);
  await workbook.commit();
  return stampZip(Buffer.concat(chunks), at);
}
