import { dayOf } from '../../common/calendar.js';
import type { ReportDocument } from '../report-document.js';
import { DATED_KINDS } from '../report-kinds.js';
import { codeText, NARRATIVE_PARTS } from './report-sheet.js';
import {
  column,
  kindSheetName,
  SHEET_NAMES,
  STATUS_FILLS,
  T,
  tail,
  tailCells,
  type Texts,
  type WorkbookColumn,
  type WorkbookContext,
  type WorkbookRow,
  type WorkbookSheet,
} from './report-workbook-model.js';

/** The sheets that open the workbook: the summary, the narratives and the fundings. */

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
        { name: kindSheetName('goal'), counts: s.summary.goals, completed: null, overdue: null, high: null },
        ...DATED_KINDS.map((dated) => {
          const counts = s.summary[dated.section];
          return { name: kindSheetName(dated.code), counts, completed: counts.completed, overdue: counts.overdue, high: null };
        }),
        { name: kindSheetName('risk'), counts: s.summary.risks, completed: null, overdue: null, high: s.summary.risks.highRisks },
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
