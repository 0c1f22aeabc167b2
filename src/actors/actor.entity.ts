import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cluster } from '../clusters/cluster.entity.js';
import { Archivable } from '../database/versioned.entity.js';

/** The Triple Helix kind of an organisation (and the rest of civil society). */
export const ACTOR_KINDS = ['company', 'academia', 'public_sector', 'civil_society', 'other'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** The inner core carries the initiative; the outer core is around it. */
export const ACTOR_CORES = ['inner', 'outer'] as const;
export type ActorCore = (typeof ACTOR_CORES)[number];

/** How far an organisation is mobilised, step by step. */
export const ENGAGEMENTS = ['identified', 'contacted', 'engaged', 'committed'] as const;
export type Engagement = (typeof ENGAGEMENTS)[number];

/**
 * An organisation of a cluster's stakeholder analysis (never a person: no
 * personal data about contact persons is kept). No traffic light; its
 * engagement's changes are kept in `actor_engagement`.
 */
@Entity('actor')
@Index('ix_actor__cluster_id_name', ['clusterId', 'name'])
@Index('uq_actor__organisation_number', ['clusterId', 'organisationNumber'], { unique: true })
export class Actor extends Archivable {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => Cluster, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: Cluster;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'enum', enum: ACTOR_KINDS, enumName: 'actor_kind' })
  kind: ActorKind;

  @Column({ type: 'enum', enum: ACTOR_CORES, enumName: 'actor_core' })
  core: ActorCore;

  @Column({ type: 'enum', enum: ENGAGEMENTS, enumName: 'engagement', default: 'identified' })
  engagement: Engagement;

  /** Its part in the initiative, in a few words. */
  @Column({ type: 'varchar', length: 5000, nullable: true })
  role: string | null;

  /** Its Swedish organisation number (NNNNNN-NNNN), unique in the cluster. */
  @Column({ type: 'varchar', length: 11, nullable: true })
  organisationNumber: string | null;
}

/**
 * One entry of an actor's history: its kind, core and engagement from
 * `created_at` on, written in the transaction of every change of any of them
 * (and on creation). Append-only: a trigger refuses UPDATE and DELETE. A
 * report counts actors by kind × core × engagement at any date from it.
 */
@Entity('actor_engagement')
@Index('ix_actor_engagement__actor_id_created_at', ['actorId', 'createdAt', 'seq'])
@Index('ix_actor_engagement__cluster_id_created_at', ['clusterId', 'createdAt'])
export class ActorEngagement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_actor_engagement__seq', { unique: true })
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS' })
  seq: string;

  @Column({ type: 'uuid' })
  actorId: string;

  @ManyToOne(() => Actor, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actor_id' })
  actor?: Actor;

  @Column({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => Cluster, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: Cluster;

  @Column({ type: 'enum', enum: ACTOR_KINDS, enumName: 'actor_kind' })
  kind: ActorKind;

  @Column({ type: 'enum', enum: ACTOR_CORES, enumName: 'actor_core' })
  core: ActorCore;

  @Column({ type: 'enum', enum: ENGAGEMENTS, enumName: 'engagement' })
  engagement: Engagement;

  /** Whether the actor was archived from this entry on (archived actors are not counted). */
  @Column({ type: 'boolean', default: false })
  archived: boolean;

  @Column({ type: 'varchar', length: 200 })
  author: string;

  @Column({ type: 'uuid', nullable: true })
  authorKeyId: string | null;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt: Date;
}
