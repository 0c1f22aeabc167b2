import { codeOf, PLAN_ITEM_KINDS } from '../../plan-item-kinds.js';
import type { AssembledDated, AssembledSection, ReportDocument } from '../report-document.js';
import { DATED_KINDS, KIND_CODES, titleAndDue } from '../report-kinds.js';
import { REPORT_LANGUAGES, type ReportLanguage } from './report-languages.js';

/**
 * `?lang=` wins; otherwise the first language of `Accept-Language` (by quality)
 * that a report is written in; otherwise English.
 */
export function reportLanguage(lang: ReportLanguage | undefined, acceptLanguage: string | undefined): ReportLanguage {
  if (lang) return lang;
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { primary: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranges) if ((REPORT_LANGUAGES as readonly string[]).includes(r.primary ?? '')) return r.primary as ReportLanguage;
  return 'en';
}

/** The code of a kind of plan item in the sheets (`activity`), as `report-kinds.ts` derives it. */
export type ItemKind = string;
/** Every kind of plan item, in the order of the kinds: each a sheet of the workbook. */
export const ITEM_KINDS: readonly ItemKind[] = KIND_CODES;

/** How a cell is written: text as it is, codes translated, numbers and dates typed in XLSX. */
export type CellType = 'text' | 'code' | 'number' | 'date' | 'boolean' | 'status';

type Texts = Record<ReportLanguage, string>;

/** Human names of the codes a report holds. */
const CODES: Record<string, Texts> = {
  // Every kind of plan item by its code: its name for one item.
  ...Object.fromEntries(PLAN_ITEM_KINDS.map((kind) => [codeOf(kind), { en: kind.names.en.one, sv: kind.names.sv.one }])),
  narrative: { en: 'narrative', sv: 'lägesrapport' },
  open: { en: 'open', sv: 'öppen' },
  mitigated: { en: 'mitigated', sv: 'hanterad' },
  occurred: { en: 'occurred', sv: 'inträffad' },
  closed: { en: 'closed', sv: 'stängd' },
  green: { en: 'green', sv: 'grön' },
  yellow: { en: 'yellow', sv: 'gul' },
  red: { en: 'red', sv: 'röd' },
  short_term: { en: 'result', sv: 'resultat' },
  long_term: { en: 'effect', sv: 'effekt' },
  planned: { en: 'planned', sv: 'planerad' },
  ongoing: { en: 'ongoing', sv: 'pågående' },
  done: { en: 'done', sv: 'klar' },
  cancelled: { en: 'cancelled', sv: 'inställd' },
  business: { en: 'business', sv: 'näringsliv' },
  public_sector: { en: 'public sector', sv: 'offentlig sektor' },
  academia: { en: 'academia', sv: 'akademi' },
  initiation: { en: 'initiation', sv: 'initiering' },
  mobilisation: { en: 'mobilisation', sv: 'mobilisering' },
  formation: { en: 'formation', sv: 'formering' },
  organisation: { en: 'organisation', sv: 'organisering' },
  company: { en: 'company', sv: 'företag' },
  civil_society: { en: 'civil society', sv: 'civilsamhälle' },
  other: { en: 'other', sv: 'annan' },
  inner: { en: 'inner core', sv: 'inre kärna' },
  outer: { en: 'outer core', sv: 'yttre kärna' },
  identified: { en: 'identified', sv: 'identifierad' },
  contacted: { en: 'contacted', sv: 'kontaktad' },
  engaged: { en: 'engaged', sv: 'engagerad' },
  committed: { en: 'committed', sv: 'förbunden' },
};

const YES_NO: Record<ReportLanguage, [string, string]> = { en: ['yes', 'no'], sv: ['ja', 'nej'] };

/** A code in the language; an unknown code as it is. */
export function codeText(code: string, lang: ReportLanguage): string {
  return CODES[code]?.[lang] ?? code;
}

export function booleanText(value: boolean, lang: ReportLanguage): string {
  return YES_NO[lang][value ? 0 : 1];
}

/** One row of the sheet: an item of a cluster's section, with what the spreadsheet forms add to it. */
export interface SheetItem {
  period: string;
  cluster: string;
  region: string;
  /** A kind's code, or `narrative`. */
  kind: string;
  id: string;
  title: string;
  horizon: string | null;
  statusAtStart: string | null;
  statusAtEnd: string | null;
  changes: number | null;
  createdInPeriod: boolean | null;
  stateAtEnd: string | null;
  dueDate: string | null;
  overdueAtEnd: boolean | null;
  likelihood: number | null;
  impact: number | null;
  score: number | null;
  indicatorUnit: string | null;
  baseline: number | null;
  target: number | null;
  latestValue: number | null;
  progressPercent: number | null;
  latestComment: string | null;
}

