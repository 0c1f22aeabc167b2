import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, Raw } from 'typeorm';
import { namedQuery } from '../common/sql.js';
import { GenerateSql } from '../database/generate-sql.js';
import { db } from '../database/transaction-context.js';
import type { Aggregation, EnterpriseSize } from '../indicators/indicator-definition.entity.js';
import type { MeasuredOrganisationResponse } from './dto/measurement.dto.js';
import { Measurement } from './measurement.entity.js';

export interface MeasuredOrganisationRow {
  measurement_id: string;
  organisation_number: string;
  enterprise_size: EnterpriseSize | null;
}

const EXAMPLE_GOAL = '00000000-0000-4000-8000-0000000060a1';
const EXAMPLE_MEASUREMENT = '00000000-0000-4000-8000-0000000060b1';
const EXAMPLE_DEFINITION = '00000000-0000-4000-8000-0000000060d1';
const EXAMPLE_INSTANT = new Date('2026-06-30T12:00:00Z');

/** The measurements of goals and the organisations they count: every statement the measurements' service sends, but the revisions. */
@Injectable()
export class MeasurementsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of a goal's measurements, newest first (by the day measured, then by when recorded), and their number. */
  @GenerateSql(
    { name: 'the first page', args: () => [EXAMPLE_GOAL, undefined, { limit: 20, offset: 0 }] },
    { name: 'the first page as it was', args: () => [EXAMPLE_GOAL, EXAMPLE_INSTANT, { limit: 20, offset: 0 }] },
  )
  list(goalId: string, asOf: Date | undefined, page: { limit: number; offset: number }): Promise<[Measurement[], number]> {
    // Measurements never change: as of an instant, those recorded by then (to the millisecond, as the API shows them).
    return db(this.dataSource)
      .getRepository(Measurement)
      .findAndCount({
        where: { goalId, ...(asOf ? { createdAt: Raw((at) => `date_trunc('milliseconds', ${at}) <= :asOf`, { asOf }) } : {}) },
        order: { measuredOn: 'DESC', createdAt: 'DESC' },
        take: page.limit,
        skip: page.offset,
      });
  }

  /** The organisations of measurements, in one statement for a page. */
  @GenerateSql({ name: 'two measurements', args: () => [[EXAMPLE_MEASUREMENT, '00000000-0000-4000-8000-0000000060b2']] })
  organisationsOf(ids: string[]): Promise<MeasuredOrganisationRow[]> {
    return namedQuery<MeasuredOrganisationRow>(
      db(this.dataSource),
      `SELECT measurement_id, organisation_number, enterprise_size FROM measurement_organisation
       WHERE measurement_id IN (:...ids) ORDER BY measurement_id, organisation_number`,
      { ids },
    );
  }

  /** What an indicator definition counts, and how it breaks down. */
  @GenerateSql({ name: 'a definition', args: () => [EXAMPLE_DEFINITION] })
  async definition(definitionId: string): Promise<{ aggregation: Aggregation; breakdown: string | null } | undefined> {
    const [definition] = await namedQuery<{ aggregation: Aggregation; breakdown: string | null }>(
      db(this.dataSource),
      'SELECT aggregation, breakdown FROM indicator_definition WHERE id = :definitionId',
      { definitionId },
    );
    return definition;
  }

  /** Adds a measurement; its id. */
  @GenerateSql({
    name: 'a measurement',
    args: () => [
      {
        goalId: EXAMPLE_GOAL,
        definitionId: EXAMPLE_DEFINITION,
        value: '12',
        measuredOn: '2026-06-30',
        comment: null,
        author: 'example editor key',
        authorKeyId: '00000000-0000-4000-8000-00000000a001',
      },
    ],
  })
  async insert(values: Omit<Measurement, 'id' | 'createdAt'>): Promise<string> {
    const result = await db(this.dataSource).getRepository(Measurement).insert(values);
    return (result.identifiers[0] as { id: string } | undefined)?.id ?? '';
  }

  /** The organisations a measurement counts: one statement, however many. */
  @GenerateSql({
    name: 'two organisations',
    args: () => [
      EXAMPLE_MEASUREMENT,
      [
        { organisationNumber: '556677-8899', enterpriseSize: 'small' },
        { organisationNumber: '559900-1122', enterpriseSize: null },
      ],
    ],
  })
  async insertOrganisations(id: string, organisations: MeasuredOrganisationResponse[]): Promise<void> {
    await namedQuery(
      db(this.dataSource),
      `INSERT INTO measurement_organisation (measurement_id, organisation_number, enterprise_size)
       SELECT :id, o.number, o.size::enterprise_size FROM unnest(CAST(:numbers AS varchar[]), CAST(:sizes AS text[])) AS o(number, size)`,
      { id, numbers: organisations.map((o) => o.organisationNumber), sizes: organisations.map((o) => o.enterpriseSize) },
    );
  }

  /** A measurement as stored. */
  @GenerateSql({ name: 'a measurement', args: () => [EXAMPLE_MEASUREMENT] })
  find(id: string): Promise<Measurement> {
    return db(this.dataSource).getRepository(Measurement).findOneByOrFail({ id });
  }
}
