import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { ItemChange } from '../plan/plan-changes.dto.js';

export class CompareSubmissionsQueryDto {
  /** The other submission, e.g. the one a funder returned (from GET /api/v1/clusters/{clusterId}/report-submissions): same cluster and funder (422 otherwise). */
  @IsUUID()
  @ApiProperty({ format: 'uuid', required: true })
  with: string;
}

/** One side of a comparison of submissions. */
export class ComparedSubmission {
  @ApiProperty({ format: 'uuid' })
  submissionId: string;

  @ApiProperty({ type: String, nullable: true, example: '2026-Q3' })
  period: string | null;

  @ApiProperty({ format: 'date-time' })
  from: string;

  @ApiProperty({ format: 'date-time' })
  to: string;

  @ApiProperty({ format: 'date-time' })
  submittedAt: string;

  /** The moment up to which recordings (measurements, the narrative) count in its report. */
  @ApiProperty({ format: 'date-time' })
  knownAt: string;

  /** The SHA-256 of its frozen report. */
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', example: '3b1f0c2b9e41d57a8e2f7d4c7e9d573a1f0c2b9e41d57a8e2f7d4c7e9d573a1f' })
  sha256: string;
}

export class SubmissionComparisonResponse {
  /** The earlier side: the submission whose period ends first (of two for the same period, the one submitted first). */
  @ApiProperty({ type: ComparedSubmission })
  from: ComparedSubmission;

  /** The later side. */
  @ApiProperty({ type: ComparedSubmission })
  to: ComparedSubmission;

  /**
   * Every item (the cluster, goals, activities, low-hanging fruits, risks) whose fields differ between the two frozen reports,
   * field by field as the reports show them (`statusAtEnd`, `indicator.latestValue`, `milestones.2026-06-30.actual`; the period's
   * narrative as the cluster's `narrative.summary`, `narrative.results`, …), with the
   * item's revisions recorded after the earlier report's period ended and by the end of the later one's.
   */
  @ApiProperty({ type: [ItemChange] })
  items: ItemChange[];
}
