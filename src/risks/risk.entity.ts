import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cluster } from '../clusters/cluster.entity.js';
import { Archivable } from '../database/versioned.entity.js';
import { Goal } from '../goals/goal.entity.js';
import { RISK_STATES, type RiskState, STATUSES, type Status } from '../plan-items/traffic-light.js';

/** What can go wrong, why, and how it is handled: an entry of a cluster's risk register. */
@Entity('risk')
@Index('ix_risk__cluster_id_score', ['clusterId', 'score'])
@Index('ix_risk__goal_id', ['goalId'])
@Check('ck_risk__likelihood', `likelihood BETWEEN 1 AND 5`)
@Check('ck_risk__impact', `impact BETWEEN 1 AND 5`)
@Check('ck_risk__score', `score = likelihood * impact`)
export class Risk extends Archivable {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => Cluster, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: Cluster;

  /** What can go wrong. */
  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** Why it could happen. */
  @Column({ type: 'varchar', length: 5000, nullable: true })
  cause: string | null;

  /** How it is handled. */
  @Column({ type: 'varchar', length: 5000, nullable: true })
  response: string | null;

  /** 1 (rare) to 5 (almost certain). */
  @Column({ type: 'smallint' })
  likelihood: number;

  /** 1 (minor) to 5 (threatens the initiative). */
  @Column({ type: 'smallint' })
  impact: number;

  /** likelihood × impact: read-only, set by a trigger on every insert and update (and checked). */
  @Column({ type: 'smallint', insert: false, update: false })
  score: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  owner: string | null;

  @Column({ type: 'uuid', nullable: true })
  goalId: string | null;

  @ManyToOne(() => Goal, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'goal_id' })
  goal?: Goal;

  @Column({ type: 'enum', enum: RISK_STATES, enumName: 'risk_state', default: 'open' })
  state: RiskState;

  @Column({ type: 'enum', enum: STATUSES, enumName: 'traffic_light', default: 'green' })
  status: Status;
}
