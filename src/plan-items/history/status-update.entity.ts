import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cluster } from '../../clusters/cluster.entity.js';
import { PLAN_ITEM_STATES, type PlanItemState, STATUSES, type Status, SUBJECT_TYPES, type SubjectType } from '../traffic-light.js';

/**
 * One entry of the history of a goal, activity, low-hanging fruit or risk: every
 * change of its status or state. Append-only: a trigger refuses UPDATE and
 * DELETE. The item's current status and state always equal its newest entry.
 *
 * "Status of X at T" and "changes of a cluster in [from, to]" are each one
 * index range scan: (subject_id, created_at, seq) and (cluster_id, created_at).
 */
@Entity('status_update')
@Index('ix_status_update__subject_id_created_at', ['subjectId', 'createdAt', 'seq'])
@Index('ix_status_update__cluster_id_created_at', ['clusterId', 'createdAt'])
// (cluster_id, created_at) INCLUDE (subject_id), for GET /needs-update: written in its migration (TypeORM cannot say INCLUDE).
@Index('ix_status_update__cluster_id_created_at_subject_id', { synchronize: false })
export class StatusUpdate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Total order of entries, also between entries with the same timestamp. */
  @Index('uq_status_update__seq', { unique: true })
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS' })
  seq: string;

  @Column({ type: 'enum', enum: SUBJECT_TYPES, enumName: 'subject_type' })
  subjectType: SubjectType;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => Cluster, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: Cluster;

  @Column({ type: 'enum', enum: STATUSES, enumName: 'traffic_light' })
  status: Status;

  /** Kinds with a state only (activities, fruits, risks), from that kind's own set. */
  @Column({ type: 'enum', enum: PLAN_ITEM_STATES, enumName: 'plan_item_state', nullable: true })
  state: PlanItemState | null;

  @Column({ type: 'varchar', length: 5000, nullable: true })
  comment: string | null;

  /** The name of the key that made the change, as it was then. */
  @Column({ type: 'varchar', length: 200 })
  author: string;

  @Column({ type: 'uuid', nullable: true })
  authorKeyId: string | null;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt: Date;
}
