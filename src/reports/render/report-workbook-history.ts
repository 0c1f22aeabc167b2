import type { ReportChange, ReportReplan } from '../dto/report.dto.js';
import type { AssembledSection, ReportDocument } from '../report-document.js';
import { DATED_KINDS, titleAndDue } from '../report-kinds.js';
import { codeText, type ItemKind } from './report-sheet.js';
import {
  column,
  parsed,
  SHEET_NAMES,
  STATUS_FILLS,
  T,
  tail,
  tailCells,
  type Texts,
  type WorkbookContext,
  type WorkbookRow,
  type WorkbookSheet,
} from './report-workbook-model.js';

/** The sheets of what happened in the period: the re-plans and the status changes. */

/** A section's items with their kind and title, in the report's order. */
function itemsOf(
  s: AssembledSection,
): { kind: ItemKind; id: string; title: string; changes: { json: string }; replanned: { json: string } }[] {
  return [
    ...s.goals.map((g) => ({ kind: 'goal' as const, id: g.id, title: g.title, changes: g.changes, replanned: g.replanned })),
    ...DATED_KINDS.flatMap((dated) =>
      s[dated.section].map((i) => ({
        kind: dated.code,
        id: i.id,
        title: titleAndDue(dated, i).title,
        changes: i.changes,
        replanned: i.replanned,
      })),
    ),
    ...s.risks.map((r) => ({ kind: 'risk' as const, id: r.id, title: r.title, changes: r.changes, replanned: r.replanned })),
  ];
}

const REPLANNED_FIELDS: Record<string, Texts> = {
  title: T.title,
  what: T.title,
  startDate: { en: 'Start date', sv: 'Startdatum' },
  dueDate: { en: 'Due date', sv: 'Slutdatum' },
  when: { en: 'When', sv: 'När' },
  'indicator.baseline': { en: 'Baseline', sv: 'Utgångsvärde' },
  'indicator.target': { en: 'Target', sv: 'Målvärde' },
};

/** What was re-planned in the period: a title, a date, an indicator's baseline or target, from what to what, by whom. */
export function replansSheet(document: ReportDocument, context: WorkbookContext): WorkbookSheet {
  const { lang } = context;
  const columns = [
    column(T.cluster, lang, 16),
    column(T.kind, lang, 12),
    column(T.title, lang, 30, 'text', true),
    column({ en: 'Field', sv: 'Fält' }, lang, 13),
    column(T.from, lang, 18, 'text', true),
    column(T.to, lang, 18, 'text', true),
    column({ en: 'Recorded', sv: 'Registrerad' }, lang, 16, 'dateTime'),
    column({ en: 'By', sv: 'Av' }, lang, 20, 'text', true),
    ...tail(lang),
    column(T.itemId, lang, 38),
  ];
  function* rows(): Generator<WorkbookRow> {
    for (const s of document.sections) {
      for (const item of itemsOf(s)) {
        for (const r of parsed<ReportReplan>(item.replanned)) {
          yield {
            cells: [
              s.cluster.name,
              codeText(item.kind, lang),
              item.title,
              REPLANNED_FIELDS[r.field]?.[lang] ?? r.field,
              r.from,
              r.to,
              { at: r.recordedAt },
              r.author,
              ...tailCells(s, context),
              item.id,
            ],
          };
        }
      }
    }
  }
  return { name: SHEET_NAMES.replans[lang], intro: [], columns, printed: 8, rows: rows() };
}

/** Every status change in the period, item by item: the light, the state, the comment, who and when. */
export function changesSheet(document: ReportDocument, context: WorkbookContext): WorkbookSheet {
  const { lang } = context;
  const columns = [
    column(T.cluster, lang, 16),
    column(T.kind, lang, 12),
    column(T.title, lang, 28, 'text', true),
    column({ en: 'Status', sv: 'Status' }, lang, 8),
    column({ en: 'State', sv: 'Läge' }, lang, 10),
    column({ en: 'Comment', sv: 'Kommentar' }, lang, 40, 'text', true),
    column({ en: 'By', sv: 'Av' }, lang, 20, 'text', true),
    column({ en: 'Recorded', sv: 'Registrerad' }, lang, 16, 'dateTime'),
    ...tail(lang),
    column(T.itemId, lang, 38),
  ];
  function* rows(): Generator<WorkbookRow> {
    for (const s of document.sections) {
      for (const item of itemsOf(s)) {
        for (const c of parsed<ReportChange>(item.changes)) {
          yield {
            cells: [
              s.cluster.name,
              codeText(item.kind, lang),
              item.title,
              codeText(c.status, lang),
              c.state ? codeText(c.state, lang) : null,
              c.comment,
              c.author,
              { at: c.createdAt },
              ...tailCells(s, context),
              item.id,
            ],
            fills: [undefined, undefined, undefined, STATUS_FILLS[c.status]],
          };
        }
      }
    }
  }
  return { name: SHEET_NAMES.changes[lang], intro: [], columns, printed: 8, rows: rows() };
}
