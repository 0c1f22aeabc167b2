import type { ReportDocument } from '../report-document.js';
import { ITEM_KINDS } from './report-sheet.js';
import { actorsSheet, itemSheet, milestonesSheet } from './report-workbook-items.js';
import { changesSheet, replansSheet } from './report-workbook-history.js';
import { indicatorsSheet } from './report-workbook-indicators.js';
import type { WorkbookContext, WorkbookSheet } from './report-workbook-model.js';
import { fundingsSheet, narrativeSheet, summarySheet } from './report-workbook-overview.js';

/**
 * What the funder's workbook holds, sheet by sheet, apart from how a workbook is written: each sheet is its columns
 * and its rows, made by one function (report-workbook-overview.ts, -indicators.ts, -items.ts, -history.ts; report-workbook-model.ts
 * says what a sheet is), so that the writer (report-xlsx.ts) only lays them out and prints them.
 */

export {
  STATUS_FILLS,
  wallClock,
  type WorkbookColumn,
  type WorkbookContext,
  type WorkbookSheet,
  type WorkbookValue,
  workbookContext,
} from './report-workbook-model.js';

/**
 * Every sheet of the workbook, in order, each made when it is asked for: the writer writes one sheet's rows before the
 * next sheet's are made, so only one sheet is held at a time.
 */
export function* workbookSheets(document: ReportDocument, context: WorkbookContext): Generator<WorkbookSheet> {
  const [goals, ...others] = ITEM_KINDS;
  yield summarySheet(document, context);
  yield narrativeSheet(document, context);
  yield fundingsSheet(document, context);
  // Only when the report has programme indicators added up: a workbook without them keeps its bytes.
  const indicators = indicatorsSheet(document, context);
  if (indicators !== null) yield indicators;
  yield itemSheet(goals, document, context);
  yield milestonesSheet(document, context);
  for (const kind of others) yield itemSheet(kind, document, context);
  yield actorsSheet(document, context);
  yield replansSheet(document, context);
  yield changesSheet(document, context);
}
