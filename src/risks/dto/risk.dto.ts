import { ApiHideProperty, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { sortPattern, toInteger } from '../../common/pagination.js';
import { IsName, IsText, NotNullIfPresent, StatusForbidden } from '../../common/validators.js';
import { StatusListQueryDto } from '../../plan-items/dto/plan-query.dto.js';
import { RISK_STATES, type RiskState, STATUSES, type Status } from '../../plan-items/traffic-light.js';

/** Likelihood and impact are whole numbers from 1 (rare, minor) to 5 (almost certain, threatens the initiative). */
function OneToFive(): PropertyDecorator {
  return (target, key) => {
    IsInt()(target, key);
    Min(1)(target, key);
    Max(5)(target, key);
  };
}

export class CreateRiskDto {
  /** What can go wrong. */
  @IsName()
  @ApiProperty({ example: 'The key firms lose interest before the cluster has shown results', maxLength: 200 })
  title: string;

  /** Why it could happen. */
  @IsOptional()
  @IsText()
  @ApiProperty({
    required: false,
    nullable: true,
    maxLength: 5000,
    example: 'No consensus on what the cluster is for; the firms see no benefit in the first year.',
  })
  cause?: string | null;

  /** How it is handled. */
  @IsOptional()
  @IsText()
  @ApiProperty({
    required: false,
    nullable: true,
    maxLength: 5000,
    example: 'Agree the vision with the inner core first; one visible quick win before the summer.',
  })
  response?: string | null;

  /** From 1 (rare) to 5 (almost certain). */
  @OneToFive()
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 3 })
  likelihood: number;

  /** From 1 (minor) to 5 (threatens the initiative). */
  @OneToFive()
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 5 })
  impact: number;

  /** Who watches it. */
  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, nullable: true, maxLength: 200, example: 'Process leader' })
  owner?: string | null;

  /** The goal of the same cluster the risk threatens. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'uuid' })
  goalId?: string | null;

  @NotNullIfPresent()
  @IsIn(RISK_STATES)
  @ApiProperty({ required: false, enum: RISK_STATES, enumName: 'RiskState', default: 'open' })
  state?: RiskState;

  /** The first traffic light (default green). */
  @NotNullIfPresent()
  @IsIn(STATUSES)
  @ApiProperty({ required: false, enum: STATUSES, enumName: 'Status', default: 'green' })
  status?: Status;

  /** Why the first light is what it is; required for yellow and red. */
  @NotNullIfPresent()
  @IsText()
  @ApiProperty({ required: false, maxLength: 5000 })
  statusComment?: string;
}

/** Only the fields sent change; `null` clears an optional one. A change of state is recorded in the history. */
export class UpdateRiskDto {
  @NotNullIfPresent()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  title?: string;

  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000 })
  cause?: string | null;

  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000 })
  response?: string | null;

  @NotNullIfPresent()
  @OneToFive()
  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: 5, example: 2 })
  likelihood?: number;

  @NotNullIfPresent()
  @OneToFive()
  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: 5, example: 4 })
  impact?: number;

  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, nullable: true, maxLength: 200 })
  owner?: string | null;

  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, nullable: true, type: String, format: 'uuid' })
  goalId?: string | null;

  @NotNullIfPresent()
  @IsIn(RISK_STATES)
  @ApiProperty({ required: false, enum: RISK_STATES, enumName: 'RiskState' })
  state?: RiskState;

  @StatusForbidden('risks')
  @ApiHideProperty()
  status?: never;
}

export const RISK_SORT_FIELDS = ['score', 'title', 'likelihood', 'impact', 'createdAt', 'updatedAt'] as const;

export class ListRisksQueryDto extends StatusListQueryDto {
  @IsOptional()
  @IsIn(RISK_STATES)
  @ApiProperty({ required: false, enum: RISK_STATES, enumName: 'RiskState' })
  state?: RiskState;

  /** Only risks with a score of at least this (1–25), e.g. `15`. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(25)
  @ApiProperty({ required: false, type: 'integer', minimum: 1, maximum: 25 })
  minScore?: number;

  /** Only risks to this goal. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, format: 'uuid' })
  goalId?: string;

  /** A field to sort by; `-` in front for descending (default `-score`: the greatest risks first). */
  @IsOptional()
  @Matches(sortPattern(RISK_SORT_FIELDS), { message: `sort must be one of ${RISK_SORT_FIELDS.join(', ')}, optionally with a leading -` })
  @ApiProperty({ required: false, enum: RISK_SORT_FIELDS.flatMap((f) => [f, `-${f}`]), default: '-score' })
  sort?: string;
}

export class RiskResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  @ApiProperty({ example: 'The key firms lose interest before the cluster has shown results' })
  title: string;

  @ApiProperty({ type: String, nullable: true, example: 'No consensus on what the cluster is for.' })
  cause: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Agree the vision with the inner core first.' })
  response: string | null;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 3 })
  likelihood: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, example: 5 })
  impact: number;

  /** likelihood × impact (read-only); 15 or more is a high risk. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 25, example: 15 })
  score: number;

  @ApiProperty({ type: String, nullable: true, example: 'Process leader' })
  owner: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  goalId: string | null;

  @ApiProperty({ enum: RISK_STATES, enumName: 'RiskState', example: 'open' })
  state: RiskState;

  @ApiProperty({ enum: STATUSES, enumName: 'Status', example: 'yellow' })
  status: Status;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  archivedAt: string | null;
}
