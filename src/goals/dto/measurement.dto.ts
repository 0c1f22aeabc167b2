import { IntersectionType, ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, ValidateIf, ValidateNested } from 'class-validator';
import { IsOrganisationNumber } from '../../common/organisation-number.js';
import { ENTERPRISE_SIZES, type EnterpriseSize } from '../../indicators/indicator-definition.entity.js';

/** The most organisations one measurement may list. */
export const MAX_ORGANISATIONS = 5000;

export class MeasuredOrganisationDto {
  @IsOrganisationNumber()
  organisationNumber: string;

  /** Required when the indicator's definition breaks down by enterprise size. */
  @NotNullIfPresent()
  @IsIn(ENTERPRISE_SIZES)
  @ApiProperty({ required: false, enum: ENTERPRISE_SIZES, enumName: 'EnterpriseSize', example: 'small' })
  enterpriseSize?: EnterpriseSize;
}
import { IsDateOnly, IsMeasure, IsText, NotNullIfPresent } from '../../common/validators.js';
import { PageQueryDto } from '../../common/pagination.js';
import { AsOfQueryDto } from '../../revisions/as-of.js';

export class CreateMeasurementDto {
  /**
   * The measured value of the goal's indicator, in its unit. For an indicator that adopts an `organisations`
   * definition it is the number of organisations listed: leave it out (a value that differs is a 422).
   */
  @ValidateIf((m: CreateMeasurementDto) => m.organisations === undefined || m.value !== undefined)
  @IsMeasure()
  @ApiProperty({ required: false, example: 26 })
  value?: number;

  /**
   * The organisations counted, when the goal's indicator adopts an `organisations` definition (required then, and
   * only then): 1–5000, no organisation number twice, each with its enterprise size when the definition breaks down by it.
   */
  @NotNullIfPresent()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORGANISATIONS)
  @ValidateNested({ each: true })
  @Type(() => MeasuredOrganisationDto)
  @ApiProperty({ required: false, type: [MeasuredOrganisationDto], minItems: 1, maxItems: MAX_ORGANISATIONS })
  organisations?: MeasuredOrganisationDto[];

  /** The day the value was measured; not in the future. */
  @IsDateOnly()
  @ApiProperty({ type: String, format: 'date', example: '2026-09-30' })
  measuredOn: string;

  @NotNullIfPresent()
  @IsText()
  @ApiProperty({ required: false, maxLength: 5000, example: 'Member register, end of Q3.' })
  comment?: string;
}

export class MeasuredOrganisationResponse {
  @ApiProperty({ example: '556036-0793' })
  organisationNumber: string;

  @ApiProperty({ enum: ENTERPRISE_SIZES, enumName: 'EnterpriseSize', nullable: true, example: 'small' })
  enterpriseSize: EnterpriseSize | null;
}

export class MeasurementResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  goalId: string;

  @ApiProperty({ example: 26 })
  value: number;

  @ApiProperty({ type: String, format: 'date', example: '2026-09-30' })
  measuredOn: string;

  @ApiProperty({ type: String, nullable: true })
  comment: string | null;

  /** The organisations counted (only on measurements of an `organisations` indicator), by organisation number. */
  @ApiProperty({ required: false, type: [MeasuredOrganisationResponse] })
  organisations?: MeasuredOrganisationResponse[];

  /** The name of the API key that recorded it. */
  @ApiProperty({ example: 'Findit process leader' })
  author: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  authorKeyId: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

/** A page of measurements, as they were at `asOf` if given. */
export class MeasurementListQueryDto extends IntersectionType(PageQueryDto, AsOfQueryDto) {}
