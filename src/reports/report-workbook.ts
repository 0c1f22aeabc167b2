import type { ReportActors, ReportChange, ReportReplan } from './dto/report.dto.js';
import { dayOf, wallTime } from '../common/calendar.js';
import type { AssembledSection, ReportDocument } from './report-document.js';
import {
  booleanText,
  codeText,
  commentsOf,
  ITEM_KINDS,
  type ItemKind,
  NARRATIVE_PARTS,
  SHEET_COLUMNS,
  type SheetColumn,
  type SheetItem,
  type SheetOptions,
  sheetItems,
} from './report-sheet.js';
import type { ReportLanguage } from './report-languages.js';

/**
 * What the funder's workbook holds, sheet by sheet, apart from how a workbook
 * is written: each sheet is its columns and its rows, made by one function, so
 * that the writer (report-xlsx.ts) only lays them out and prints them.
 */

type Texts = Record<ReportLanguage, string>;

/** A cell's value: text, a number, a calendar day (`day`), an instant shown as the wall clock of the report's zone (`at`), or empty. */
export type WorkbookValue = string | number | { day: string } | { at: string } | null;

/** How a column's cells are shown. */
export type WorkbookCellType = 'text' | 'number' | 'amount' | 'date' | 'dateTime';

/** The fills of status cells: Excel's "good", "neutral" and "bad" colours, readable with black text. */
export const STATUS_FILLS: Readonly<Record<string, string>> = { green: 'FFC6EFCE', yellow: 'FFFFEB9C', red: 'FFFFC7CE' };

export interface WorkbookColumn {
  header: string;
  /** At least this many characters wide; never narrower than the longest word of the header. */
  width: number;
  type: WorkbookCellType;
  /** Long text: wrapped, the row as high as its lines. */
  wrap?: boolean;
  /** The fill of the header cell (a status column of the summary). */
  fill?: string;
}

export interface WorkbookRow {
  cells: WorkbookValue[];
  /** Per cell, a fill (a status cell), or undefined. */
  fills?: (string | undefined)[];
}

export interface WorkbookSheet {
  name: string;
  /** Lines above the table (the summary's title: who, which period, which clusters); none on the other sheets. */
  intro: string[];
  columns: WorkbookColumn[];
  /**
   * How many leading columns are printed: the columns after them (the period, the region, ids) are on screen and in
   * filters, not on paper, where the page's title names the period and the cluster names the row.
   */
  printed: number;
  rows: Iterable<WorkbookRow>;
}

/** What every sheet of one report shares. */
export interface WorkbookContext extends SheetOptions {
  timeZone: string;
  /** The report's first and last calendar day. */
  fromDay: string;
  toDay: string;
  /** The funder of a funder report, by id (the fundings of a funder report name it). */
  funder?: { id: string; name: string };
}

export const SHEET_NAMES = {
  summary: { en: 'Summary', sv: 'Sammanfattning' },
  narrative: { en: 'Narrative', sv: 'Lägesrapport' },
  fundings: { en: 'Fundings', sv: 'Finansiering' },
  goal: { en: 'Goals', sv: 'Mål' },
  milestones: { en: 'Milestones', sv: 'Milstolpar' },
  activity: { en: 'Activities', sv: 'Aktiviteter' },
  lowHangingFruit: { en: 'Low-hanging fruits', sv: 'Lågt hängande frukter' },
  risk: { en: 'Risks', sv: 'Risker' },
  actors: { en: 'Actors', sv: 'Aktörer' },
  replans: { en: 'Re-plans', sv: 'Omplaneringar' },
  changes: { en: 'Status changes', sv: 'Statusändringar' },
} as const satisfies Record<string, Texts>;

const T = {
  period: { en: 'Period', sv: 'Period' },
  from: { en: 'From', sv: 'Från' },
  to: { en: 'To', sv: 'Till' },
  cluster: { en: 'Cluster', sv: 'Kluster' },
  region: { en: 'Region', sv: 'Region' },
  phase: { en: 'Phase', sv: 'Fas' },
  kind: { en: 'Kind', sv: 'Typ' },
  title: { en: 'Title', sv: 'Titel' },
  id: { en: 'Id', sv: 'Id' },
  goal: { en: 'Goal', sv: 'Mål' },
  goalId: { en: 'Goal id', sv: 'Målets id' },
  itemId: { en: 'Item id', sv: 'Postens id' },
} satisfies Record<string, Texts>;

