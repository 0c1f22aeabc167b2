import type { DataSource } from 'typeorm';
import { transaction } from '../../database/transaction-context.js';
import type { ReportPeriod } from './period.js';
import type { DatedSection } from '../report-document.js';
import { DATED_KINDS } from '../report-kinds.js';
import type {
  ChangesRow,
  FundingRow,
  GoalRow,
  ItemRow,
  LatestCommentRow,
  NarrativeRow,
  ReplansRow,
  ReportsRepository,
} from './reports.repository.js';
import type { ActorCountRow, RisksActorsRepository, RiskRow } from './risks-actors.repository.js';

/** Every row a report is made of, read in one snapshot: the dated items with a state by their section. */
export interface ReportRows extends Record<DatedSection, ItemRow[]> {
  fundings: FundingRow[];
  goals: GoalRow[];
  risks: RiskRow[];
  actorCounts: ActorCountRow[];
  changes: ChangesRow[];
  replans: ReplansRow[];
  narratives: NarrativeRow[];
  /** Read only for the spreadsheet forms. */
  latestComments?: LatestCommentRow[];
}

/** The settings a report's transaction starts with. */
export const REPORT_WORK_MEM = `SET LOCAL work_mem = '64MB'`;

/**
 * Reads the sections of the clusters `ids` over the period in one REPEATABLE READ
 * snapshot on one connection, so that a report never mixes the state before and
 * after a concurrent write. `fundingsOf` keeps the fundings of one funder only.
 */
export function readReportRows(
  dataSource: DataSource,
  repository: ReportsRepository,
  ids: string[],
  period: ReportPeriod,
  fundingsOf: string | null,
  risksActors: RisksActorsRepository,
  withComments = false,
): Promise<ReportRows> {
  return transaction(
    dataSource,
    async (manager) => {
      // The changes of a large portfolio are tens of thousands of rows to sort: in memory, not on disk.
      await manager.query(REPORT_WORK_MEM);
      return readRows(repository, risksActors, ids, period, fundingsOf, withComments);
    },
    'REPEATABLE READ',
  );
}

/** The rows of the clusters `ids`, read in the current transaction (`db()`): nine statements, or ten with comments. */
export async function readRows(
  repository: ReportsRepository,
  risksActors: RisksActorsRepository,
  ids: string[],
  period: ReportPeriod,
  fundingsOf: string | null,
  withComments = false,
): Promise<ReportRows> {
  return {
    fundings: await repository.fundings(ids, period, fundingsOf),
    goals: await repository.goals(ids, period),
    ...(await readDated(repository, ids, period)),
    risks: await risksActors.risks(ids, period),
    actorCounts: await risksActors.actorCounts(ids, period),
    changes: await repository.changes(ids, period),
    replans: await repository.replans(ids, period),
    narratives: await repository.narratives(ids, period),
    ...(withComments ? { latestComments: await repository.latestComments(ids, period) } : {}),
  };
}

/** The dated items with a state of every kind a report lists that way, by section: one statement per kind. */
async function readDated(repository: ReportsRepository, ids: string[], period: ReportPeriod): Promise<Record<DatedSection, ItemRow[]>> {
  const rows: Partial<Record<DatedSection, ItemRow[]>> = {};
  for (const dated of DATED_KINDS) rows[dated.section] = await repository.datedItems(dated, ids, period);
  return rows as Record<DatedSection, ItemRow[]>;
}

/** What one field of a row adds to a batch beyond its text: the object and its slot (an estimate). */
const FIELD_BYTES = 16;

/**
 * The bytes the rows of a batch hold, estimated from their texts (the change lists, comments, titles and
 * narratives that make a report large) plus a little per field: what a batch costs in memory while it is
 * written, in the same unit as `REPORT_BATCH_KB`.
 */
export function rowsBytes(rows: ReportRows): number {
  let bytes = 0;
  for (const list of Object.values(rows) as (object[] | undefined)[]) {
    for (const row of list ?? []) {
      for (const value of Object.values(row)) {
        bytes += FIELD_BYTES;
        if (typeof value === 'string') bytes += value.length;
        else if (Array.isArray(value)) bytes += value.length * 4 * FIELD_BYTES;
      }
    }
  }
  return bytes;
}

/**
 * How many clusters each batch of a report reads: the first batch one cluster, each next one as many as fit in
 * `budget` bytes at the bytes per cluster of the batches read before it, between 1 and `maxClusters`. A single
 * cluster larger than the budget is still read whole (a section is never split). With `lag` > 1 (batches read on
 * that many connections at once), batch k is sized from batches 0 … k − lag only, those read by the time its
 * connection is free: the batches are then the same however the reads interleave.
 */
export class BatchSizer {
  private readonly batches: { clusters: number; bytes: number }[] = [];

  constructor(
    private readonly budget: number,
    private readonly maxClusters: number,
    private readonly lag = 1,
  ) {}

  /** The clusters of batch `index`, once batches 0 … index − lag have been read. */
  size(index: number): number {
    let clusters = 0;
    let bytes = 0;
    for (const batch of this.batches.slice(0, Math.max(0, index - this.lag + 1))) {
      clusters += batch.clusters;
      bytes += batch.bytes;
    }
    if (clusters === 0) return 1;
    const perCluster = Math.max(1, bytes / clusters);
    return Math.max(1, Math.min(this.maxClusters, Math.floor(this.budget / perCluster)));
  }

  read(index: number, clusters: number, bytes: number): void {
    this.batches[index] = { clusters, bytes };
  }
}
