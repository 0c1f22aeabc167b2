import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { ROLES, type Role } from '../../auth/role.js';
import { ListQueryDto, toBoolean } from '../../common/pagination.js';
import { IsName, NotNullIfPresent } from '../../common/validators.js';

export class CreateApiKeyDto {
  /** What the key is for; recorded as the author of what is written with it. */
  @IsName()
  @ApiProperty({ example: 'Findit process leader', minLength: 1, maxLength: 200 })
  name: string;

  @IsIn(ROLES)
  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'editor' })
  role: Role;

  /** The clusters an editor key may read and change: required for, and only for, `editor`. */
  @NotNullIfPresent()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  @ApiProperty({ required: false, type: [String], format: 'uuid', maxItems: 500, example: ['2f1c4b7e-6a0e-4c55-9a43-0d1c1f5b7a10'] })
  clusterIds?: string[];

  /** The funder a funder key reads for: required for, and only for, `funder`. */
  @NotNullIfPresent()
  @IsUUID()
  @ApiProperty({ required: false, format: 'uuid' })
  funderId?: string;
}

export class ListApiKeysQueryDto extends ListQueryDto {
  @IsOptional()
  @IsIn(ROLES)
  @ApiProperty({ required: false, enum: ROLES, enumName: 'Role' })
  role?: Role;

  /** Include revoked keys. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  @ApiProperty({ required: false, default: false })
  includeRevoked: boolean = false;
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Findit process leader' })
  name: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'editor' })
  role: Role;

  /** The first characters of the secret, to recognise the key by. */
  @ApiProperty({ example: 'sty_Xk3v9QaB' })
  prefix: string;

  @ApiProperty({ type: [String], format: 'uuid' })
  clusterIds: string[];

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  funderId: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt: string | null;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  /** The key itself. Shown this once: Styrman keeps only a hash of it. */
  @ApiProperty({ example: 'sty_Xk3v9QaBn0qL4mR7tU1wY5zC8eF2hJ6kP9sV3xA0bD4' })
  secret: string;
}
