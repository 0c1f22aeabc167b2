import { IntersectionType, ApiProperty } from '@nestjs/swagger';
import { IsDateOnly, IsMeasure, IsText, NotNullIfPresent } from '../../common/validators.js';
import { PageQueryDto } from '../../common/pagination.js';
import { AsOfQueryDto } from '../../revisions/as-of.js';

export class CreateMeasurementDto {
  /** The measured value of the goal's indicator, in its unit. */
  @IsMeasure()
  @ApiProperty({ example: 26 })
  value: number;

  /** The day the value was measured; not in the future. */
  @IsDateOnly()
  @ApiProperty({ type: String, format: 'date', example: '2026-09-30' })
  measuredOn: string;

  @NotNullIfPresent()
  @IsText()
  @ApiProperty({ required: false, maxLength: 5000, example: 'Member register, end of Q3.' })
  comment?: string;
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
