import { IsAsOf } from '../../revisions/as-of.js';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ListQueryDto, sortPattern } from '../../common/pagination.js';
import { IsName, IsText, NotNullIfPresent } from '../../common/validators.js';
import { IsOrganisationNumber } from '../../common/organisation-number.js';
import { ACTOR_CORES, ACTOR_KINDS, type ActorCore, type ActorKind, ENGAGEMENTS, type Engagement } from '../actor.entity.js';

export class CreateActorDto {
  /** The organisation (never a person). */
  @IsName()
  @ApiProperty({ example: 'Mittuniversitetet', maxLength: 200 })
  name: string;

  /** Its Triple Helix kind. */
  @IsIn(ACTOR_KINDS)
  @ApiProperty({ enum: ACTOR_KINDS, enumName: 'ActorKind', example: 'academia' })
  kind: ActorKind;

  /** `inner`: carries the initiative; `outer`: around it. */
  @IsIn(ACTOR_CORES)
  @ApiProperty({ enum: ACTOR_CORES, enumName: 'ActorCore', example: 'inner' })
  core: ActorCore;

  /** How far it is mobilised (default identified). */
  @NotNullIfPresent()
  @IsIn(ENGAGEMENTS)
  @ApiProperty({ required: false, enum: ENGAGEMENTS, enumName: 'Engagement', default: 'identified', example: 'contacted' })
  engagement?: Engagement;

  /** Its part in the initiative (no personal data about contact persons). */
  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000, example: 'Research partner; hosts the shared test bed.' })
  role?: string | null;

  /** Its Swedish organisation number, `NNNNNN-NNNN` with a valid check digit; unique in the cluster (409). */
  @IsOptional()
  @IsOrganisationNumber()
  @ApiProperty({ required: false, nullable: true, type: String })
  organisationNumber?: string | null;
}

/** Only the fields sent change; `null` clears the role. A change of kind, core or engagement is kept in its history. */
export class UpdateActorDto {
  @NotNullIfPresent()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  name?: string;

  @NotNullIfPresent()
  @IsIn(ACTOR_KINDS)
  @ApiProperty({ required: false, enum: ACTOR_KINDS, enumName: 'ActorKind' })
  kind?: ActorKind;

  @NotNullIfPresent()
  @IsIn(ACTOR_CORES)
  @ApiProperty({ required: false, enum: ACTOR_CORES, enumName: 'ActorCore' })
  core?: ActorCore;

  @NotNullIfPresent()
  @IsIn(ENGAGEMENTS)
  @ApiProperty({ required: false, enum: ENGAGEMENTS, enumName: 'Engagement', example: 'engaged' })
  engagement?: Engagement;

  @IsOptional()
  @IsText()
  @ApiProperty({ required: false, nullable: true, maxLength: 5000 })
  role?: string | null;

  /** Its Swedish organisation number, `NNNNNN-NNNN` with a valid check digit; unique in the cluster (409). */
  @IsOptional()
  @IsOrganisationNumber()
  @ApiProperty({ required: false, nullable: true, type: String })
  organisationNumber?: string | null;
}

export const ACTOR_SORT_FIELDS = ['name', 'kind', 'core', 'engagement', 'createdAt', 'updatedAt'] as const;

export class ListActorsQueryDto extends ListQueryDto {
  @IsAsOf()
  asOf?: string;

  @IsOptional()
  @IsIn(ACTOR_KINDS)
  @ApiProperty({ required: false, enum: ACTOR_KINDS, enumName: 'ActorKind' })
  kind?: ActorKind;

  @IsOptional()
  @IsIn(ACTOR_CORES)
  @ApiProperty({ required: false, enum: ACTOR_CORES, enumName: 'ActorCore' })
  core?: ActorCore;

  @IsOptional()
  @IsIn(ENGAGEMENTS)
  @ApiProperty({ required: false, enum: ENGAGEMENTS, enumName: 'Engagement' })
  engagement?: Engagement;

  /** Words in the name (case-insensitive), e.g. `universitet`. */
  @IsOptional()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  q?: string;

  /** A field to sort by; `-` in front for descending (default `name`). */
  @IsOptional()
  @Matches(sortPattern(ACTOR_SORT_FIELDS), { message: `sort must be one of ${ACTOR_SORT_FIELDS.join(', ')}, optionally with a leading -` })
  @ApiProperty({ required: false, enum: ACTOR_SORT_FIELDS.flatMap((f) => [f, `-${f}`]), default: 'name' })
  sort?: string;
}

export class ActorResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  @ApiProperty({ example: 'Mittuniversitetet' })
  name: string;

  @ApiProperty({ enum: ACTOR_KINDS, enumName: 'ActorKind', example: 'academia' })
  kind: ActorKind;

  @ApiProperty({ enum: ACTOR_CORES, enumName: 'ActorCore', example: 'inner' })
  core: ActorCore;

  @ApiProperty({ enum: ENGAGEMENTS, enumName: 'Engagement', example: 'engaged' })
  engagement: Engagement;

  @ApiProperty({ type: String, nullable: true, example: 'Research partner; hosts the shared test bed.' })
  role: string | null;

  @ApiProperty({ type: String, nullable: true, example: '556036-0793' })
  organisationNumber: string | null;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  archivedAt: string | null;
}
