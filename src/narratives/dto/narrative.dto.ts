import { ApiProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { IsText } from '../../common/validators.js';
import { IsAsOf } from '../../revisions/as-of.js';
import { NARRATIVE_MAX } from '../narrative.entity.js';

export const PERIOD_PATTERN = '^\\d{4}(-(Q[1-4]|H[12]))?$';

const EXAMPLE = {
  summary:
    'Findit har under första halvåret 2026 gått från mobilisering till formering: styrgruppen är på plats och handlingsplanen antagen.',
  results:
    'Medlemsenkäten genomfördes i juni (31 svar). Två gemensamma innovationsprojekt startade. Antalet medlemsföretag ökade från 24 till 31.',
  deviations:
    'Studieresan till Kalmar SP sköts upp till hösten eftersom budgeten för resor inte räckte; aktiviteten är röd med en ny plan.',
  nextSteps:
    'Under andra halvåret: intressentanalysen av inre och yttre kärna, en matchmakingträff med Högskolan i Gävle och ansökan till Vinnväxt.',
};

/**
 * The whole narrative of a period: every field optional (absent or null: no text), each up to 10 000 characters,
 * line breaks kept. A PUT replaces the narrative: a field left out is cleared.
 */
export class PutNarrativeDto {
  /** The period in a few sentences: what a funder reads first. */
  @IsOptional()
  @IsText(NARRATIVE_MAX)
  @ApiProperty({ required: false, nullable: true, maxLength: NARRATIVE_MAX, example: EXAMPLE.summary })
  summary?: string | null;

  /** What was achieved: results against the goals, with figures. */
  @IsOptional()
  @IsText(NARRATIVE_MAX)
  @ApiProperty({ required: false, nullable: true, maxLength: NARRATIVE_MAX, example: EXAMPLE.results })
  results?: string | null;

  /** What deviated from the plan, and why. */
  @IsOptional()
  @IsText(NARRATIVE_MAX)
  @ApiProperty({ required: false, nullable: true, maxLength: NARRATIVE_MAX, example: EXAMPLE.deviations })
  deviations?: string | null;

  /** What comes next. */
  @IsOptional()
  @IsText(NARRATIVE_MAX)
  @ApiProperty({ required: false, nullable: true, maxLength: NARRATIVE_MAX, example: EXAMPLE.nextSteps })
  nextSteps?: string | null;
}

/** A period's narrative. */
export class NarrativeResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  /** The reporting period it is about. */
  @ApiProperty({ pattern: PERIOD_PATTERN, example: '2026-H1' })
  period: string;

  /** The period's first calendar day. */
  @ApiProperty({ format: 'date', example: '2026-01-01' })
  from: string;

  /** The period's last calendar day (inclusive). */
  @ApiProperty({ format: 'date', example: '2026-06-30' })
  to: string;

  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.summary })
  summary: string | null;

  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.results })
  results: string | null;

  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.deviations })
  deviations: string | null;

  @ApiProperty({ type: String, nullable: true, example: EXAMPLE.nextSteps })
  nextSteps: string | null;

  @ApiProperty({ example: 3 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

/** A page of narratives, newest period first; `asOf` as for other lists. */
export class ListNarrativesQueryDto extends PageQueryDto {
  @IsAsOf()
  asOf?: string;
}

/** The example body of a PUT, for Swagger UI. */
export const NARRATIVE_EXAMPLE = EXAMPLE;
