import { dayOf, wallTime } from '../../common/calendar.js';
import { codeOf, PLAN_ITEM_KINDS } from '../../plan-item-kinds.js';
import type { AssembledSection, ReportDocument } from '../report-document.js';
import type { SheetOptions } from './report-sheet.js';
import type { ReportLanguage } from './report-languages.js';

/**
 * What a sheet of the funder's workbook is, apart from how a workbook is written: its columns and its rows, so that
 * the writer (report-xlsx.ts) only lays them out and prints them; and what every sheet of one report shares.
 */

export type Texts = Record<ReportLanguage, string>;

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
  milestones: { en: 'Milestones', sv: 'Milstolpar' },
  actors: { en: 'Actors', sv: 'Aktörer' },
  replans: { en: 'Re-plans', sv: 'Omplaneringar' },
  changes: { en: 'Status changes', sv: 'Statusändringar' },
} as const satisfies Record<string, Texts>;

/** The sheet of each kind of plan item, by its code in the sheets: the kind's name for many (`Activities`). */
const KIND_SHEETS: ReadonlyMap<string, Texts> = new Map(
  PLAN_ITEM_KINDS.map((kind) => [codeOf(kind), { en: kind.names.en.many, sv: kind.names.sv.many }]),
);

/** The name of the sheet of a kind of plan item, by its code (`activity`). */
export function kindSheetName(code: string): Texts {
  const name = KIND_SHEETS.get(code);
  if (!name) throw new Error(`No kind of plan item has the code ${code}`);
  return name;
}

export const T = {
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

export function column(header: Texts, lang: ReportLanguage, width: number, type: WorkbookCellType = 'text', wrap = false): WorkbookColumn {
  return { header: header[lang], width, type, ...(wrap ? { wrap } : {}) };
}

/** The columns every table ends with, off the page: the period and the cluster's region. */
export function tail(lang: ReportLanguage): WorkbookColumn[] {
  return [column(T.period, lang, 9), column(T.region, lang, 14)];
}

export function tailCells(section: AssembledSection, context: WorkbookContext): WorkbookValue[] {
  return [context.period, section.cluster.region];
}

export function parsed<T>(list: { json: string }): T[] {
  return JSON.parse(list.json) as T[];
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
