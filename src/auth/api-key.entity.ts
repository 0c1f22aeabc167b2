import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ROLES, type Role } from './role.js';

@Entity('api_key')
@Check('ck_api_key__cluster_ids', `(role = 'editor') = (cardinality(cluster_ids) > 0)`)
@Check('ck_api_key__funder_id', `(role = 'funder') = (funder_id IS NOT NULL)`)
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'enum', enum: ROLES, enumName: 'api_key_role' })
  role: Role;

  /** The first characters of the secret, shown so that a key can be recognised. */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  /** SHA-256 of the secret; the secret itself is never stored. */
  @Index('uq_api_key__secret_hash', { unique: true })
  @Column({ type: 'bytea' })
  secretHash: Buffer;

  @Column({ type: 'uuid', array: true, default: () => `'{}'` })
  clusterIds: string[];

  @Column({ type: 'uuid', nullable: true })
  funderId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