function column(header: Texts, lang: ReportLanguage, width: number, type: WorkbookCellType = 'text', wrap = false): WorkbookColumn {
  return { header: header[lang], width, type, ...(wrap ? { wrap } : {}) };
}

/** The columns every table ends with, off the page: the period and the cluster's region. */
function tail(lang: ReportLanguage): WorkbookColumn[] {
  return [column(T.period, lang, 9), column(T.region, lang, 14)];
}

function tailCells(section: AssembledSection, context: WorkbookContext): WorkbookValue[] {
  return [context.period, section.cluster.region];
}

function parsed<T>(list: { json: string }): T[] {
  return JSON.parse(list.json) as T[];
}

/** The title lines of the summary: whose report, which period (as known when), which clusters. */
function intro(document: ReportDocument, context: WorkbookContext): string[] {
  const { lang } = context;
  const days = `${context.fromDay} – ${context.toDay}`;
  const clusters = document.sections.map((s) => s.cluster.name).join(', ');
  const subject = context.funder
    ? { en: `Report to ${context.funder.name}`, sv: `Rapport till ${context.funder.name}` }
    : { en: `Report of ${clusters}`, sv: `Rapport för ${clusters}` };
  const knownAt = document.head.knownAt
    ? {
        en: `, as known at ${dayOf(new Date(document.head.knownAt), context.timeZone)}`,
        sv: `, känd ${dayOf(new Date(document.head.knownAt), context.timeZone)}`,
      }
    : { en: '', sv: '' };
  const lines = [`Styrman: ${subject[lang]}`, `${T.period[lang]} ${context.period}: ${days}${knownAt[lang]}`];
  const count = document.sections.length;
  if (context.funder)
    lines.push(lang === 'sv' ? `${count} kluster: ${clusters}` : `${count} ${count === 1 ? 'cluster' : 'clusters'}: ${clusters}`);
  return lines;
}

const STATUSES = ['green', 'yellow', 'red'] as const;

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The summary: one row per cluster and kind, its lights at the start and at the end of the period, completed and
 * overdue items and high risks; under a title naming the funder (or the cluster), the period and the clusters.
 */
export function summarySheet(document: ReportDocument, context: WorkbookContext): WorkbookSheet {
  const { lang } = context;
  const statusColumns = (moment: Texts): WorkbookColumn[] =>
    STATUSES.map((status) => ({
      ...column(
        { en: `${capitalised(codeText(status, 'en'))} at ${moment.en}`, sv: `${capitalised(codeText(status, 'sv'))} vid ${moment.sv}` },
        lang,
        7,
        'number',
      ),
      fill: STATUS_FILLS[status],
    }));
  const columns = [
    column(T.cluster, lang, 22),
    column(T.phase, lang, 13),
    column({ en: 'Items', sv: 'Poster' }, lang, 20),
    ...statusColumns({ en: 'start', sv: 'start' }),
    ...statusColumns({ en: 'end', sv: 'slut' }),
    column({ en: 'Completed', sv: 'Klara' }, lang, 9, 'number'),
    column({ en: 'Overdue', sv: 'Försenade' }, lang, 9, 'number'),
    column({ en: 'High risks', sv: 'Höga risker' }, lang, 8, 'number'),
    column(T.region, lang, 14),
    column(T.period, lang, 9),
    column(T.from, lang, 11, 'date'),
    column(T.to, lang, 11, 'date'),
  ];
  function* rows(): Generator<WorkbookRow> {
    for (const s of document.sections) {
      const kinds = [
        { name: SHEET_NAMES.goal, counts: s.summary.goals, completed: null, overdue: null, high: null },
        { name: SHEET_NAMES.activity, ...s.summary.activities, counts: s.summary.activities, high: null },
        { name: SHEET_NAMES.lowHangingFruit, ...s.summary.lowHangingFruits, counts: s.summary.lowHangingFruits, high: null },
        { name: SHEET_NAMES.risk, counts: s.summary.risks, completed: null, overdue: null, high: s.summary.risks.highRisks },
      ];
      for (const k of kinds) {
        yield {
          cells: [
            s.cluster.name,
            codeText(s.cluster.phase, lang),
            k.name[lang],
            ...STATUSES.map((status) => k.counts.start[status]),
            ...STATUSES.map((status) => k.counts.end[status]),
            k.completed,
            k.overdue,
            k.high,
            s.cluster.region,
            context.period,
            { day: context.fromDay },
            { day: context.toDay },
          ],
        };
      }
    }
  }
  return { name: SHEET_NAMES.summary[lang], intro: intro(document, context), columns, printed: columns.length - 4, rows: rows() };
}

