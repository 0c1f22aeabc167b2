import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { toInteger } from '../common/pagination.js';

const SHA256_HEX = '^[0-9a-f]{64}$';
/** 32 bytes, base64url without padding: a key or its thumbprint. */
const BASE64URL_32 = '^[A-Za-z0-9_-]{43}$';
/** 64 bytes, base64: an Ed25519 signature. */
const BASE64_SIGNATURE = '^[A-Za-z0-9+/]{86}==$';

/** A submission's signed statement. */
export class StatementResponse {
  /**
   * The exact JSON text that was signed: `{ "submissionId", "clusterId", "funderId", "from", "to", "sha256",
   * "submittedAt", "previous" }`, where `sha256` is the SHA-256 of the submitted report's bytes and `previous` the
   * SHA-256 of the statement before it in the chain (null for the first).
   */
  @ApiProperty({
    example:
      '{"submissionId":"7d0f0b7e-7d4a-4a53-9f0e-1a3a8c0f5b21","clusterId":"3f1c2a4e-5b6d-4c7e-8f90-1a2b3c4d5e6f","funderId":"0b8c6a8e-2f7d-4c7e-9d57-3a1f0c2b9e41","from":"2026-06-30T22:00:00.000Z","to":"2026-09-30T21:59:59.999Z","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","submittedAt":"2026-10-05T09:12:44.120Z","previous":null}',
  })
  statement: string;

  /** The Ed25519 signature of the statement's UTF-8 bytes, base64. */
  @ApiProperty({ pattern: BASE64_SIGNATURE })
  signature: string;

  /** The `kid` of the key in `/.well-known/styrman-keys` that verifies the signature. */
  @ApiProperty({ pattern: BASE64URL_32 })
  keyId: string;
}

/** One link of the chain: a statement's place and hash, without its content. */
export class ChainLink {
  /** 1 for the first statement, then one more for each. */
  @ApiProperty({ type: 'integer', minimum: 1 })
  position: number;

  /** SHA-256 of the statement text, hex. */
  @ApiProperty({ pattern: SHA256_HEX })
  sha256: string;

  /** SHA-256 of the statement before it, hex; null for the first. */
  @ApiProperty({ type: 'string', nullable: true, pattern: SHA256_HEX })
  previous: string | null;
}

export class ChainPage {
  items: ChainLink[];

  /** The `after` of the next page; null on the last one. */
  @ApiProperty({ type: 'integer', nullable: true })
  next: number | null;
}

export class ChainQueryDto {
  /** The links after this position (0, or left out: from the first). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  @ApiProperty({ required: false, type: 'integer', minimum: 0, maximum: 2_147_483_647, default: 0 })
  after: number = 0;
}

/** A public key, as a JWK (RFC 8037). */
export class Jwk {
  @ApiProperty({ enum: ['OKP'] })
  kty: 'OKP';

  @ApiProperty({ enum: ['Ed25519'] })
  crv: 'Ed25519';

  /** The key's JWK thumbprint (RFC 7638): what a statement's `keyId` names. */
  @ApiProperty({ pattern: BASE64URL_32 })
  kid: string;

  /** The public key, base64url. */
  @ApiProperty({ pattern: BASE64URL_32 })
  x: string;

  @ApiProperty({ enum: ['EdDSA'] })
  alg: 'EdDSA';

  @ApiProperty({ enum: ['sig'] })
  use: 'sig';
}

export class Jwks {
  keys: Jwk[];
}
