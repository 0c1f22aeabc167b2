import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cluster } from '../clusters/cluster.entity.js';
import { Archivable } from '../database/versioned.entity.js';
import { IndicatorDefinition } from '../indicators/indicator-definition.entity.js';
import { STATUSES, type Status } from '../plan-items/traffic-light.js';

export const HORIZONS = ['short_term', 'long_term'] as const;
export type Horizon = (typeof HORIZONS)[number];
export const PERSPECTIVES = ['business', 'public_sector', 'academia'] as const;
export type Perspective = (typeof PERSPECTIVES)[number];

/** A target the indicator should reach by a date, on the way to the goal's target. */
export interface IndicatorMilestone {
  on: string;
  target: number;
}

/** A goal: a short-term result or a long-term effect, usually measured by an indicator. */
@Entity('goal')
@Index('ix_goal__cluster_id', ['clusterId'])
@Index('ix_goal__contributes_to_goal_id', ['contributesToGoalId'])
@Check(
  'ck_goal__indicator',
  `(indicator_unit IS NULL) = (indicator_baseline IS NULL) AND (indicator_unit IS NULL) = (indicator_target IS NULL)`,
)
@Check('ck_goal__indicator_definition_id', `indicator_definition_id IS NULL OR indicator_unit IS NOT NULL`)
@Index('ix_goal__indicator_definition_id', ['indicatorDefinitionId'])
@Check('ck_goal__contributes_to_goal_id', `contributes_to_goal_id IS NULL OR (horizon = 'short_term' AND contributes_to_goal_id <> id)`)
export class Goal extends Archivable {
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

  @Column({ type: 'enum', enum: HORIZONS, enumName: 'goal_horizon' })
  horizon: Horizon;

  @Column({ type: 'enum', enum: PERSPECTIVES, enumName: 'goal_perspective', nullable: true })
  perspective: Perspective | null;

  /** The long-term goal (effect) this short-term goal (result) contributes to. */
  @Column({ type: 'uuid', nullable: true })
  contributesToGoalId: string | null;

  @ManyToOne(() => Goal, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contributes_to_goal_id' })
  contributesToGoal?: Goal;

  @Column({ type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  indicatorUnit: string | null;

  /** Exact decimals: numeric, read back as strings. */
  @Column({ type: 'numeric', nullable: true })
  indicatorBaseline: string | null;

  @Column({ type: 'numeric', nullable: true })
  indicatorTarget: string | null;

  /** Targets on the way, in date order: `[{ on, target }]`; null when there are none. */
  @Column({ type: 'jsonb', nullable: true })
  indicatorMilestones: IndicatorMilestone[] | null;

  /** The programme indicator the goal's indicator adopts (its unit is the definition's); null for the cluster's own. */
  @Column({ type: 'uuid', nullable: true })
  indicatorDefinitionId: string | null;

  @ManyToOne(() => IndicatorDefinition, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'indicator_definition_id' })
  indicatorDefinition?: IndicatorDefinition;

  @Column({ type: 'enum', enum: STATUSES, enumName: 'traffic_light', default: 'green' })
  status: Status;
}
