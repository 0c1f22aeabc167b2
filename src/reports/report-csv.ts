import { stringify } from 'csv-stringify/sync';
import type { ReportDocument } from './reports.service.js';

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

/**
 * One row per goal, activity and low-hanging fruit. UTF-8 with a byte-order
 * mark, so that Excel shows Å, Ä and Ö; `semicolon` for Excel with Swedish
 * settings, where the comma is the decimal separator. Goals' due dates are
 * current values; `changes` counts the status changes in the period.
 */
export function reportToCsv(document: ReportDocument, delimiter: 'comma' | 'semicolon' = 'comma'): string {
  const { report, changeCounts } = document;
  const changes = (id: string) => changeCounts.get(id) ?? 0;
  const rows: Cell[][] = [];
  for (const section of report.clusters) {
    const cluster = section.cluster.name;
    for (const g of section.goals) {
      rows.push([
        cluster,
        'goal',
        g.id,
        g.title,
        g.horizon,
        g.statusAtStart,
        g.statusAtEnd,
        changes(g.id),
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
        changes(a.id),
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
        changes(f.id),
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
  }
  const csv = stringify(rows, {
    header: true,
    columns: [...CSV_COLUMNS],
    delimiter: delimiter === 'semicolon' ? ';' : ',',
    record_delimiter: 'windows',
    cast: { boolean: (value) => (value ? 'true' : 'false') },
  });
  return `\uFEFF${csv}`;
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
