import { type Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** Builds the OpenAPI class of a page of `item`: `{ items, total, limit, offset }`. */
export function PageOf<T>(item: Type<T>, name: string): Type<{ items: T[]; total: number; limit: number; offset: number }> {
  class PageDto {
    @ApiProperty({ type: [item] })
    items: T[];

    /** Items matching the filters, on every page. */
    @ApiProperty({ example: 1 })
    total: number;

    @ApiProperty({ example: 50 })
    limit: number;

    @ApiProperty({ example: 0 })
    offset: number;
  }
  Object.defineProperty(PageDto, 'name', { value: name });
  return PageDto;
}