export interface SheetColumn {
  key: keyof SheetItem;
  type: CellType;
  header: Texts;
  /** The kinds whose sheet holds the column (XLSX); the CSV holds every column. */
  kinds: readonly ItemKind[];
  /** Width in characters in XLSX, at least; a column is never narrower than the longest word of its header. */
  width: number;
}

const ALL = ITEM_KINDS;
const GOALS: readonly ItemKind[] = ['goal'];
const DATED: readonly ItemKind[] = DATED_KINDS.map((dated) => dated.code);
const STATEFUL: readonly ItemKind[] = [...DATED, 'risk'];
const RISKS: readonly ItemKind[] = ['risk'];

/** The columns of the CSV, in order, and of the kind sheets of the workbook. */
export const SHEET_COLUMNS: readonly SheetColumn[] = [
  { key: 'period', type: 'text', header: { en: 'Period', sv: 'Period' }, kinds: ALL, width: 9 },
  { key: 'cluster', type: 'text', header: { en: 'Cluster', sv: 'Kluster' }, kinds: ALL, width: 18 },
  { key: 'region', type: 'text', header: { en: 'Region', sv: 'Region' }, kinds: ALL, width: 14 },
  { key: 'kind', type: 'code', header: { en: 'Kind', sv: 'Typ' }, kinds: ALL, width: 18 },
  { key: 'id', type: 'text', header: { en: 'Id', sv: 'Id' }, kinds: ALL, width: 38 },
  { key: 'title', type: 'text', header: { en: 'Title', sv: 'Titel' }, kinds: ALL, width: 30 },
  { key: 'horizon', type: 'code', header: { en: 'Horizon', sv: 'Tidshorisont' }, kinds: GOALS, width: 12 },
  { key: 'statusAtStart', type: 'status', header: { en: 'Status at start', sv: 'Status vid start' }, kinds: ALL, width: 9 },
  { key: 'statusAtEnd', type: 'status', header: { en: 'Status at end', sv: 'Status vid slut' }, kinds: ALL, width: 9 },
  { key: 'changes', type: 'number', header: { en: 'Status changes', sv: 'Statusändringar' }, kinds: ALL, width: 9 },
  { key: 'createdInPeriod', type: 'boolean', header: { en: 'Created in period', sv: 'Skapad under perioden' }, kinds: ALL, width: 9 },
  { key: 'stateAtEnd', type: 'code', header: { en: 'State at end', sv: 'Läge vid slut' }, kinds: STATEFUL, width: 10 },
  { key: 'dueDate', type: 'date', header: { en: 'Due date', sv: 'Slutdatum' }, kinds: DATED, width: 11 },
  { key: 'overdueAtEnd', type: 'boolean', header: { en: 'Overdue at end', sv: 'Försenad vid slut' }, kinds: DATED, width: 9 },
  { key: 'likelihood', type: 'number', header: { en: 'Likelihood (1-5)', sv: 'Sannolikhet (1-5)' }, kinds: RISKS, width: 11 },
  { key: 'impact', type: 'number', header: { en: 'Impact (1-5)', sv: 'Konsekvens (1-5)' }, kinds: RISKS, width: 11 },
  { key: 'score', type: 'number', header: { en: 'Risk score', sv: 'Riskvärde' }, kinds: RISKS, width: 8 },
  { key: 'indicatorUnit', type: 'text', header: { en: 'Indicator unit', sv: 'Indikatorns enhet' }, kinds: GOALS, width: 12 },
  { key: 'baseline', type: 'number', header: { en: 'Baseline', sv: 'Utgångsvärde' }, kinds: GOALS, width: 10 },
  { key: 'target', type: 'number', header: { en: 'Target', sv: 'Målvärde' }, kinds: GOALS, width: 9 },
  { key: 'latestValue', type: 'number', header: { en: 'Latest value', sv: 'Senaste värde' }, kinds: GOALS, width: 9 },
  { key: 'progressPercent', type: 'number', header: { en: 'Progress %', sv: 'Framsteg %' }, kinds: GOALS, width: 9 },
  { key: 'latestComment', type: 'text', header: { en: 'Latest comment', sv: 'Senaste kommentar' }, kinds: ALL, width: 30 },
];

/** Status changes in the period: the entries in it, less the creation entry of an item created in it. */
function statusChanges(count: number, createdInPeriod: boolean): number {
  return createdInPeriod ? Math.max(0, count - 1) : count;
}

/**
 * The rows of one cluster's section: goals, the dated items of each kind
 * (activities, …), then risks. An item whose status at the start is null did not exist then: it
 * was created in the period, and its first entry is its creation.
 */
