import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Archivable } from '../database/versioned.entity.js';

export const PHASES = ['initiation', 'mobilisation', 'formation', 'organisation'] as const;
export type Phase = (typeof PHASES)[number];

@Entity('cluster')
// Unique on nameKey among clusters that are not archived (a partial index, written in the migration).
@Index('uq_cluster__name', { synchronize: false })
@Check('ck_cluster__update_cadence_days', `update_cadence_days BETWEEN 1 AND 365`)
export class Cluster extends Archivable {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** The name folded for comparison (foldName): two clusters that are not archived never share it. */
  @Column({ type: 'varchar', length: 1000 })
  nameKey: string;

  @Index('ix_cluster__region')
  @Column({ type: 'varchar', length: 200 })
  region: string;

  @Column({ type: 'enum', enum: PHASES, enumName: 'cluster_phase' })
  phase: Phase;

  @Column({ type: 'varchar', length: 200, nullable: true })
  focusArea: string | null;

  @Column({ type: 'varchar', length: 5000, nullable: true })
  vision: string | null;

  @Column({ type: 'varchar', length: 5000, nullable: true })
  purpose: string | null;

  @Column({ type: 'boolean', default: false })
  publicBadge: boolean;

  /** Days an item may go without a status update before it is `stale` (GET /needs-update). */
  @Column({ type: 'integer', default: 30 })
  updateCadenceDays: number;
}
