import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A claimed Idempotency-Key: per API key, with a fingerprint of the request
 * and the response to replay. Claimed in the same transaction as the work, so
 * the work and its record commit together or not at all.
 */
@Entity('idempotency_key')
@Index('ix_idempotency_key__expires_at', ['expiresAt'])
export class IdempotencyKey {
  @PrimaryColumn({ type: 'uuid' })
  apiKeyId: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  /** SHA-256 of method, path and body. */
  @Column({ type: 'bytea' })
  fingerprint: Buffer;

  @Column({ type: 'integer', nullable: true })
  responseStatus: number | null;

  /** json, not jsonb: a replay must be the same text, key order included. */
  @Column({ type: 'json', nullable: true })
  responseBody: unknown;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
