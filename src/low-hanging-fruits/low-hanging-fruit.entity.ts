import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cluster } from '../clusters/cluster.entity.js';
import { Archivable } from '../database/versioned.entity.js';
import { Goal } from '../goals/goal.entity.js';
import { ITEM_STATES, type ItemState, STATUSES, type Status } from '../plan-items/traffic-light.js';

/** A quick win: what, when, how. `done` means it has been taken. */
@Entity('low_hanging_fruit')
@Index('ix_low_hanging_fruit__cluster_id_when_date', ['clusterId', 'when'])
@Index('ix_low_hanging_fruit__goal_id', ['goalId'])
export class LowHangingFruit extends Archivable {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => Cluster, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: Cluster;

  @Column({ type: 'varchar', length: 200 })
  what: string;

  /** The date it is to be taken by. */
  @Column({ type: 'date', name: 'when_date' })
  when: string;

  @Column({ type: 'varchar', length: 5000, nullable: true })
  how: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  owner: string | null;

  @Column({ type: 'uuid', nullable: true })
  goalId: string | null;

  @ManyToOne(() => Goal, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'goal_id' })
  goal?: Goal;

  @Column({ type: 'enum', enum: ITEM_STATES, enumName: 'item_state', default: 'planned' })
  state: ItemState;

  @Column({ type: 'enum', enum: STATUSES, enumName: 'traffic_light', default: 'green' })
  status: Status;

  /** When it was taken (became done); null unless done. */
  @Column({ type: 'timestamptz', nullable: true })
  completedAt: Date | null;
}
