import type { FieldShape, KindField } from './plan-item-kind.js';

/** A row of a kind's fields table: `column` shown as the API field `field`. */
export const field = (column: string, name: string, shape: FieldShape = 'as-is'): KindField => ({ column, field: name, shape });

/** The archive date, a field of every kind. */
export const ARCHIVED = field('archived_at', 'archivedAt', 'timestamp');
