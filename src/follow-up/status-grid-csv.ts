import { type CsvCell, writeCsv } from '../common/csv.js';
import type { StatusGridResponse } from './dto/status-grid.dto.js';

/**
 * One row per item and one column per interval (headed by its label), each
 * cell the status at the end of the interval, empty where the item did not
 * exist. Written like the reports' CSV: byte-order mark, text cells that would
 * start a formula prefixed with `'`, cells with the delimiter, a quote, CR or
 * LF quoted.
 */
export function statusGridToCsv(grid: StatusGridResponse, delimiter: 'comma' | 'semicolon' = 'comma'): string {
  const names = new Map(grid.clusters.map((c) => [c.id, c.name]));
  const header = ['cluster', 'kind', 'id', 'title', ...grid.columns.map((c) => c.label)];
  const rows: CsvCell[][] = grid.rows.map((r) => [
    names.get(r.clusterId) ?? r.clusterId,
    r.subject.type,
    r.subject.id,
    r.subject.title,
    ...r.cells.map((cell) => cell?.status ?? null),
  ]);
  return writeCsv(header, rows, delimiter);
}
