import type { EntityManager, ObjectLiteral, Repository } from 'typeorm';
import { poolQuery } from '../database/pool-query.js';

/** Escapes `%`, `_` and `\` for a LIKE pattern with ESCAPE '\'. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Turns a raw row (from `RETURNING *`) into an entity of the repository. */
export function rowToEntity<T extends ObjectLiteral>(repo: Repository<T>, row: Record<string, unknown>): T {
  const entity = repo.create() as Record<string, unknown>;
  for (const column of repo.metadata.columns) {
    if (column.databaseName in row) entity[column.propertyName] = row[column.databaseName];
  }
  return entity as T;
}

/** The first row a `RETURNING` query gave, if any. */
export function firstRow(raw: unknown): Record<string, unknown> | undefined {
  return Array.isArray(raw) ? (raw[0] as Record<string, unknown> | undefined) : undefined;
}

/**
 * Runs SQL written with TypeORM's named parameters (`:id`, `:...ids`), so that
 * hand-written read queries and query-builder conditions share one style.
 * Outside a transaction the statement goes to the pool directly (`poolQuery`).
 */
export async function namedQuery<T = Record<string, unknown>>(
  manager: EntityManager,
  sql: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const [query, values] = manager.connection.driver.escapeQueryWithParameters(sql, params);
  return poolQuery<T>(manager, query, values);
}

/** A WHERE clause built from optional filters, with TypeORM-style named parameters. */
export class Where {
  private readonly clauses: string[] = [];
  readonly params: Record<string, unknown> = {};

  add(sql: string, params: Record<string, unknown> = {}): this {
    this.clauses.push(sql);
    Object.assign(this.params, params);
    return this;
  }

  /** Adds the condition only when the filter was given. */
  when(value: unknown, sql: string, params: Record<string, unknown>): this {
    return value === undefined || value === null ? this : this.add(sql, params);
  }

  get sql(): string {
    return this.clauses.length > 0 ? this.clauses.join(' AND ') : 'TRUE';
  }
}

/** A condition with its named parameters (a `Where`, or one built by hand). */
export interface Condition {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Lists count their total with `count(*) OVER ()` in the page query itself; an
 * empty page cannot carry it, so only then is the total counted apart: zero
 * on the first page, the real count when the page lies past the end.
 */
export async function countPastEnd(manager: EntityManager, from: string, where: Condition, offset: number): Promise<number> {
  if (offset === 0) return 0;
  const [row] = await namedQuery<{ n: string }>(manager, `SELECT count(*) AS n FROM ${from} WHERE ${where.sql}`, where.params);
  return Number(row?.n ?? 0);
}

/** What one page of a list reads: its columns, its rows (`from`, with `where`), their order. */
export interface PageQuery {
  columns: string;
  from: string;
  where: Condition;
  orderBy: string;
  /** The rows to count when the page lies past the end, if `from` joins what only the columns need (default `from`). */
  countFrom?: string;
}

/**
 * One page of a list and its total: one statement, with the total counted by
 * `count(*) OVER ()` beside the rows (a second statement only for an empty page
 * past the end, see `countPastEnd`). Each row keeps its `total_count`.
 */
export async function pageRows<T extends object>(
  manager: EntityManager,
  query: PageQuery,
  page: { limit: number; offset: number },
): Promise<{ rows: (T & { total_count: string })[]; total: number }> {
  const rows = await namedQuery<T & { total_count: string }>(
    manager,
    `SELECT ${query.columns}, count(*) OVER () AS total_count FROM ${query.from} WHERE ${query.where.sql}
     ORDER BY ${query.orderBy} LIMIT :limit OFFSET :offset`,
    { ...query.where.params, limit: page.limit, offset: page.offset },
  );
  const total =
    rows.length > 0 ? Number(rows[0].total_count) : await countPastEnd(manager, query.countFrom ?? query.from, query.where, page.offset);
  return { rows, total };
}