/** The period's narratives: one row per cluster that has one, a wide wrapped column per part. */
export function narrativeSheet(document: ReportDocument, context: WorkbookContext): WorkbookSheet {
  const { lang } = context;
  const columns = [
    column(T.cluster, lang, 16),
    ...NARRATIVE_PARTS.map((part) => column(part.header, lang, 40, 'text', true)),
    ...tail(lang),
  ];
  function* rows(): Generator<WorkbookRow> {
    for (const s of document.sections) {
      const narrative = s.narrative;
      if (!narrative) continue;
      yield { cells: [s.cluster.name, ...NARRATIVE_PARTS.map((part) => narrative[part.key]), ...tailCells(s, context)] };
    }
  }
  return { name: SHEET_NAMES.narrative[lang], intro: [], columns, printed: 1 + NARRATIVE_PARTS.length, rows: rows() };
}

/** The fundings overlapping the period: programme, amount and dates, per cluster. */
export function fundingsSheet(document: ReportDocument, context: WorkbookContext): WorkbookSheet {
  const { lang } = context;
  const columns = [
    column(T.cluster, lang, 26),
    column({ en: 'Funder', sv: 'Finansiär' }, lang, 20, 'text', true),
    column({ en: 'Programme', sv: 'Program' }, lang, 30, 'text', true),
    column({ en: 'Amount', sv: 'Belopp' }, lang, 16, 'amount'),
    column({ en: 'Currency', sv: 'Valuta' }, lang, 9),
    column({ en: 'Starts on', sv: 'Startar' }, lang, 11, 'date'),
    column({ en: 'Ends on', sv: 'Slutar' }, lang, 11, 'date'),
    ...tail(lang),
    column(T.id, lang, 38),
    column({ en: 'Funder id', sv: 'Finansiärens id' }, lang, 38),
  ];
  function* rows(): Generator<WorkbookRow> {
    for (const s of document.sections) {
      for (const f of s.fundings) {
        const funder = context.funder?.id === f.funderId ? context.funder.name : f.funderId;
        yield {
          cells: [
            s.cluster.name,
            funder,
            f.programme,
            Number(f.amount),
            f.currency,
            { day: f.startsOn },
            { day: f.endsOn },
            ...tailCells(s, context),
            f.id,
            f.funderId,
          ],
        };
      }
    }
  }
  return { name: SHEET_NAMES.fundings[lang], intro: [], columns, printed: 7, rows: rows() };
}

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
  return { name: SHEET_NAMES[kind][lang], intro: [], columns, printed: onPage.length, rows: rows() };
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

/** A section's items with their kind and title, in the report's order. */
function itemsOf(
  s: AssembledSection,
): { kind: ItemKind; id: string; title: string; changes: { json: string }; replanned: { json: string } }[] {
  return [
    ...s.goals.map((g) => ({ kind: 'goal' as const, id: g.id, title: g.title, changes: g.changes, replanned: g.replanned })),
    ...s.activities.map((a) => ({ kind: 'activity' as const, id: a.id, title: a.title, changes: a.changes, replanned: a.replanned })),
    ...s.lowHangingFruits.map((f) => ({
      kind: 'lowHangingFruit' as const,
      id: f.id,
      title: f.what,
      changes: f.changes,
      replanned: f.replanned,
    })),
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

/** Every sheet of the workbook, in order. */
export function workbookSheets(document: ReportDocument, context: WorkbookContext): WorkbookSheet[] {
  const [goals, ...others] = ITEM_KINDS.map((kind) => itemSheet(kind, document, context));
  return [
    summarySheet(document, context),
    narrativeSheet(document, context),
    fundingsSheet(document, context),
    goals,
    milestonesSheet(document, context),
    ...others,
    actorsSheet(document, context),
    replansSheet(document, context),
    changesSheet(document, context),
  ];
}

/** The context of a report's sheets: its language and period, its days and zone, and the funder of a funder report. */
export function workbookContext(document: ReportDocument, options: SheetOptions): WorkbookContext {
  const { timeZone, from, to, funder } = document.head;
  return {
    ...options,
    timeZone,
    fromDay: dayOf(new Date(from), timeZone),
    toDay: dayOf(new Date(to), timeZone),
    ...(funder ? { funder: { id: funder.id, name: funder.name } } : {}),
  };
}

/** An instant as the wall clock of the report's zone, for a date-and-time cell. */
export function wallClock(at: string, context: Pick<WorkbookContext, 'timeZone'>): Date {
  return wallTime(new Date(at), context.timeZone);
}
