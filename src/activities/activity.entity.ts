import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cluster } from '../clusters/cluster.entity.js';
import { Archivable } from '../database/versioned.entity.js';
import { Goal } from '../goals/goal.entity.js';
import { ITEM_STATES, type ItemState, STATUSES, type Status } from '../plan-items/traffic-light.js';

/** A planned piece of work in the action plan. */
@Entity('activity')
@Index('ix_activity__cluster_id_due_date', ['clusterId', 'dueDate'])
@Index('ix_activity__goal_id', ['goalId'])
@Check('ck_activity__due_date', `start_date IS NULL OR due_date IS NULL OR start_date <= due_date`)
export class Activity extends Archivable {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => Cluster, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: Cluster;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'varchar', length: 5000, nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  owner: string | null;

  @Column({ type: 'uuid', nullable: true })
  goalId: string | null;

  @ManyToOne(() => Goal, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'goal_id' })
  goal?: Goal;

  @Column({ type: 'date', nullable: true })
  startDate: string | null;

  @Column({ type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ type: 'enum', enum: ITEM_STATES, enumName: 'item_state', default: 'planned' })
  state: ItemState;

  @Column({ type: 'enum', enum: STATUSES, enumName: 'traffic_light', default: 'green' })
  status: Status;

  /** When it last became done; null unless done. */
  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
