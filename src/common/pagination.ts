import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

export function toBoolean({ value }: { value: unknown }): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/**
 * A whole number in a query string. Anything else, the empty string included,
 * is left as it came so that the integer check refuses it (`?offset=` is a 400,
 * not 0).
 */
export function toInteger({ value }: { value: unknown }): unknown {
  return typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
}

/** `limit` and `offset`, shared by every list. */
export class PageQueryDto {
  /** Page size. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  limit: number = DEFAULT_LIMIT;

  /** How many items to skip. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  @ApiProperty({ required: false, type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 })
  offset: number = 0;
}

/** A page of resources that can be archived. */
export class ListQueryDto extends PageQueryDto {
  /** Include archived items. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  @ApiProperty({ required: false, default: false })
  includeArchived: boolean = false;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * A sort key `field` or `-field` (descending), checked against the fields a list
 * allows, turned into a column and a direction.
 */
export interface SortOrder {
  column: string;
  direction: 'ASC' | 'DESC';
}

export function parseSort(sort: string | undefined, columns: Record<string, string>, fallback: string): SortOrder {
  const key = sort ?? fallback;
  const descending = key.startsWith('-');
  const field = descending ? key.slice(1) : key;
  const column = columns[field];
  if (!column) throw new Error(`unknown sort field ${field}`); // validated by the DTO before we get here
  return { column, direction: descending ? 'DESC' : 'ASC' };
}

/** The regular expression a `sort` parameter must match for the given fields. */
export function sortPattern(fields: readonly string[]): RegExp {
  return new RegExp(`^-?(${fields.join('|')})$`);
}
