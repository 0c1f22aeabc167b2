import { IsAsOf } from '../../revisions/as-of.js';
import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { ListQueryDto, sortPattern } from '../../common/pagination.js';
import { IsName, IsText, NotNullIfPresent } from '../../common/validators.js';
import { DEFAULT_UPDATE_CADENCE_DAYS, MAX_UPDATE_CADENCE_DAYS, MIN_UPDATE_CADENCE_DAYS } from '../update-cadence.js';
import { type Phase, PHASES } from '../cluster.entity.js';

export class CreateClusterDto {
  /** The cluster initiative's name; unique among clusters that are not archived, compared without case, invisible characters or fullwidth forms (`Findit` = `FIND\u200bIT`). */
  @IsName()
  @ApiProperty({ example: 'Findit', minLength: 1, maxLength: 200 })
  name: string;

  /** The region it works in. */
  @IsName()
  @ApiProperty({ example: 'Gävleborg', minLength: 1, maxLength: 200 })
  region: string;

  @IsIn(PHASES)
  @ApiProperty({ enum: PHASES, enumName: 'Phase', example: 'mobilisation' })
  phase: Phase;

  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, nullable: true, example: 'Digital services for the process industry', maxLength: 200 })
  focusArea?: string | null;

  @IsOptional()
  @IsText()
  @ApiProperty({
    required: false,
    nullable: true,
    example: 'Gävleborg is the place where digital services for industry are born.',
    maxLength: 5000,
  })
  vision?: string | null;

  @IsOptional()
  @IsText()
  @ApiProperty({
    required: false,
    nullable: true,
    example: 'Connect firms, the university and the region around shared innovation projects.',
    maxLength: 5000,
  })
  purpose?: string | null;

  /** Whether the traffic-light badge may be shown without a key (for embedding on a public page). */
  @NotNullIfPresent()
  @IsBoolean()
  @ApiProperty({ required: false, default: false })
  publicBadge?: boolean;

  /** Days an item may go without a status update before GET /needs-update calls it `stale`. */
  @NotNullIfPresent()
  @IsInt()
  @Min(MIN_UPDATE_CADENCE_DAYS)
  @Max(MAX_UPDATE_CADENCE_DAYS)
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: MIN_UPDATE_CADENCE_DAYS,
    maximum: MAX_UPDATE_CADENCE_DAYS,
    default: DEFAULT_UPDATE_CADENCE_DAYS,
    example: 14,
  })
  updateCadenceDays?: number;
}

/** Only the fields sent are changed; send null to clear an optional text. */
export class UpdateClusterDto {
  @NotNullIfPresent()
  @IsName()
  @ApiProperty({ required: false, example: 'Findit', minLength: 1, maxLength: 200 })
  name?: string;

  @NotNullIfPresent()
  @IsName()
  @ApiProperty({ required: false, example: 'Gävleborg', minLength: 1, maxLength: 200 })
  region?: string;

  @NotNullIfPresent()
  @IsIn(PHASES)
  @ApiProperty({ required: false, enum: PHASES, enumName: 'Phase', example: 'formation' })
  phase?: Phase;

  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, nullable: true, maxLength: 200 })
  focusArea?: string | null;

  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000 })
  vision?: string | null;

  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000 })
  purpose?: string | null;

  @NotNullIfPresent()
  @IsBoolean()
  @ApiProperty({ required: false })
  publicBadge?: boolean;

  /** Days an item may go without a status update before GET /needs-update calls it `stale`. */
  @NotNullIfPresent()
  @IsInt()
  @Min(MIN_UPDATE_CADENCE_DAYS)
  @Max(MAX_UPDATE_CADENCE_DAYS)
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: MIN_UPDATE_CADENCE_DAYS,
    maximum: MAX_UPDATE_CADENCE_DAYS,
    example: 14,
  })
  updateCadenceDays?: number;
}

export const CLUSTER_SORT_FIELDS = ['name', 'region', 'phase', 'createdAt', 'updatedAt'] as const;

export class ListClustersQueryDto extends ListQueryDto {
  @IsAsOf()
  asOf?: string;

  /** Only clusters in this region (case-insensitive, exact), e.g. `Gävleborg`. */
  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  region?: string;

  @IsOptional()
  @IsIn(PHASES)
  @ApiProperty({ required: false, enum: PHASES, enumName: 'Phase' })
  phase?: Phase;

  /** Words in the name (case-insensitive), e.g. `find`. */
  @IsOptional()
  @IsString()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  q?: string;

  /** A field to sort by; `-` in front for descending. Ties are broken by id. */
  @IsOptional()
  @Matches(sortPattern(CLUSTER_SORT_FIELDS), {
    message: `sort must be one of ${CLUSTER_SORT_FIELDS.join(', ')}, optionally with a leading -`,
  })
  @ApiProperty({ required: false, enum: CLUSTER_SORT_FIELDS.flatMap((f) => [f, `-${f}`]), default: 'name' })
  sort?: string;
}

export class ClusterFunder {
  @ApiProperty({ format: 'uuid' })
  funderId: string;

  @ApiProperty({ example: 'Vinnova' })
  name: string;

  @ApiProperty({ example: 'national_agency' })
  kind: string;
}

export class ClusterResponse {
  @ApiProperty({ format: 'uuid', example: '2f1c4b7e-6a0e-4c55-9a43-0d1c1f5b7a10' })
  id: string;

  @ApiProperty({ example: 'Findit' })
  name: string;

  @ApiProperty({ example: 'Gävleborg' })
  region: string;

  @ApiProperty({ enum: PHASES, enumName: 'Phase', example: 'mobilisation' })
  phase: Phase;

  @ApiProperty({ nullable: true, type: String, example: 'Digital services for the process industry' })
  focusArea: string | null;

  @ApiProperty({ nullable: true, type: String })
  vision: string | null;

  @ApiProperty({ nullable: true, type: String })
  purpose: string | null;

  @ApiProperty()
  publicBadge: boolean;

  /** Days an item may go without a status update before it is `stale` (GET /needs-update). */
  @ApiProperty({ type: 'integer', example: 30 })
  updateCadenceDays: number;

  /** The funders with a funding of this cluster (not archived) that the caller may see. */
  @ApiProperty({ type: [ClusterFunder] })
  fundedBy: ClusterFunder[];

  /** Changes with every write; also served as the ETag. */
  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  archivedAt: string | null;
}
