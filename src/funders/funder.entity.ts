import { Check, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Versioned } from '../database/versioned.entity.js';

export const FUNDER_KINDS = ['national_agency', 'regional_council', 'county_council', 'municipality', 'eu_fund', 'private'] as const;
export type FunderKind = (typeof FUNDER_KINDS)[number];
export const REPORTING_PERIODS = ['quarterly', 'half_yearly', 'yearly'] as const;
export type ReportingPeriod = (typeof REPORTING_PERIODS)[number];

@Entity('funder')
@Check('ck_funder__report_due_days', `report_due_days BETWEEN 0 AND 365`)
export class Funder extends Versioned {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'enum', enum: FUNDER_KINDS, enumName: 'funder_kind' })
  kind: FunderKind;

  @Column({ type: 'enum', enum: REPORTING_PERIODS, enumName: 'reporting_period', default: 'yearly' })
  reportingPeriod: ReportingPeriod;

  /** A period's report is due this many days after the period ends. */
  @Column({ type: 'integer', default: 30 })
  reportDueDays: number;
}
