import type { ObjectLiteral, Repository } from 'typeorm';

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