export function sheetItems(section: AssembledSection, period: string, comments: ReadonlyMap<string, string>): SheetItem[] {
  const base = { period, cluster: section.cluster.name, region: section.cluster.region };
  const rows: SheetItem[] = [];
  for (const g of section.goals) {
    const created = g.statusAtStart === null;
    rows.push({
      ...base,
      kind: 'goal',
      id: g.id,
      title: g.title,
      horizon: g.horizon,
      statusAtStart: g.statusAtStart,
      statusAtEnd: g.statusAtEnd,
      changes: statusChanges(g.changes.count, created),
      createdInPeriod: created,
      stateAtEnd: null,
      dueDate: null,
      overdueAtEnd: null,
      likelihood: null,
      impact: null,
      score: null,
      indicatorUnit: g.indicator?.unit ?? null,
      baseline: g.indicator?.baseline ?? null,
      target: g.indicator?.target ?? null,
      latestValue: g.indicator?.latestValue ?? null,
      progressPercent: g.indicator?.progressPercent ?? null,
      latestComment: comments.get(g.id) ?? null,
    });
  }
  type DatedItem = Pick<AssembledDated, 'id' | 'statusAtStart' | 'statusAtEnd' | 'changes' | 'overdueAtEnd'> & { stateAtEnd: string };
  const dated = (kind: ItemKind, i: DatedItem, title: string, due: string | null): SheetItem => {
    const created = i.statusAtStart === null;
    return {
      ...base,
      kind,
      id: i.id,
      title,
      horizon: null,
      statusAtStart: i.statusAtStart,
      statusAtEnd: i.statusAtEnd,
      changes: statusChanges(i.changes.count, created),
      createdInPeriod: created,
      stateAtEnd: i.stateAtEnd,
      dueDate: due,
      overdueAtEnd: i.overdueAtEnd,
      likelihood: null,
      impact: null,
      score: null,
      indicatorUnit: null,
      baseline: null,
      target: null,
      latestValue: null,
      progressPercent: null,
      latestComment: comments.get(i.id) ?? null,
    };
  };
  for (const kind of DATED_KINDS) {
    for (const i of section[kind.section]) {
      const { title, due } = titleAndDue(kind, i);
      rows.push(dated(kind.code, i, title, due));
    }
  }
  // Risks: no date and never overdue; likelihood, impact and score as at the end.
  for (const r of section.risks) {
    const { likelihood, impact, score } = r;
    rows.push({ ...dated('risk', { ...r, overdueAtEnd: false }, r.title, null), overdueAtEnd: null, likelihood, impact, score });
  }
  return rows;
}

/** The parts of a period narrative, in the order a report shows them, with their names in the sheets. */
export const NARRATIVE_PARTS: readonly { key: 'summary' | 'results' | 'deviations' | 'nextSteps'; header: Texts }[] = [
  { key: 'summary', header: { en: 'Summary', sv: 'Sammanfattning' } },
  { key: 'results', header: { en: 'Results', sv: 'Resultat' } },
  { key: 'deviations', header: { en: 'Deviations', sv: 'Avvikelser' } },
  { key: 'nextSteps', header: { en: 'Next steps', sv: 'Nästa steg' } },
];

/**
 * The CSV rows of a cluster's period narrative, before its items: one per part that has text, of kind `narrative`,
 * the part's name as the title and its text in the comment column (the text a spreadsheet user reads beside the
 * items); none without a narrative, so that a report without one keeps its bytes.
 */
export function narrativeItems(section: AssembledSection, period: string, lang: ReportLanguage): SheetItem[] {
  const narrative = section.narrative;
  if (!narrative) return [];
  return NARRATIVE_PARTS.filter((part) => narrative[part.key] !== null).map((part) => ({
    period,
    cluster: section.cluster.name,
    region: section.cluster.region,
    kind: 'narrative',
    id: narrative.id,
    title: part.header[lang],
    horizon: null,
    statusAtStart: null,
    statusAtEnd: null,
    changes: null,
    createdInPeriod: null,
    stateAtEnd: null,
    dueDate: null,
    overdueAtEnd: null,
    likelihood: null,
    impact: null,
    score: null,
    indicatorUnit: null,
    baseline: null,
    target: null,
    latestValue: null,
    progressPercent: null,
    latestComment: narrative[part.key],
  }));
}

/** What the spreadsheet forms need beyond the JSON document. */
export interface SheetOptions {
  lang: ReportLanguage;
  /** The period's name in the sheet: `2026-Q3`, or `2026-07-01_2026-09-30` for from/to. */
  period: string;
}

/** The newest comment of each item as of the end of the period; empty when the document was built without them. */
export function commentsOf(document: Pick<ReportDocument, 'latestComments'>): ReadonlyMap<string, string> {
  return document.latestComments ?? new Map();
}
