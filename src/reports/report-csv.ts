import { type Options, stringify } from 'csv-stringify/sync';
import { inertText } from '../common/csv.js';
import type { AssembledSection, ReportDocument } from './report-document.js';

export const CSV_COLUMNS = [
  'cluster',
  'kind',
  'id',
  'title',
  'horizon',
  'statusAtStart',
  'statusAtEnd',
  'changes',
  'stateAtEnd',
  'dueDate',
  'overdueAtEnd',
  'indicatorUnit',
  'baseline',
  'target',
  'latestValue',
  'progressPercent',
] as const;

type Cell = string | number | boolean | null;

/** The rows of one cluster's section, in the order of `CSV_COLUMNS`. */
function sectionRows(section: AssembledSection): Cell[][] {
  const cluster = section.cluster.name;
  const rows: Cell[][] = [];
  for (const g of section.goals) {
    rows.push([
      cluster,
      'goal',
      g.id,
      g.title,
      g.horizon,
      g.statusAtStart,
      g.statusAtEnd,
      g.changes.count,
      null,
      null,
      null,
      g.indicator?.unit ?? null,
      g.indicator?.baseline ?? null,
      g.indicator?.target ?? null,
      g.indicator?.latestValue ?? null,
      g.indicator?.progressPercent ?? null,
    ]);
  }
  for (const a of section.activities) {
    rows.push([
      cluster,
      'activity',
      a.id,
      a.title,
      null,
      a.statusAtStart,
      a.statusAtEnd,
      a.changes.count,
      a.stateAtEnd,
      a.dueDate,
      a.overdueAtEnd,
      null,
      null,
      null,
      null,
      null,
    ]);
  }
  for (const f of section.lowHangingFruits) {
    rows.push([
      cluster,
      'lowHangingFruit',
      f.id,
      f.what,
      null,
      f.statusAtStart,
      f.statusAtEnd,
      f.changes.count,
      f.stateAtEnd,
      f.when,
      f.overdueAtEnd,
      null,
      null,
      null,
      null,
      null,
    ]);
  }
  rows.push(...riskRows(section));
  return rows;
}

/** One row per risk: its light, changes and state at the end (its score is in the JSON report). */
function riskRows(section: AssembledSection): Cell[][] {
  return section.risks.map((r) => [
    section.cluster.name,
    'risk',
    r.id,
    r.title,
    null,
    r.statusAtStart,
    r.statusAtEnd,
    r.changes.count,
    r.stateAtEnd,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
  ]);
}

/**
 * One row per goal, activity, low-hanging fruit and risk. UTF-8 with a byte-order
 * mark, so that Excel shows Å, Ä and Ö; `semicolon` for Excel with Swedish
 * settings, where the comma is the decimal separator. Goals' due dates are
 * current values; `changes` counts the status changes in the period.
 *
 * Safe to open in a spreadsheet whatever users wrote: text cells that would
 * start a formula are prefixed with `'` (see `inertText`), and any cell with
 * the delimiter, a quote, a CR or an LF is quoted. csv-stringify quotes the
 * delimiter and quotes by itself, but with CRLF records it quotes only a whole
 * CRLF, so a bare CR or LF would end the row in a spreadsheet: `quoted_match`
 * quotes those too.
 *
 * Written in parts: the byte-order mark and the header, then one part per
 * cluster section (every record ends with CRLF, so the parts join as they are).
 */
export function* reportCsv(document: ReportDocument, delimiter: 'comma' | 'semicolon' = 'comma'): Generator<string> {
  const options: Options = {
    columns: [...CSV_COLUMNS],
    delimiter: delimiter === 'semicolon' ? ';' : ',',
    record_delimiter: 'windows',
    quoted_match: /[\r\n]/,
    cast: { boolean: (value: boolean) => (value ? 'true' : 'false'), string: inertText },
  };
  yield `\uFEFF${stringify([], { ...options, header: true })}`;
  for (const section of document.sections) {
    const rows = sectionRows(section);
    if (rows.length > 0) yield stringify(rows, { ...options, header: false });
  }
}

/** A file name without characters that trouble file systems or headers. */
export function reportFileName(subject: string, label: string): string {
  const slug = subject
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  return `styrman-report-${slug || 'report'}-${label}.csv`;
}
