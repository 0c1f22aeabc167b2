import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Cluster } from '../clusters/cluster.entity.js';
import { Funder } from './funder.entity.js';
import { Archivable } from '../database/versioned.entity.js';

@Entity('funding')
@Check('ck_funding__ends_on', `starts_on <= ends_on`)
@Check('ck_funding__amount', `amount >= 0`)
@Index('ix_funding__funder_id_cluster_id', ['funderId', 'clusterId'])
@Index('ix_funding__cluster_id', ['clusterId'])
export class Funding extends Archivable {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  funderId: string;

  @ManyToOne(() => Funder, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'funder_id' })
  funder?: Funder;

  @Column({ type: 'uuid' })
  clusterId: string;

  @ManyToOne(() => Cluster, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'cluster_id' })
  cluster?: Cluster;

  @Column({ type: 'varchar', length: 200 })
  programme: string;

  /** An exact decimal, never a float: read back as a string. */
  @Column({ type: 'numeric', precision: 15, scale: 2 })
  amount: string;

  @Column({ type: 'char', length: 3, default: 'SEK' })
  currency: string;

  @Column({ type: 'date' })
  startsOn: string;

  @Column({ type: 'date' })
  endsOn: string;
}
