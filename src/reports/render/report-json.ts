import { JsonText, type AssembledSection, type ReportDocument, type ReportSource } from '../report-document.js';
import { DATED_KINDS } from '../report-kinds.js';

/**
 * The members of an object as `"key":value` texts, in the object's order, as
 * `JSON.stringify` writes them (members whose value is undefined left out),
 * except that a `JsonText` is copied as it is.
 */
function members(fields: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out.push(`${JSON.stringify(key)}:${value instanceof JsonText ? value.json : JSON.stringify(value)}`);
  }
  return out;
}

function object(fields: Readonly<Record<string, unknown>>): string {
  return `{${members(fields).join(',')}}`;
}

function array(items: readonly Readonly<Record<string, unknown>>[]): JsonText {
  return new JsonText(`[${items.map(object).join(',')}]`);
}

function sectionJson(s: AssembledSection): string {
  return object({
    cluster: s.cluster,
    narrative: s.narrative,
    fundings: s.fundings,
    summary: s.summary,
    goals: array(s.goals),
    ...Object.fromEntries(DATED_KINDS.map((dated) => [dated.section, array(s[dated.section])])),
    risks: array(s.risks),
    actors: s.actors,
  });
}

function head(document: Pick<ReportDocument, 'head'>): string {
  return `{${[...members(document.head), '"clusters":['].join(',')}`;
}

/**
 * The report as the JSON document `ReportResponse`, in parts: the head, then
 * one part per cluster section, each item's changes written in place from the
 * JSON text PostgreSQL made of them. The parts joined are the document.
 */
export function* reportJson(document: ReportDocument): Generator<string> {
  yield head(document);
  let first = true;
  for (const section of document.sections) {
    yield first ? sectionJson(section) : `,${sectionJson(section)}`;
    first = false;
  }
  yield tail(document.indicatorTotals);
}

/**
 * The end of the document: the programme indicators added up, after the clusters, only when there are any, so that
 * a report of clusters that adopted none keeps the bytes it always had.
 */
function tail(indicatorTotals: readonly unknown[] | undefined): string {
  return indicatorTotals && indicatorTotals.length > 0 ? `],"indicatorTotals":${JSON.stringify(indicatorTotals)}}` : ']}';
}

/** The same parts as `reportJson`, written batch by batch as the sections are read. */
export async function* reportJsonStream(source: ReportSource): AsyncGenerator<string> {
  yield head(source);
  let first = true;
  let indicatorTotals: unknown[] | undefined;
  for await (const batch of source.batches) {
    for (const section of batch.sections) {
      yield first ? sectionJson(section) : `,${sectionJson(section)}`;
      first = false;
    }
    indicatorTotals = batch.indicatorTotals ?? indicatorTotals;
  }
  yield tail(indicatorTotals);
}
