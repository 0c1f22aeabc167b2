import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { Actor } from '../actors/actor.entity.js';
import { toActorResponse } from '../actors/actors.mapper.js';
import { Cluster } from '../clusters/cluster.entity.js';
import { toClusterResponse } from '../clusters/dto/cluster.mapper.js';
import { rowToEntity } from '../common/sql.js';
import { toFundingResponse } from '../funders/dto/funders.mapper.js';
import { Funding } from '../funders/funding.entity.js';
import { Measurement } from '../goals/measurement.entity.js';
import { toMeasurementResponse } from '../goals/measurements.mapper.js';
import { PLAN_ITEM_KINDS } from '../plan-item-kinds.js';
import type { PlanItem, PlanItemKind, Row } from '../plan-items/plan-item-kind.js';
import { diff } from '../revisions/diff.js';
import type { RevisionSubject } from '../revisions/revision.entity.js';
import { fieldsOf, parseState, SUBJECTS } from '../revisions/subjects.js';
import { ReportSubmission } from '../report-submissions/report-submission.entity.js';
import { toReportSubmissionResponse } from '../report-submissions/dto/report-submissions.mapper.js';
import { IndicatorDefinition } from '../indicators/indicator-definition.entity.js';
import { toIndicatorDefinitionResponse } from '../indicators/indicator-definitions.mapper.js';

/** A revision on a page of the feed: what the page query reads of it. */
export interface EventRow {
  position: string;
  xid: string;
  event_id: string;
  type: string;
  subject_type: string;
  subject_id: string;
  cluster_id: string | null;
  version: number;
  author: string;
  recorded_at: Date;
  state: string;
  previous: string | null;
}

type Mapper = (row: Row, day: string) => unknown;

/**
 * How a revision's state becomes the resource in the shape of its GET. The
 * state is the row as stored (`to_jsonb` of it), so `jsonb_populate_record`
 * gives back exactly the row a GET reads, typed as the table's columns, and
 * the resource's own mapper makes the response. Plan items whose response
 * reads more than their row (a goal's latest measurement and contributors)
 * read it as of the revision's time, with the same SQL as `?asOf=`.
 */
/** How a kind of resource is read as it was in a revision: its table, and what its GET reads beside its row. */
export interface ResourceRead {
  table: string;
  read?: { columns: string; joins: string };
}

interface DataShape extends ResourceRead {
  map(dataSource: DataSource): Mapper;
}

const planItem = (kind: PlanItemKind<PlanItem, unknown>): DataShape => {
  const read = kind.read?.(true);
  return {
    table: kind.table,
    map: () => (row, day) => kind.toResponse(row, day),
    // `:asOf` in the kind's as-of SQL becomes the time of each revision (alias `ev`).
    read: read && { columns: read.columns.replaceAll(':asOf', 'ev.recorded_at'), joins: read.joins.replaceAll(':asOf', 'ev.recorded_at') },
  };
};

const entity = <E extends ObjectLiteral>(table: string, target: EntityTarget<E>, toResponse: (e: E) => unknown): DataShape => ({
  table,
  map: (dataSource) => {
    const repo = dataSource.getRepository(target);
    return (row) => toResponse(rowToEntity(repo, row));
  },
});

const SHAPES: Partial<Record<string, DataShape>> = {
  ...Object.fromEntries(PLAN_ITEM_KINDS.map((kind) => [kind.subjectType, planItem(kind)])),
  actor: entity('actor', Actor, toActorResponse),
  measurement: entity('measurement', Measurement, toMeasurementResponse),
  // Who funds a cluster is told by funding events; a cluster event carries the cluster's own fields.
  cluster: entity('cluster', Cluster, (c: Cluster) => toClusterResponse(c, [])),
  funding: entity('funding', Funding, toFundingResponse),
  report_submission: entity('report_submission', ReportSubmission, toReportSubmissionResponse),
  indicator_definition: entity('indicator_definition', IndicatorDefinition, toIndicatorDefinitionResponse),
};

/** How the resources of a subject type are read as they were in its revisions (for `npm run sql`'s examples). */
export function resourceRead(type: string): ResourceRead {
  const shape = SHAPES[type];
  if (!shape) throw new Error(`No event data shape for ${type}`);
  return { table: shape.table, read: shape.read };
}

/** Reads the resources of one kind as they were in the revisions at the positions (EventsRepository.resources). */
export type ReadResources = (shape: ResourceRead, positions: string[]) => Promise<(Row & { ev_position: string; ev_recorded_at: Date })[]>;

function camel(key: string): string {
  return key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * The `data` of each event of a page (by position): the resource after the
 * change, with `changes`. One query per kind of resource on the page.
 */
export async function eventData(
  dataSource: DataSource,
  rows: readonly EventRow[],
  dayOf: (instant: Date) => string,
  readResources: ReadResources,
): Promise<Map<string, Record<string, unknown>>> {
  const data = new Map<string, Record<string, unknown>>();
  const byType = new Map<string, EventRow[]>();
  for (const row of rows) byType.set(row.subject_type, [...(byType.get(row.subject_type) ?? []), row]);
  for (const [type, group] of byType) {
    const shape = SHAPES[type];
    const responses = new Map<string, unknown>();
    if (shape) {
      const map = shape.map(dataSource);
      const resources = await readResources(
        shape,
        group.map((r) => r.position),
      );
      for (const r of resources) responses.set(r.ev_position, map(r, dayOf(r.ev_recorded_at)));
    }
    const subject = SUBJECTS[type as RevisionSubject] as (typeof SUBJECTS)[RevisionSubject] | undefined;
    for (const row of group) {
      const state = parseState(row.state);
      // A subject without a mapper here shows its stored fields in camelCase.
      const resource =
        (responses.get(row.position) as Record<string, unknown> | undefined) ??
        Object.fromEntries(Object.entries(state).map(([k, v]) => [camel(k), v]));
      const changes = subject
        ? diff(row.previous === null ? undefined : fieldsOf(subject, parseState(row.previous)), fieldsOf(subject, state))
        : [];
      data.set(row.position, { ...resource, changes });
    }
  }
  return data;
}
