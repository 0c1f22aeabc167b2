import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cluster } from '../clusters/cluster.entity.js';
import { Versioned } from '../database/versioned.entity.js';

/** The most a narrative's text may hold, per field. */
export const NARRATIVE_MAX = 10_000;

/**
 * A period's narrative (*lägesrapportens text*): what the cluster writes about a reporting period — what was
 * achieved, what deviated from the plan, what comes next. One per cluster and period, changed in place with a
 * revision of every version, so that a report as known at a moment carries the text as it stood then.
 */
@Entity('narrative')
@Index('uq_narrative__cluster_id_period', ['clusterId', 'period'], { unique: true })
export class Narrative extends Versioned {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => Cluster, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: Cluster;

  /** `2026`, `2026-H1` or `2026-Q3`. */
  @Column({ type: 'varchar', length: 10 })
  period: string;

  /** The period's first and last calendar day: what a report's period is matched with. */
  @Column({ type: 'date' })
  firstDay: string;

  @Column({ type: 'date' })
  lastDay: string;

  @Column({ type: 'varchar', length: NARRATIVE_MAX, nullable: true })
  summary: string | null;

  @Column({ type: 'varchar', length: NARRATIVE_MAX, nullable: true })
  results: string | null;

  @Column({ type: 'varchar', length: NARRATIVE_MAX, nullable: true })
  deviations: string | null;

  @Column({ type: 'varchar', length: NARRATIVE_MAX, nullable: true })
  nextSteps: string | null;
}
