import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Archivable } from '../database/versioned.entity.js';
import { Funder } from '../funders/funder.entity.js';

/** How the clusters' values of an indicator add up: a sum of numbers, or the distinct organisations counted once. */
export const AGGREGATIONS = ['sum', 'organisations'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** What an `organisations` indicator breaks down by. */
export const BREAKDOWNS = ['enterprise_size'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** The EU's enterprise sizes (Recommendation 2003/361/EC). */
export const ENTERPRISE_SIZES = ['micro', 'small', 'medium', 'large'] as const;
export type EnterpriseSize = (typeof ENTERPRISE_SIZES)[number];

/**
 * A programme indicator: what a funder (or, with no funder, everyone: the EU's
 * common indicators) asks every cluster to measure the same way, so that the
 * clusters' values can be added up. Goals adopt it; once one has, what it
 * measures (`code`, `unit`, `aggregation`, `breakdown`) is frozen.
 */
@Entity('indicator_definition')
@Index('uq_indicator_definition__code', ['funderId', 'code'], { unique: true })
export class IndicatorDefinition extends Archivable {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 5000, nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 200 })
  unit: string;

  @Column({ type: 'enum', enum: AGGREGATIONS, enumName: 'indicator_aggregation' })
  aggregation: Aggregation;

  @Column({ type: 'enum', enum: BREAKDOWNS, enumName: 'indicator_breakdown', nullable: true })
  breakdown: Breakdown | null;

  /** The funder that owns it; null for a common definition. */
  @Column({ type: 'uuid', nullable: true })
  funderId: string | null;

  @ManyToOne(() => Funder, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'funder_id' })
  funder?: Funder;

  /** Shipped with Styrman (the EU's common indicators): read-only for everyone. */
  @Column({ type: 'boolean', default: false })
  shipped: boolean;

  /** Set when a goal first adopts it, never cleared: from then on what it measures cannot change. */
  @Column({ type: 'timestamptz', nullable: true })
  adoptedAt: Date | null;
}
