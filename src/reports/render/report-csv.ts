import { type Options, stringify } from 'csv-stringify/sync';
import { inertText, slug } from '../../common/csv.js';
import type { AssembledSection, ReportDocument, ReportSource } from '../report-document.js';
import {
  booleanText,
  codeText,
  commentsOf,
  SHEET_COLUMNS,
  type SheetColumn,
  type SheetItem,
  type SheetOptions,
  narrativeItems,
  sheetItems,
} from './report-sheet.js';
import type { ReportLanguage } from './report-languages.js';

/** A number written with a decimal comma: text for csv-stringify, but not user text (no `'` prefix). */
class DecimalText {
  constructor(readonly text: string) {}
}

type Cell = string | number | DecimalText | null;

/** A cell of the sheet as CSV text: codes and yes/no in the language, numbers with the delimiter's decimal mark. */
function csvCell(item: SheetItem, column: SheetColumn, lang: ReportLanguage, decimalComma: boolean): Cell {
  const value = item[column.key];
  if (value === null) return null;
  switch (column.type) {
    case 'code':
    case 'status':
      return codeText(String(value), lang);
    case 'boolean':
      return booleanText(value as boolean, lang);
    case 'number':
      // A number is never quoted nor prefixed: with the semicolon its comma is no delimiter.
      return decimalComma ? new DecimalText(String(value).replace('.', ',')) : (value as number);
    default:
      return String(value);
  }
}

/**
 * One row per goal, activity, low-hanging fruit and risk, in the columns of
 * `SHEET_COLUMNS`, headers and codes in `lang`; a cluster with a narrative of
 * the period has, before its items, one row of kind `narrative` per part of it
 * (its name as the title, its text in the comment column). UTF-8 with a byte-order mark,
 * so that Excel shows Å, Ä and Ö; `semicolon` for Excel and LibreOffice with
 * Swedish settings, where the comma is the decimal separator: with it numbers
 * are written with a decimal comma (`1230,6`), which those read as numbers.
 * `changes` counts the status changes in the period (not the creation entry).
 *
 * Safe to open in a spreadsheet whatever users wrote: text cells that would
 * start a formula are prefixed with `'` (see `inertText` in common/csv), and any cell with
 * the delimiter, a quote, a CR or an LF is quoted. csv-stringify quotes the
 * delimiter and quotes by itself, but with CRLF records it quotes only a whole
 * CRLF, so a bare CR or LF would end the row in a spreadsheet: `quoted_match`
 * quotes those too.
 *
 * Written in parts: the byte-order mark and the header, then one part per
 * cluster section (every record ends with CRLF, so the parts join as they are).
 */
export function* reportCsv(document: ReportDocument, sheet: SheetOptions, delimiter: 'comma' | 'semicolon' = 'comma'): Generator<string> {
  const writer = csvWriter(sheet, delimiter);
  yield writer.header;
  for (const section of document.sections) {
    const part = writer.section(section, commentsOf(document));
    if (part) yield part;
  }
}

/** The same parts as `reportCsv`, written batch by batch as the sections are read. */
export async function* reportCsvStream(
  source: ReportSource,
  sheet: SheetOptions,
  delimiter: 'comma' | 'semicolon' = 'comma',
): AsyncGenerator<string> {
  const writer = csvWriter(sheet, delimiter);
  yield writer.header;
  for await (const batch of source.batches) {
    for (const section of batch.sections) {
      const part = writer.section(section, commentsOf(batch));
      if (part) yield part;
    }
  }
}

function csvWriter(sheet: SheetOptions, delimiter: 'comma' | 'semicolon') {
  const decimalComma = delimiter === 'semicolon';
  const options: Options = {
    delimiter: decimalComma ? ';' : ',',
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    cast: {
      string: inertText,
      object: (value: object) => (value instanceof DecimalText ? value.text : JSON.stringify(value)),
    },
  };
  return {
    header: `\uFEFF${stringify([SHEET_COLUMNS.map((c) => c.header[sheet.lang])], options)}`,
    section(section: AssembledSection, comments: ReadonlyMap<string, string>): string | undefined {
      const items = [...narrativeItems(section, sheet.period, sheet.lang), ...sheetItems(section, sheet.period, comments)];
      const rows = items.map((item) => SHEET_COLUMNS.map((column) => csvCell(item, column, sheet.lang, decimalComma)));
      return rows.length > 0 ? stringify(rows, options) : undefined;
    },
  };
}

/** A file name (without its extension) without characters that trouble file systems or headers. */
export function reportFileName(subject: string, label: string): string {
  return `styrman-report-${slug(subject, 'report')}-${label}`;
}
