import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/**
 * A report, a submitted report or a status grid with a UUID and any query (`[\s\S]`: the pattern needs no flag, as the
 * document states it); the rest is checked when the link is made.
 */
export const REPORT_PATH_PATTERN = String.raw`^/api/v1/((clusters|funders)/${UUID}/(report|status-grid)|report-submissions/${UUID}/report)([?][\s\S]*)?$`;

const PATH_SHAPES =
  '/api/v1/clusters/{clusterId}/report, /api/v1/funders/{funderId}/report, /api/v1/report-submissions/{submissionId}/report, ' +
  '/api/v1/clusters/{clusterId}/status-grid or /api/v1/funders/{funderId}/status-grid, with its query';

export class CreateReportLinkDto {
  /**
   * What to share, as you would GET it, with `/api/v1`: a report (`/clusters/{clusterId}/report`,
   * `/funders/{funderId}/report`), a submitted report (`/report-submissions/{submissionId}/report`) or a status grid
   * (`/clusters/{clusterId}/status-grid`, `/funders/{funderId}/status-grid`), with that route's own query parameters
   * only. The link opens exactly this one resource in this one format (JSON when no `format`).
   */
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(new RegExp(REPORT_PATH_PATTERN), { message: `path must be ${PATH_SHAPES}` })
  @ApiProperty({
    example: '/api/v1/funders/5b1f0c6e-8f47-4d2a-9c3b-2f6a1e0d7c41/report?period=2026-Q3&format=csv',
    maxLength: 2000,
    pattern: REPORT_PATH_PATTERN,
  })
  path: string;
}

export class ReportLinkResponse {
  /** The link's id, to revoke it with `DELETE /reports/links/{id}`. */
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** Opens the report without a key (a browser, a spreadsheet's "from web"). Shown once: only its hash is kept. */
  @ApiProperty({ example: 'https://styrman.example/api/v1/reports/shared/srl_R2q…' })
  url: string;

  /** 7 days after creation. */
  @ApiProperty({ format: 'date-time' })
  expiresAt: string;
}

export class ReportLinkInfo {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** The report the link opens, as it was made canonical (parameters in a fixed order). */
  @ApiProperty({ example: '/api/v1/funders/5b1f0c6e-8f47-4d2a-9c3b-2f6a1e0d7c41/report?period=2026-Q3&format=csv' })
  path: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  /** When it was revoked; null while it works (or until it expires). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt: string | null;
}
