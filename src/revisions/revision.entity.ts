import { Column, Entity, Generated, Index, PrimaryGeneratedColumn } from 'typeorm';
import { SUBJECT_TYPES } from '../plan-items/traffic-light.js';

/** Every kind of resource that has revisions: the clusters, every kind of plan item, and the rest. */
export const REVISION_SUBJECTS = [
  'cluster',
  ...SUBJECT_TYPES,
  'measurement',
  'actor',
  'funder',
  'funding',
  'report_submission',
  'narrative',
  'indicator_definition',
] as const;
export type RevisionSubject = (typeof REVISION_SUBJECTS)[number];

export const REVISION_KINDS = ['created', 'updated', 'status', 'archived'] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

/**
 * One version of a resource: its full state after a write, appended in the
 * write's transaction. Append-only: a trigger refuses UPDATE, DELETE and
 * TRUNCATE.
 *
 * "State of X as of T" is one index lookup on (subject_id, recorded_at,
 * position); "the revisions of a cluster in [from, to]" one range scan on
 * (cluster_id, recorded_at). `position` and `xid` are what a gap-free feed of
 * changes needs: a total order, and the transaction that wrote the row (to
 * hold back positions whose transaction may still be in progress).
 */
@Entity('revision')
@Index('ix_revision__subject_id_recorded_at', ['subjectId', 'recordedAt', 'position'])
@Index('ix_revision__cluster_id_recorded_at', ['clusterId', 'recordedAt'])
// The replans of a report: only the `updated` revisions (a PATCH), a few among the status ones.
@Index('ix_revision__cluster_id_recorded_at_updated', ['clusterId', 'recordedAt'], { where: `"kind" = 'updated'` })
@Index('ix_revision__xid_position', ['xid', 'position'])
export class Revision {
  /** Total order of revisions, also between revisions with the same timestamp. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  position: string;

  /** `pg_current_xact_id()` of the writing transaction (an xid8, stored as bigint). */
  @Column({ type: 'bigint' })
  xid: string;

  /** The id of the event this revision is in the events feed (and the `webhook-id` of its deliveries). */
  @Column({ type: 'uuid' })
  @Generated('uuid')
  eventId: string;

  @Column({ type: 'enum', enum: REVISION_SUBJECTS, enumName: 'revision_subject' })
  subjectType: RevisionSubject;

  @Column({ type: 'uuid' })
  subjectId: string;

  /** The cluster it belongs to (a cluster's own id for a cluster); null for funders. */
  @Column({ type: 'uuid', nullable: true })
  clusterId: string | null;

  /** The resource's version after the write (1 for measurements, which never change). */
  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'enum', enum: REVISION_KINDS, enumName: 'revision_kind' })
  kind: RevisionKind;

  /** The row as stored after the write (`to_jsonb` of it: column names, exact numerics). */
  @Column({ type: 'jsonb' })
  state: Record<string, unknown>;

  /** The name of the key that wrote it, as it was then. */
  @Column({ type: 'varchar', length: 200 })
  author: string;

  @Column({ type: 'uuid', nullable: true })
  authorKeyId: string | null;

  /** When it was written, to the millisecond (as the API writes it), so that asOf = recordedAt includes it. */
  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  recordedAt: Date;
}
