import type { IndicatorTotalsItem } from '../indicators/dto/indicator-totals-item.dto.js';
import type { ReportClusterSection, ReportGoal, ReportResponse, ReportRisk } from './dto/report.dto.js';

/** A value already written as JSON text, which the report writer copies as it is. */
export class JsonText {
  constructor(readonly json: string) {}
}

/**
 * An item's changes in the period: how many there were, and the JSON array the
 * report sends, as PostgreSQL wrote it (`json_agg`). The text is written into
 * the document as it is; it never becomes objects in Node.
 */
export class ChangeList extends JsonText {
  static readonly NONE = new ChangeList(0, '[]');

  constructor(
    readonly count: number,
    json: string,
  ) {
    super(json);
  }
}

/** An item's replans in the period, as the JSON array the report sends, as PostgreSQL wrote it. */
export class ReplanList extends JsonText {
  static readonly NONE = new ReplanList('[]');
}

/** A report item with its changes and replans still as PostgreSQL's JSON text; its fields in the order the report writes them. */
export type Assembled<T extends { changes: unknown }> = {
  [K in keyof T]: K extends 'changes' ? ChangeList : K extends 'replanned' ? ReplanList : T[K];
};

export type AssembledGoal = Assembled<ReportGoal>;
export type AssembledRisk = Assembled<ReportRisk>;

/** A list of a section: of items carrying their change lists, or anything else as it is. */
type AssembledList<L> = L extends readonly (infer I extends { changes: unknown })[] ? Assembled<I>[] : L;

/** A cluster's section of the report, its items carrying their change lists. */
export type AssembledSection = { [K in keyof ReportClusterSection]: AssembledList<ReportClusterSection[K]> };

/**
 * The sections of a cluster that list dated items with a state (those whose items are completed and overdue), as
 * the contract names them: one per kind a report lists that way (`report-kinds.ts`).
 */
export type DatedSection = {
  [K in keyof ReportClusterSection]-?: ReportClusterSection[K] extends readonly { completedInPeriod: boolean }[] ? K : never;
}[keyof ReportClusterSection];

/** A dated item with a state of a report (an activity, a fruit). */
export type AssembledDated = AssembledSection[DatedSection][number];

/** What comes before the sections: the period, whether it has ended, and the funder of a funder report. */
export type ReportHead = Omit<ReportResponse, 'clusters'>;

/**
 * A report written out: its text in parts, in order (the parts joined are the
 * body; a workbook is one binary part). Sent as a stream, part by part.
 */
export type ReportParts = Iterable<string | Buffer> | AsyncIterable<string | Buffer>;

/** A report ready to be written as JSON or CSV. */
export interface ReportDocument {
  head: ReportHead;
  sections: AssembledSection[];
  /** The programme indicators of the report's clusters added up; absent when there are none. */
  indicatorTotals?: IndicatorTotalsItem[];
  /** The spreadsheet forms only (CSV, XLSX): the newest comment of each item as of the end of the period, by item id. */
  latestComments?: ReadonlyMap<string, string>;
}

/** Some clusters' sections of a report, read together; the batches of a report, in order, are its sections. */
export interface ReportBatch {
  sections: AssembledSection[];
  /** The last batch only: the programme indicators of the report's clusters added up (absent when there are none). */
  indicatorTotals?: IndicatorTotalsItem[];
  /** The spreadsheet forms only: the newest comment of each item of these sections as of the end of the period. */
  latestComments?: ReadonlyMap<string, string>;
}

/** A report as it is read: its head, then its sections batch by batch (read from PostgreSQL as they are written). */
export interface ReportSource {
  head: ReportHead;
  batches: AsyncIterable<ReportBatch> | Iterable<ReportBatch>;
}

/** A whole report as a source of one batch. */
export function sourceOf(document: ReportDocument): ReportSource {
  return { head: document.head, batches: [document] };
}
