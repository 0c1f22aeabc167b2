import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { AS_OF_PATTERN } from '../../revisions/as-of.js';
import { IsText, NotNullIfPresent, PERIOD_PATTERN } from '../../common/validators.js';
import { REPORT_LANGUAGES, type ReportLanguage } from '../../reports/render/report-languages.js';
import { SUBMISSION_STATES, type SubmissionState } from '../report-submission.entity.js';

/** A year, half or quarter of a year from 1900 to 2999, as reports take them. */

export class CreateReportSubmissionDto {
  /** The funder the report is for: it must fund the cluster in the period (as the fundings stood at its end), else 422. */
  @IsUUID()
  @ApiProperty({ format: 'uuid', example: '0b8c6a8e-2f7d-4c7e-9d57-3a1f0c2b9e41' })
  funderId: string;

  /** A year, half or quarter that has ended: `2026`, `2026-H2`, `2026-Q3`. Give either `period`, or `from` and `to` (400 for both). */
  @NotNullIfPresent()
  @IsString()
  @Matches(new RegExp(PERIOD_PATTERN), { message: 'period must look like 2026, 2026-H2 or 2026-Q3 (a year from 1900 to 2999)' })
  @ApiProperty({ required: false, pattern: PERIOD_PATTERN, maxLength: 10, example: '2026-Q3' })
  period?: string;

  /** A calendar day (whole days in REPORT_TIME_ZONE) or an ISO 8601 timestamp with a zone; with `to`. */
  @NotNullIfPresent()
  @IsString()
  @Matches(AS_OF_PATTERN, { message: 'from must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with a time zone' })
  @ApiProperty({ required: false, pattern: AS_OF_PATTERN.source, maxLength: 32, example: '2026-07-01' })
  from?: string;

  /** Inclusive; the period must have ended (422 otherwise). With `from`. */
  @NotNullIfPresent()
  @IsString()
  @Matches(AS_OF_PATTERN, { message: 'to must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with a time zone' })
  @ApiProperty({ required: false, pattern: AS_OF_PATTERN.source, maxLength: 32, example: '2026-09-30' })
  to?: string;

  /** A note to the funder. */
  @NotNullIfPresent()
  @IsText()
  @ApiProperty({ required: false, maxLength: 5000, example: 'Q3 report; the member survey was moved to October.' })
  comment?: string;
}

export class AcknowledgeSubmissionDto {
  /** A note to the cluster (a receipt, *mottagningsbekräftelse*). */
  @NotNullIfPresent()
  @IsText()
  @ApiProperty({ required: false, maxLength: 5000, example: 'Received, thank you.' })
  comment?: string;
}

export class ReturnSubmissionDto {
  /** What to complete (*komplettering*); required. */
  @IsText()
  @IsDefined({ message: 'comment is required: say what the cluster should complete' })
  @ApiProperty({ maxLength: 5000, example: 'Please add the indicator values for the member survey.' })
  comment: string;
}

export class ListReportSubmissionsQueryDto extends PageQueryDto {
  /** Only submissions in this state, e.g. `submitted`: a funder's inbox. */
  @IsOptional()
  @IsIn(SUBMISSION_STATES)
  @ApiProperty({ required: false, enum: SUBMISSION_STATES, enumName: 'SubmissionState' })
  state?: SubmissionState;

  /** Only submissions of this period name, e.g. `2026-Q3`. */
  @IsOptional()
  @IsString()
  @Matches(new RegExp(PERIOD_PATTERN), { message: 'period must look like 2026, 2026-H2 or 2026-Q3 (a year from 1900 to 2999)' })
  @ApiProperty({ required: false, pattern: PERIOD_PATTERN, maxLength: 10 })
  period?: string;
}

export class ListClusterSubmissionsQueryDto extends ListReportSubmissionsQueryDto {
  /** Only submissions to this funder. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, format: 'uuid' })
  funderId?: string;
}

export class ListFunderSubmissionsQueryDto extends ListReportSubmissionsQueryDto {
  /** Only submissions of this cluster. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, format: 'uuid' })
  clusterId?: string;
}

export class SubmittedReportQueryDto {
  /** `json` (the stored bytes, the default), `csv` or `xlsx` (rendered from the stored JSON); wins over the Accept header. */
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  @ApiProperty({ required: false, enum: ['json', 'csv', 'xlsx'] })
  format?: 'json' | 'csv' | 'xlsx';

  /** CSV only: `semicolon` for Excel with Swedish settings. */
  @IsOptional()
  @IsIn(['comma', 'semicolon'])
  @ApiProperty({ required: false, enum: ['comma', 'semicolon'], default: 'comma' })
  delimiter?: 'comma' | 'semicolon';

  /** CSV and XLSX: the language of headers and values; wins over Accept-Language. */
  @IsOptional()
  @IsIn(REPORT_LANGUAGES)
  @ApiProperty({ required: false, enum: REPORT_LANGUAGES })
  lang?: ReportLanguage;
}

