import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Cluster } from '../clusters/cluster.entity.js';
import { Versioned } from '../database/versioned.entity.js';
import { Funder } from '../funders/funder.entity.js';

export const SUBMISSION_STATES = ['submitted', 'acknowledged', 'returned'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

/**
 * A cluster's report handed to a funder for a period. The row is what
 * changes (its state, by the funder's decision); the report itself is frozen
 * in `SubmittedReport`. At most one submission per cluster, funder and period
 * is live (submitted or acknowledged): the partial unique index decides
 * between concurrent submissions, not a check before the insert.
 */
@Entity('report_submission')
@Check('ck_report_submission__known_at', `known_at >= period_to`)
@Index('uq_report_submission__period', ['clusterId', 'funderId', 'periodFrom', 'periodTo'], {
  unique: true,
  where: `state IN ('submitted', 'acknowledged')`,
})
@Index('ix_report_submission__funder_id_state', ['funderId', 'state'])
@Index('ix_report_submission__cluster_id_funder_id', ['clusterId', 'funderId'])
export class ReportSubmission extends Versioned {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => Cluster, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: Cluster;

  @Column({ type: 'uuid' })
  funderId: string;

  @ManyToOne(() => Funder, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'funder_id' })
  funder?: Funder;

  /** `2026-Q3` when submitted with a period; null when with from and to. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  period: string | null;

  /** The period's first instant (inclusive). */
  @Column({ type: 'timestamptz' })
  periodFrom: Date;

  /** The period's last instant (inclusive). */
  @Column({ type: 'timestamptz' })
  periodTo: Date;

  /** The calendar days of the period in REPORT_TIME_ZONE: what late entries' measuredOn is compared with. */
  @Column({ type: 'date' })
  firstDay: string;

  @Column({ type: 'date' })
  lastDay: string;

  @Column({ type: 'enum', enum: SUBMISSION_STATES, enumName: 'report_submission_state', default: 'submitted' })
  state: SubmissionState;

  /** SHA-256 of the frozen JSON report, hex. */
  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  submittedAt: Date;

  /**
   * The moment up to which recordings count in the frozen report (measurements, the narrative): the submission
   * itself; for submissions made before knownAt existed, the end of the period, which is what they were built with.
   */
  @Column({ type: 'timestamptz' })
  knownAt: Date;

  /** The name of the key that submitted, as it was then. */
  @Column({ type: 'varchar', length: 200 })
  submittedBy: string;

  @Column({ type: 'uuid', nullable: true })
  submittedByKeyId: string | null;

  @Column({ type: 'varchar', length: 5000, nullable: true })
  comment: string | null;

  /** The returned submission this one supersedes. */
  @Column({ type: 'uuid', nullable: true })
  previousSubmissionId: string | null;

  @ManyToOne(() => ReportSubmission, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'previous_submission_id' })
  previousSubmission?: ReportSubmission;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  decidedBy: string | null;

  @Column({ type: 'uuid', nullable: true })
  decidedByKeyId: string | null;

  @Column({ type: 'varchar', length: 5000, nullable: true })
  decisionComment: string | null;
}

/**
 * The report as submitted: the exact bytes of the JSON cluster report, and
 * the latest comment of each item (which the CSV and XLSX forms add and the
 * JSON does not hold), frozen with it. Append-only (a trigger refuses UPDATE,
 * DELETE and TRUNCATE), and a check keeps the hash true to the bytes.
 */
@Entity('submitted_report')
@Check('ck_submitted_report__sha256', `sha256 = encode(sha256(body), 'hex')`)
export class SubmittedReport {
  @PrimaryColumn({ type: 'uuid' })
  submissionId: string;

  @ManyToOne(() => ReportSubmission, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'submission_id' })
  submission?: ReportSubmission;

  @Column({ type: 'bytea' })
  body: Buffer;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  /** Item id → its newest comment as of the end of the period. */
  @Column({ type: 'jsonb' })
  latestComments: Record<string, string>;
}
