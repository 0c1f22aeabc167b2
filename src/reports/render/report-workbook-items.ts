import type { ReportActors } from '../dto/report.dto.js';
import type { ReportDocument } from '../report-document.js';
import {
  booleanText,
  codeText,
  commentsOf,
  type ItemKind,
  SHEET_COLUMNS,
  type SheetColumn,
  type SheetItem,
  sheetItems,
} from './report-sheet.js';
import type { ReportLanguage } from './report-languages.js';
import {
  column,
  kindSheetName,
  SHEET_NAMES,
  STATUS_FILLS,
  T,
  tail,
  tailCells,
  type WorkbookColumn,
  type WorkbookContext,
  type WorkbookRow,
  type WorkbookSheet,
  type WorkbookValue,
} from './report-workbook-model.js';

/** The sheets of the plan at the end of the period: one per kind of item, the milestones and the actors. */

/** Columns of the item sheets that are off the page: who the row belongs to beyond the cluster, and its id. */
const OFF_PAGE: readonly (keyof SheetItem)[] = ['period', 'region', 'id'];

function itemValue(item: SheetItem, c: SheetColumn, lang: ReportLanguage): WorkbookValue {
  const value = item[c.key];
  if (value === null) return null;
  switch (c.type) {
    case 'code':
    case 'status':
      return codeText(String(value), lang);
    case 'date':
      return { day: String(value) };
    case 'boolean':
      return booleanText(value as boolean, lang);
    case 'number':
      return value as number;
    case 'text':
      return String(value);
  }
}

/** One kind's sheet (goals, activities, fruits, risks): one row per item, the columns of the CSV that the kind has. */
export function itemSheet(kind: ItemKind, document: ReportDocument, context: WorkbookContext): WorkbookSheet {
  const { lang } = context;
  const kindColumns = SHEET_COLUMNS.filter((c) => c.key !== 'kind' && c.kinds.includes(kind));
  const onPage = kindColumns.filter((c) => !OFF_PAGE.includes(c.key));
  const offPage = kindColumns.filter((c) => OFF_PAGE.includes(c.key));
  const asColumn = (c: SheetColumn): WorkbookColumn => ({
    header: c.header[lang],
    width: c.width,
    type: c.type === 'date' ? 'date' : c.type === 'number' ? 'number' : 'text',
    ...(c.key === 'title' || c.key === 'latestComment' ? { wrap: true } : {}),
  });
  // Goals: what the JSON adds to the CSV's columns, after them.
  const goalExtras: WorkbookColumn[] =
    kind === 'goal'
      ? [
          column({ en: 'Perspective', sv: 'Perspektiv' }, lang, 14),
          column({ en: 'Contributes to', sv: 'Bidrar till' }, lang, 30, 'text', true),
          column({ en: 'Measured on', sv: 'Mätt' }, lang, 11, 'date'),
        ]
      : [];
  const columns = [...onPage.map(asColumn), ...goalExtras, ...offPage.map(asColumn)];
  const comments = commentsOf(document);
  function* rows(): Generator<WorkbookRow> {
    for (const s of document.sections) {
      const titles = new Map(s.goals.map((g) => [g.id, g.title]));
      const goals = new Map(s.goals.map((g) => [g.id, g]));
      for (const item of sheetItems(s, context.period, comments)) {
        if (item.kind !== kind) continue;
        const cells = (list: readonly SheetColumn[]) => list.map((c) => itemValue(item, c, lang));
        const fills = (list: readonly SheetColumn[]) =>
          list.map((c) => (c.type === 'status' && typeof item[c.key] === 'string' ? STATUS_FILLS[item[c.key] as string] : undefined));
        const goal = goals.get(item.id);
        const extras: WorkbookValue[] = goal
          ? [
              goal.perspective === null ? null : codeText(goal.perspective, lang),
              goal.contributesToGoalId === null ? null : (titles.get(goal.contributesToGoalId) ?? goal.contributesToGoalId),
              goal.indicator?.latestMeasuredOn ? { day: goal.indicator.latestMeasuredOn } : null,
            ]
          : [];
        yield {
          cells: [...cells(onPage), ...extras, ...cells(offPage)],
          fills: [...fills(onPage), ...extras.map(() => undefined), ...fills(offPage)],
        };
      }
    }
  }
  return { name: kindSheetName(kind)[lang], intro: [], columns, printed: onPage.length, rows: rows() };
}

/** The indicator milestones due in the period, per goal: the target, the value measured by then, and whether it was met. */
export function milestonesSheet(document: ReportDocument, context: WorkbookContext): WorkbookSheet {
  const { lang } = context;
  const columns = [
    column(T.cluster, lang, 18),
    column(T.goal, lang, 36, 'text', true),
    column({ en: 'Indicator unit', sv: 'Indikatorns enhet' }, lang, 14),
    column({ en: 'Due on', sv: 'Datum' }, lang, 11, 'date'),
    column({ en: 'Target', sv: 'Målvärde' }, lang, 10, 'number'),
    column({ en: 'Actual', sv: 'Utfall' }, lang, 10, 'number'),
    column({ en: 'Met', sv: 'Uppnått' }, lang, 9),
    ...tail(lang),
    column(T.goalId, lang, 38),
  ];
  function* rows(): Generator<WorkbookRow> {
    for (const s of document.sections) {
      for (const g of s.goals) {
        for (const m of g.milestones) {
          yield {
            cells: [
              s.cluster.name,
              g.title,
              g.indicator?.unit ?? null,
              { day: m.on },
              m.target,
              m.actual,
              booleanText(m.met, lang),
              ...tailCells(s, context),
              g.id,
            ],
          };
        }
      }
    }
  }
  return { name: SHEET_NAMES.milestones[lang], intro: [], columns, printed: 7, rows: rows() };
}

/** The stakeholder analysis: organisations by kind, core and engagement, at the start and at the end of the period. */
export function actorsSheet(document: ReportDocument, context: WorkbookContext): WorkbookSheet {
  const { lang } = context;
  const columns = [
    column(T.cluster, lang, 26),
    column(T.kind, lang, 18),
    column({ en: 'Core', sv: 'Kärna' }, lang, 12),
    column({ en: 'Engagement', sv: 'Engagemang' }, lang, 14),
    column({ en: 'At start', sv: 'Vid start' }, lang, 9, 'number'),
    column({ en: 'At end', sv: 'Vid slut' }, lang, 9, 'number'),
    ...tail(lang),
  ];
  function* rows(): Generator<WorkbookRow> {
    for (const s of document.sections) {
      const actors: ReportActors = s.actors;
      const groups = new Map<string, { kind: string; core: string; engagement: string; start: number; end: number }>();
      for (const moment of ['end', 'start'] as const) {
        for (const a of actors[moment]) {
          const key = `${a.kind}|${a.core}|${a.engagement}`;
          const group = groups.get(key) ?? { kind: a.kind, core: a.core, engagement: a.engagement, start: 0, end: 0 };
          group[moment] = a.count;
          groups.set(key, group);
        }
      }
      for (const g of groups.values()) {
        yield {
          cells: [
            s.cluster.name,
            codeText(g.kind, lang),
            codeText(g.core, lang),
            codeText(g.engagement, lang),
            g.start,
            g.end,
            ...tailCells(s, context),
          ],
        };
      }
    }
  }
  return { name: SHEET_NAMES.actors[lang], intro: [], columns, printed: 6, rows: rows() };
}
