import { PageOf } from '../../common/page.dto.js';
import { ApiProperty } from '@nestjs/swagger';
import { REVISION_KINDS, type RevisionKind } from '../revision.entity.js';

export class FieldChangeDto {
  /** The field, as in the resource; nested fields as `indicator.target`. */
  @ApiProperty({ example: 'dueDate' })
  field: string;

  /** The value before (null when unset, and for every field of a `created` revision). */
  @ApiProperty({ example: '2026-09-30', oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }] })
  from: unknown;

  /** The value after. */
  @ApiProperty({ example: '2026-12-15', oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }] })
  to: unknown;
}

export class RevisionResponse {
  /** The resource's version after this write (its ETag then). */
  @ApiProperty({ example: 3 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  recordedAt: string;

  /** The name of the API key that wrote it, as it was then. */
  @ApiProperty({ example: 'Findit process leader' })
  author: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  authorKeyId: string | null;

  /** `created`, `updated` (a PATCH), `status` (a status update) or `archived`. */
  @ApiProperty({ enum: REVISION_KINDS, enumName: 'RevisionKind', example: 'updated' })
  kind: RevisionKind;

  /** What changed, field by field; for `created`, every field it was created with. */
  @ApiProperty({ type: [FieldChangeDto] })
  changes: FieldChangeDto[];
}

/** A page of revisions, newest first. */
export const RevisionPage = PageOf(RevisionResponse, 'RevisionPage');
