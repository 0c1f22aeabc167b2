import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | boolean | null;

/** What a spreadsheet takes for the start of a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell made inert for spreadsheets (reports, status grids): one that
 * would start a formula gets a leading `'`, which Excel, LibreOffice and
 * Google Sheets read as "text". Only text goes through here. Numbers stored
 * or computed as numbers (a baseline of -5, progress of -12.5 %) are written
 * as numbers: they are not user text and cannot hold a formula, and a `'`
 * would make them text in the spreadsheet.
 */
export function inertText(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * A CSV file as Styrman writes them: UTF-8 with a byte-order mark (Å, Ä and Ö
 * in Excel), CRLF records, `semicolon` for Excel with Swedish settings, text
 * cells made inert, and any cell holding the delimiter, a quote, a CR or an LF
 * quoted (csv-stringify quotes a bare CR or LF only with `quoted_match`).
 */
export function writeCsv(header: string[], rows: CsvCell[][], delimiter: 'comma' | 'semicolon' = 'comma'): string {
  const csv = stringify([header, ...rows], {
    delimiter: delimiter === 'semicolon' ? ';' : ',',
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    cast: { boolean: (value) => (value ? 'true' : 'false'), string: inertText },
  });
  return `\uFEFF${csv}`;
}

/** A name as a part of a file name: ASCII letters and digits joined by `-`, accents dropped; `fallback` when nothing is left. */
export function slug(name: string, fallback: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  return ascii || fallback;
}

/** A file name without characters that trouble file systems or headers. */
export function fileName(prefix: string, subject: string, label: string, extension: string): string {
  return `${prefix}-${slug(subject, 'export')}-${label}.${extension}`;
}
