import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ReportSubmission } from '../report-submissions/report-submission.entity.js';

/** A public key that signs statements: every one ever used stays here, so that it stays published. */
@Entity('signing_key')
export class SigningKey {
  /** The key's JWK thumbprint (RFC 7638), base64url: its `kid`. */
  @PrimaryColumn({ type: 'varchar', length: 43 })
  id: string;

  /** The Ed25519 public key, base64url (the JWK's `x`). */
  @Column({ type: 'varchar', length: 43 })
  x: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * The signed statement of a submission, one link of the instance's hash chain. The row is made with the
 * submission, pending (no position yet); it is sealed — given its position, the statement text naming the hash of
 * the statement before it, and the signature — under the chain lock, in the order of the submissions. A sealed
 * row never changes (a trigger refuses it), and the hash is kept true to the text by a check.
 */
@Entity('submission_statement')
@Index('uq_submission_statement__position', ['position'], { unique: true })
@Index('uq_submission_statement__previous', ['previous'], { unique: true })
@Index('ix_submission_statement__pending', ['submissionId'], { where: `"position" IS NULL` })
@Check(
  'ck_submission_statement__sealed',
  `("position" IS NULL AND "statement" IS NULL AND "sha256" IS NULL AND "previous" IS NULL AND "signature" IS NULL AND "key_id" IS NULL)
   OR ("position" IS NOT NULL AND "statement" IS NOT NULL AND "sha256" IS NOT NULL AND "signature" IS NOT NULL AND "key_id" IS NOT NULL)`,
)
@Check('ck_submission_statement__sha256', `"sha256" = encode(sha256(convert_to("statement", 'UTF8')), 'hex')`)
export class SubmissionStatement {
  @PrimaryColumn({ type: 'uuid' })
  submissionId: string;

  @ManyToOne(() => ReportSubmission, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'submission_id' })
  submission?: ReportSubmission;

  /** 1, 2, 3…: the place in the chain; null while pending. */
  @Column({ type: 'int', nullable: true })
  position: number | null;

  /** The exact JSON text signed. */
  @Column({ type: 'text', nullable: true })
  statement: string | null;

  /** SHA-256 of the statement text (UTF-8), hex. */
  @Column({ type: 'char', length: 64, nullable: true })
  sha256: string | null;

  /** SHA-256 of the statement before it; null for the first. */
  @Column({ type: 'char', length: 64, nullable: true })
  previous: string | null;

  /** The Ed25519 signature of the statement text, base64. */
  @Column({ type: 'varchar', length: 88, nullable: true })
  signature: string | null;

  @Column({ type: 'varchar', length: 43, nullable: true })
  keyId: string | null;

  @ManyToOne(() => SigningKey, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'key_id' })
  key?: SigningKey;
}
