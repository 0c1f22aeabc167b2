import { type CsvCell, writeCsv } from '../common/csv.js';
import { kindNames } from '../plan-item-kinds.js';
import type { ReportLanguage } from '../reports/render/report-languages.js';
import { codeText } from '../reports/render/report-sheet.js';
import type { StatusGridResponse } from './dto/status-grid.dto.js';
import { SUBJECT_KINDS, type SubjectKind } from './rhythm.js';

const HEADERS: Record<ReportLanguage, string[]> = { en: ['cluster', 'kind', 'id', 'title'], sv: ['kluster', 'typ', 'id', 'titel'] };

/** The kind of a row: its code in English (as it always was), its name in Swedish. */
const KINDS: Record<ReportLanguage, Record<SubjectKind, string>> = {
  en: Object.fromEntries(SUBJECT_KINDS.map((kind) => [kind, kind])) as Record<SubjectKind, string>,
  sv: kindNames('sv', 'one'),
};

/**
 * One row per item and one column per interval (headed by its label), each
 * cell the status at the end of the interval, empty where the item did not
 * exist. Written like the reports' CSV: byte-order mark, text cells that would
 * start a formula prefixed with `'`, cells with the delimiter, a quote, CR or
 * LF quoted. In Swedish (`lang` sv) the headers, kinds and lights are Swedish words.
 */
export function statusGridToCsv(grid: StatusGridResponse, delimiter: 'comma' | 'semicolon' = 'comma', lang: ReportLanguage = 'en'): string {
  const names = new Map(grid.clusters.map((c) => [c.id, c.name]));
  const header = [...HEADERS[lang], ...grid.columns.map((c) => c.label)];
  const rows: CsvCell[][] = grid.rows.map((r) => [
    names.get(r.clusterId) ?? r.clusterId,
    KINDS[lang][r.subject.type],
    r.subject.id,
    r.subject.title,
    ...r.cells.map((cell) => (cell ? codeText(cell.status, lang) : null)),
  ]);
  return writeCsv(header, rows, delimiter);
}
