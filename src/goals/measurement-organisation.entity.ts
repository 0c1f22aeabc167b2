import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ENTERPRISE_SIZES, type EnterpriseSize } from '../indicators/indicator-definition.entity.js';
import { Measurement } from './measurement.entity.js';

/** An organisation a measurement of an `organisations` indicator counts: once per measurement. Append-only, like the measurement. */
@Entity('measurement_organisation')
export class MeasurementOrganisation {
  @PrimaryColumn({ type: 'uuid' })
  measurementId: string;

  @ManyToOne(() => Measurement, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'measurement_id' })
  measurement?: Measurement;

  /** A Swedish organisation number, NNNNNN-NNNN, check digit verified. */
  @PrimaryColumn({ type: 'varchar', length: 11 })
  organisationNumber: string;

  @Column({ type: 'enum', enum: ENTERPRISE_SIZES, enumName: 'enterprise_size', nullable: true })
  enterpriseSize: EnterpriseSize | null;
}
