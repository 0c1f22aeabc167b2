import type { Type } from '@nestjs/common';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Where } from '../common/sql.js';
import type { PlanListQueryDto } from './dto/plan-query.dto.js';
import type { PlanItemState, Status, SubjectType } from './traffic-light.js';

/** How a stored column is shown in the API: as stored (text, booleans, dates), a JSON number, or an ISO timestamp. */
export type FieldShape = 'as-is' | 'number' | 'timestamp';

/** A column of a kind's table and the API field it is shown as (`indicator.target` for nested ones). */
export interface KindField {
  column: string;
  field: string;
  shape?: FieldShape;
}

/** What a kind is called in one language. */
export interface KindNames {
  one: string;
  the: string;
  many: string;
}

/** A row as PostgreSQL returns it: column names, not property names. */
export type Row = Record<string, unknown>;

/** What every item of a plan has: a cluster, a traffic light, a version, an archive date. */
export interface PlanItem extends ObjectLiteral {
  id: string;
  clusterId: string;
  status: Status;
  version: number;
  archivedAt: Date | null;
  /** Kinds with a state (activities, fruits, risks), from the kind's own set. */
  state?: PlanItemState;
  /** Kinds whose state has a `done` (activities, fruits). */
  completedAt?: Date | null;
}

/** What every create body of a plan item carries besides its own fields. */
export interface PlanItemCreate {
  status?: Status;
  state?: PlanItemState;
  statusComment?: string;
}

/** What every status-update body carries: the light, its comment and, for kinds with states, a new state. */
export interface PlanItemStatusChange {
  status: Status;
  comment?: string;
  state?: PlanItemState;
}

/**
 * The states of a kind that has them, declared by the kind: activities and
 * fruits are planned → ongoing → done / cancelled, risks open → mitigated /
 * occurred / closed. The engine records every change of state in the history.
 */
export interface PlanItemStates {
  /** Every state of the kind (its request bodies validate against the same list). */
  values: readonly PlanItemState[];
  /** The state of a new item when the create body names none. */
  initial: PlanItemState;
  /** The state that sets `completed_at` (kinds with that column); none for kinds without it. */
  done?: PlanItemState;
}

/**
 * What a rule of a kind sees: the values about to be written (for a change,
 * only the fields sent), the item as stored (none on create), its cluster,
 * and the transaction to read in.
 */
export interface RuleContext<T extends PlanItem> {
  manager: EntityManager;
  clusterId: string;
  values: Row;
  current?: T;
}

/**
 * A rule of a kind, checked before every create and change: throws a 422
 * naming the field. (Written as a method type so that a kind's rules fit
 * wherever a kind of any item fits.)
 */
export type PlanItemRule<T extends PlanItem> = { check(context: RuleContext<T>): Promise<void> | void }['check'];

/** How the routes and the OpenAPI document speak of a kind. */
export interface PlanItemRoutes {
  /** The path segment of one item: `activities` in `/activities/{activityId}`. */
  path: string;
  /** The name of the id in the path: `activityId`. */
  param: string;
  /** The class name the operation ids have always had: `ActivitiesController`. */
  operationPrefix: string;
  /** "an activity", in summaries. */
  anItem: string;
  /** "the activity", in descriptions (short: "the fruit"). */
  theItem: string;
  /** "activity", for the 404. */
  notFound: string;
  /** What the document says of the kind in its own words. */
  docs: {
    /** The schema name of a page of them: `ActivityPage`. */
    page: string;
    /** The description of its tag (its path), in the document's list of tags. */
    tag: string;
    /** "the activities", in "List the activities of a cluster". */
    all: string;
    /** "activities", in "archived activities stay readable". */
    allShort: string;
    /** The description of adding one: who may, and what is recorded. */
    create: string;
    /** The 422s of adding one. */
    createRules: string;
    /** What a change does, after who may make it. */
    update: string;
    /** The 422s of a change. */
    updateRules: string;
    /** What archiving does, after who may. */
    archive: string;
  };
}

/**
 * A kind of plan item (goal, activity, low-hanging fruit, and next risk,
 * actor): everything the engine needs to know about it. The engine does the
 * rest — reads with the caller's visibility, lists with the shared filters,
 * create with the first history entry, change under If-Match, status updates,
 * archive, history — the same way for every kind.
 */
export interface PlanItemKind<T extends PlanItem, R, C extends PlanItemCreate = PlanItemCreate, U extends object = object> {
  entity: EntityTarget<T>;
  /** Its table; queries name it `i`. */
  table: string;
  subjectType: SubjectType;
  /** "The activity", for messages. */
  label: string;
  /**
   * Its names in the languages reports and emails are written in: one item (`activity`, `aktivitet`: a report's
   * codes, a grid's rows), one named in an email's sentence (`activity`, `aktiviteten`), and many as a heading or a
   * sheet's title (`Activities`, `Aktiviteter`).
   */
  names: Record<'en' | 'sv', KindNames>;
  /**
   * Its fields table: each stored column that is an API field, with its field and shape, in the order its
   * revisions, events and plan changes list them (status, state and archive date included; version and
   * timestamps are bookkeeping).
   */
  fields: readonly KindField[];
  /**
   * How a report shows it, for kinds a report lists as dated items with a state (activities, fruits; goals and
   * risks have report sections of their own): the columns of its fields table an item of its section shows before
   * its state, in order, among its search column (the item's title), `goal_id` and its due column.
   */
  report?: { columns: readonly string[] };
  /** The columns whose changes (by `PATCH`) a report lists as replans, in the order it lists them (none: never replanned). */
  replanned?: readonly string[];
  /**
   * Whether its lights count in a cluster's badge (`GET /clusters/{clusterId}/badge.svg`), which shows how the plan
   * is going: yes unless declared false (risks: a risk's light says how the risk stands, not the plan).
   */
  inBadge?: boolean;
  /** Its states, for kinds that have one (goals have none). */
  states?: PlanItemStates;
  /** The due-date and title columns, for `dueBefore` / `dueAfter` / `overdue` and `q` (no due date: no due filters). */
  columns: { due?: string; search: string };
  /** The `sort` fields of its list and their columns, and the default field. */
  sort: { columns: Record<string, string>; default: string };
  /** Filters of its own list beyond the shared ones, on alias `i`. */
  filters?(where: Where, query: PlanListQueryDto): void;
  /**
   * What a response needs beyond the row: more select expressions and joins on alias `i` (goals: latest measurement,
   * contributors); `asOf`: as they were at the instant `:asOf`.
   */
  read?(asOf: boolean): { columns: string; joins: string };
  /** The values of a new item from its create body (clusterId, status and state are the engine's). */
  createValues(dto: C): Row;
  /** The values a change writes (default: the fields sent). */
  updateValues?(dto: U): Row;
  /** Its rules (date order, goal references, effect logic), in the order they are checked. */
  rules: PlanItemRule<T>[];
  /** The response body of a row; `today` is what overdue is measured against. */
  toResponse(row: Row, today: string): R;
  /** Its request classes (validated and documented) and its response class. */
  dtos: { create: Type<C>; update: Type<U>; list: Type<PlanListQueryDto>; statusUpdate: Type<unknown> };
  response: Type<R>;
  routes: PlanItemRoutes;
}

/** A kind without its type parameters, for code that only reads its description. */
export type AnyPlanItemKind = PlanItemKind<PlanItem, unknown>;
