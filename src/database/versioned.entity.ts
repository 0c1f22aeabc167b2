import { Column, CreateDateColumn, UpdateDateColumn } from 'typeorm';

/** Columns of every mutable resource: an integer version (its ETag) and timestamps. */
export abstract class Versioned {
  /** Raised by one on every write, in the UPDATE that checks If-Match. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A versioned resource that is archived, never deleted. */
export abstract class Archivable extends Versioned {
  @Column({ type: 'timestamptz', nullable: true })
  archivedAt: Date | null;
}