export class ReportSubmissionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  @ApiProperty({ format: 'uuid' })
  funderId: string;

  /** The period as submitted (`2026-Q3`); null when submitted with from and to. */
  @ApiProperty({ type: String, nullable: true, example: '2026-Q3' })
  period: string | null;

  /** The period's first instant. */
  @ApiProperty({ format: 'date-time', example: '2026-06-30T22:00:00.000Z' })
  from: string;

  /** The period's last instant (inclusive). */
  @ApiProperty({ format: 'date-time', example: '2026-09-30T21:59:59.999Z' })
  to: string;

  /**
   * The period's first calendar day in REPORT_TIME_ZONE (as submitted): the day a person would write. The frozen
   * report itself keeps its period as the instants `from` and `to`, the bytes it was submitted with.
   */
  @ApiProperty({ type: String, format: 'date', example: '2026-07-01' })
  fromDate: string;

  /** The period's last calendar day in REPORT_TIME_ZONE (as submitted), inclusive. */
  @ApiProperty({ type: String, format: 'date', example: '2026-09-30' })
  toDate: string;

  @ApiProperty({ enum: SUBMISSION_STATES, enumName: 'SubmissionState', example: 'submitted' })
  state: SubmissionState;

  @ApiProperty({ example: 1 })
  version: number;

  /** SHA-256 (hex) of the frozen JSON report: its ETag at GET …/report. */
  @ApiProperty({ example: '9f2c4e1b7a0d3c5e8f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6', pattern: '^[0-9a-f]{64}$' })
  sha256: string;

  @ApiProperty({ format: 'date-time' })
  submittedAt: string;

  /**
   * The moment up to which recordings count in the frozen report: measurements with `measuredOn` in the period
   * recorded by then, and the period's narrative as it stood then. The submission itself (`submittedAt`); for
   * submissions made before Styrman knew `knownAt`, the end of the period (`to`), which is what they were built with.
   * `late-entries` lists what was recorded after it.
   */
  @ApiProperty({ format: 'date-time', example: '2026-08-14T09:30:00.000Z' })
  knownAt: string;

  /** The name of the key that submitted. */
  @ApiProperty({ example: 'Findit process leader' })
  submittedBy: string;

  @ApiProperty({ type: String, nullable: true, example: 'Q3 report; the member survey was moved to October.' })
  comment: string | null;

  /** The returned submission this one supersedes. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  previousSubmissionId: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  decidedAt: string | null;

  /** The name of the key that acknowledged or returned it. */
  @ApiProperty({ type: String, nullable: true, example: 'Vinnova officer' })
  decidedBy: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Received, thank you.' })
  decisionComment: string | null;
}

/** A submission in a list: with the cluster's name, for a funder's inbox. */
export class ReportSubmissionListItem extends ReportSubmissionResponse {
  /**
   * The cluster's name as it is now, so that a renamed cluster is found under the name people use today; the
   * frozen report keeps the name it had when the report was made.
   */
  @ApiProperty({ example: 'Findit' })
  clusterName: string;
}

export class LateEntryResponse {
  /** The measurement's id. */
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  goalId: string;

  /** The goal's title now. */
  @ApiProperty({ example: 'Member firms' })
  goalTitle: string;

  @ApiProperty({ example: 42 })
  value: number;

  @ApiProperty({ type: String, format: 'date', example: '2026-09-15' })
  measuredOn: string;

  @ApiProperty({ type: String, nullable: true, example: 'Late count from the autumn survey.' })
  comment: string | null;

  /** When it was recorded: after the submission. */
  @ApiProperty({ format: 'date-time' })
  recordedAt: string;

  @ApiProperty({ example: 'Findit process leader' })
  author: string;
}

export const SUBMISSION_DUE_STATES = ['missing', 'submitted', 'returned', 'acknowledged'] as const;
export type SubmissionDueState = (typeof SUBMISSION_DUE_STATES)[number];

export class SubmissionDueResponse {
  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  /**
   * The cluster's name as it is now, so that a renamed cluster is found under the name people use today; the
   * frozen report keeps the name it had when the report was made.
   */
  @ApiProperty({ example: 'Findit' })
  clusterName: string;

  @ApiProperty({ format: 'uuid' })
  funderId: string;

  /** The funding the period is due for. */
  @ApiProperty({ format: 'uuid' })
  fundingId: string;

  /** An ended period of the funder's reportingPeriod that overlaps the funding. */
  @ApiProperty({ example: '2026-Q3' })
  period: string;

  @ApiProperty({ type: String, format: 'date', example: '2026-07-01' })
  from: string;

  @ApiProperty({ type: String, format: 'date', example: '2026-09-30' })
  to: string;

  /** The day the report is due: the funder's `reportDueDays` after `to`. */
  @ApiProperty({ type: String, format: 'date', example: '2026-10-30' })
  dueOn: string;

  /** `missing` when nothing was submitted; otherwise the state of the newest submission for the period. */
  @ApiProperty({ enum: SUBMISSION_DUE_STATES, enumName: 'SubmissionDueState', example: 'missing' })
  state: SubmissionDueState;

  /** The newest submission for the period; null when missing. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  submissionId: string | null;
}

export class SubmissionsDueQueryDto extends PageQueryDto {
  /** Only periods in this state, e.g. `missing`: what is still to be submitted. */
  @IsOptional()
  @IsIn(SUBMISSION_DUE_STATES)
  @ApiProperty({ required: false, enum: SUBMISSION_DUE_STATES, enumName: 'SubmissionDueState' })
  state?: SubmissionDueState;
}
