import { DefaultNamingStrategy, type Table } from 'typeorm';

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const tableName = (t: Table | string) => (typeof t === 'string' ? t : t.name).split('.').pop()!;
const columns = (names: string[]) => names.map(snake).join('_');

/**
 * snake_case columns and readable constraint names: `pk_<table>`,
 * `fk_<table>__<column>`, `uq_<table>__<columns>`, `ix_<table>__<columns>`.
 * The problem-details filter reads the part after `__` to name the field a
 * violation is about.
 */
export class StyrmanNamingStrategy extends DefaultNamingStrategy {
  override columnName(propertyName: string, customName: string | undefined, embeddedPrefixes: string[]): string {
    return customName ?? snake([...embeddedPrefixes, propertyName].join('_'));
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snake(`${relationName}_${referencedColumnName}`);
  }

  override primaryKeyName(table: Table | string): string {
    return `pk_${tableName(table)}`;
  }

  override foreignKeyName(table: Table | string, columnNames: string[]): string {
    return `fk_${tableName(table)}__${columns(columnNames)}`;
  }

  override uniqueConstraintName(table: Table | string, columnNames: string[]): string {
    return `uq_${tableName(table)}__${columns(columnNames)}`;
  }

  override indexName(table: Table | string, columnNames: string[], where?: string): string {
    return `ix_${tableName(table)}__${columns(columnNames)}${where ? '_partial' : ''}`;
  }

  override relationConstraintName(table: Table | string, columnNames: string[]): string {
    return `uq_${tableName(table)}__${columns(columnNames)}`;
  }
}
