import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { IndicatorDefinition } from '../indicators/indicator-definition.entity.js';
import { Goal } from './goal.entity.js';

/** A measured value of a goal's indicator. Append-only: a correction is a new measurement. */
@Entity('measurement')
@Index('ix_measurement__goal_id_measured_on', ['goalId', 'measuredOn', 'createdAt'])
@Index('ix_measurement__definition_id_goal_id', ['definitionId', 'goalId'])
export class Measurement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  goalId: string;

  @ManyToOne(() => Goal, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'goal_id' })
  goal?: Goal;

  /** The programme indicator its goal had adopted when it was recorded (null: the cluster's own indicator). */
  @Column({ type: 'uuid', nullable: true })
  definitionId: string | null;

  @ManyToOne(() => IndicatorDefinition, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'definition_id' })
  definition?: IndicatorDefinition;

  @Column({ type: 'numeric' })
  value: string;

  @Column({ type: 'date' })
  measuredOn: string;

  @Column({ type: 'varchar', length: 5000, nullable: true })
  comment: string | null;

  @Column({ type: 'varchar', length: 200 })
  author: string;

  @Column({ type: 'uuid', nullable: true })
  authorKeyId: string | null;

  @CreateDateColumn({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt: Date;
}
