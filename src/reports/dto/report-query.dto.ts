import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { AS_OF_PATTERN } from '../../revisions/as-of.js';
import { REPORT_LANGUAGES, type ReportLanguage } from '../render/report-languages.js';
import { PERIOD_PATTERN } from '../../common/validators.js';

export class ReportQueryDto {
  /**
   * A calendar day (whole days in REPORT_TIME_ZONE) or an exact ISO 8601 timestamp with a zone, from 1900-01-01 to 2999-12-31
   * (outside: 400, never clamped), e.g. `2026-07-01`. With `to`. Give either `period`, or `from` and `to`: never both (400).
   */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @ApiProperty({ required: false, maxLength: 40, pattern: AS_OF_PATTERN.source })
  from?: string;

  /**
   * Inclusive: a day counts whole, e.g. `2026-09-30`. From 1900-01-01 to 2999-12-31 (outside: 400, never clamped); at most REPORT_MAX_DAYS
   * calendar days (3660 by default) after `from`, both ends counted. With `from`. Give either `period`, or `from` and `to`: never
   * both (400).
   */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @ApiProperty({ required: false, maxLength: 40, pattern: AS_OF_PATTERN.source })
  to?: string;

  /** A year, half or quarter: `2026`, `2026-H2`, `2026-Q3`, of a year from 1900 to 2999. Give either `period`, or `from` and `to`: never both (400). */
  @IsOptional()
  @IsString()
  @MaxLength(10)
  @ApiProperty({ required: false, pattern: PERIOD_PATTERN, maxLength: 10 })
  period?: string;

  /**
   * The moment up to which recordings count: measurements with `measuredOn` in the period (for latest values: on or
   * before `to`) recorded by then, and the period's narrative as it stood then. An ISO 8601 timestamp with a zone, or a
   * calendar day meaning its end in REPORT_TIME_ZONE (today: now), e.g. `2026-12-06`. `to` ≤ `knownAt` ≤ now, else 400;
   * only once the period has ended (400 while it runs). Default: `to` (now while the period runs) — the report as it
   * has always been, byte for byte. Plan fields, statuses, states and fundings stay as they were at `to`. A report
   * for a period and a `knownAt` in the past is the same on every pull, byte for byte.
   */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(AS_OF_PATTERN, { message: 'knownAt must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with a time zone' })
  @ApiProperty({ required: false, maxLength: 40, pattern: AS_OF_PATTERN.source })
  knownAt?: string;

  /** `json`, `csv` or `xlsx` (an Excel workbook); wins over the Accept header. */
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  @ApiProperty({ required: false, enum: ['json', 'csv', 'xlsx'] })
  format?: 'json' | 'csv' | 'xlsx';

  /** CSV only: `semicolon` for Excel with Swedish settings. */
  @IsOptional()
  @IsIn(['comma', 'semicolon'])
  @ApiProperty({ required: false, enum: ['comma', 'semicolon'], default: 'comma' })
  delimiter?: 'comma' | 'semicolon';

  /**
   * CSV and XLSX: the language of headers and values (`sv`: `grön`/`gul`/`röd`, `resultat`/`effekt`, …); wins over
   * Accept-Language. English by default. JSON is always in codes.
   */
  @IsOptional()
  @IsIn(REPORT_LANGUAGES)
  @ApiProperty({ required: false, enum: REPORT_LANGUAGES })
  lang?: ReportLanguage;
}
