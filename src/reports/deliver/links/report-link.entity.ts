import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A link that opens one report, in one format, without a key, for 7 days:
 * for handing a report to a colleague. Only the SHA-256 of its token is kept.
 * It reads as the key that made it, checked at every use: a revoked key's
 * links are dead, and they see only what that key may read then.
 */
@Entity('report_link')
export class ReportLink {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** SHA-256 of the token in the link's URL; the token itself is never stored. */
  @Index('uq_report_link__token_hash', { unique: true })
  @Column({ type: 'bytea' })
  tokenHash: Buffer;

  /** The report's path and query, as made canonical at creation: `/api/v1/funders/{id}/report?period=2026-Q3&format=csv`. */
  @Column({ type: 'varchar', length: 2000 })
  path: string;

  /** The key that made the link: the report is read as this key, as of each use. */
  @Column({ type: 'uuid' })
  apiKeyId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
