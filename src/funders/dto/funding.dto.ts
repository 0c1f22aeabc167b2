import { IsAsOf } from '../../revisions/as-of.js';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { ListQueryDto } from '../../common/pagination.js';
import { IsDateOnly, IsName, NotNullIfPresent } from '../../common/validators.js';

const AMOUNT = /^\d{1,13}(\.\d{1,2})?$/;
const AMOUNT_MESSAGE = '$property must be a non-negative amount with at most two decimals, as a number or a decimal string';

/**
 * An amount arrives as a JSON number or a decimal string and is kept as an
 * exact decimal string: a number is turned into its shortest decimal text
 * (never through float arithmetic), then checked like a string.
 */
function toAmountString({ value }: { value: unknown }): unknown {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return value;
}

function IsAmount(): PropertyDecorator {
  return (target, key) => {
    Transform(toAmountString)(target, key);
    Matches(AMOUNT, { message: AMOUNT_MESSAGE })(target, key);
  };
}

function IsCurrency(): PropertyDecorator {
  return Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code such as SEK or EUR' });
}

export class CreateFundingDto {
  @IsUUID()
  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  /** The funder's programme, e.g. Vinnväxt or the regional fund's call. */
  @IsName()
  @ApiProperty({ example: 'Vinnväxt', maxLength: 200 })
  programme: string;

  /** In the currency's unit, at most two decimals; a JSON number or a decimal string. Returned as a decimal string. */
  @IsAmount()
  @ApiProperty({
    oneOf: [
      { type: 'string', pattern: AMOUNT.source },
      { type: 'number', minimum: 0, maximum: 9999999999999.99 },
    ],
    example: '2000000.00',
  })
  amount: string;

  @NotNullIfPresent()
  @IsCurrency()
  @ApiProperty({ required: false, default: 'SEK', example: 'SEK', pattern: '^[A-Z]{3}$' })
  currency?: string;

  @IsDateOnly()
  @ApiProperty({ type: String, format: 'date', example: '2026-01-01' })
  startsOn: string;

  /** On or after startsOn. */
  @IsDateOnly()
  @ApiProperty({ type: String, format: 'date', example: '2028-12-31' })
  endsOn: string;
}

export class UpdateFundingDto {
  @NotNullIfPresent()
  @IsName()
  @ApiProperty({ required: false, maxLength: 200 })
  programme?: string;

  @NotNullIfPresent()
  @IsAmount()
  @ApiProperty({
    required: false,
    oneOf: [
      { type: 'string', pattern: AMOUNT.source },
      { type: 'number', minimum: 0, maximum: 9999999999999.99 },
    ],
  })
  amount?: string;

  @NotNullIfPresent()
  @IsCurrency()
  @ApiProperty({ required: false, pattern: '^[A-Z]{3}$' })
  currency?: string;

  @NotNullIfPresent()
  @IsDateOnly()
  @ApiProperty({ required: false, type: String, format: 'date' })
  startsOn?: string;

  @NotNullIfPresent()
  @IsDateOnly()
  @ApiProperty({ required: false, type: String, format: 'date' })
  endsOn?: string;
}

export class ListFundingsByFunderQueryDto extends ListQueryDto {
  @IsAsOf()
  asOf?: string;

  /** Only the fundings of this cluster. */
  @IsOptional()
  @IsUUID()
  @ApiProperty({ required: false, format: 'uuid' })
  clusterId?: string;
}

export class FundingResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  funderId: string;

  @ApiProperty({ format: 'uuid' })
  clusterId: string;

  @ApiProperty({ example: 'Vinnväxt' })
  programme: string;

  /** An exact decimal string. */
  @ApiProperty({ example: '2000000.00' })
  amount: string;

  @ApiProperty({ example: 'SEK' })
  currency: string;

  @ApiProperty({ type: String, format: 'date', example: '2026-01-01' })
  startsOn: string;

  @ApiProperty({ type: String, format: 'date', example: '2028-12-31' })
  endsOn: string;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  archivedAt: string | null;
}
