import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../migrations/index.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { ENTITIES } from '../src/entities.js';
import { createEmptyDatabase, dropTestDatabase } from './support/database.js';

const KNOWN_AT = MIGRATIONS.findIndex((m) => m.name === 'SubmissionKnownAt1796600000000');
const BODY = '{"from":"2025-12-31T23:00:00.000Z","to":"2026-06-30T21:59:59.999Z","period":"2026-H1","complete":true}';

describe('the migration that gives submissions their knownAt', () => {
  let url: string;
  let ds: DataSource;
  beforeAll(async () => {
    url = await createEmptyDatabase();
    // A submission made before knownAt existed: built as known at the end of its period.
    const before = new DataSource({ ...dataSourceOptions(url, ENTITIES), migrations: MIGRATIONS.slice(0, KNOWN_AT) });
    await before.initialize();
    await before.runMigrations({ transaction: 'all' });
    await before.query(`
      INSERT INTO cluster (id, name, name_key, region, phase) VALUES ('00000000-0000-4000-8000-000000000001', 'Findit', 'findit', 'Gävleborg', 'formation');
      INSERT INTO funder (id, name, kind) VALUES ('00000000-0000-4000-8000-000000000002', 'Vinnova', 'national_agency');
      INSERT INTO report_submission (id, cluster_id, funder_id, period, period_from, period_to, first_day, last_day, sha256, submitted_at, submitted_by)
        VALUES ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002',
                '2026-H1', '2025-12-31T23:00:00Z', '2026-06-30T21:59:59.999Z', '2026-01-01', '2026-06-30',
                encode(sha256(convert_to('${BODY}', 'UTF8')), 'hex'), '2026-08-14T09:30:00Z', 'Findit process leader');
      INSERT INTO submitted_report (submission_id, body, sha256, latest_comments)
        VALUES ('00000000-0000-4000-8000-000000000003', convert_to('${BODY}', 'UTF8'), encode(sha256(convert_to('${BODY}', 'UTF8')), 'hex'), '{}');
    `);
    await before.destroy();
    ds = new DataSource(dataSourceOptions(url, ENTITIES));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'all' });
  });
  afterAll(async () => {
    await ds.destroy();
    await dropTestDatabase(url);
  });

  it('gives an earlier submission the end of its period as knownAt, which is what its bytes were built with, and leaves them as they were', async () => {
    const [row] = await ds.query(
      `SELECT s.known_at, s.period_to, s.submitted_at, r.body, r.sha256 FROM report_submission s JOIN submitted_report r ON r.submission_id = s.id`,
    );
    expect(row.known_at.toISOString()).toBe('2026-06-30T21:59:59.999Z');
    expect(row.known_at.toISOString()).toBe(row.period_to.toISOString());
    expect((row.body as Buffer).toString('utf8')).toBe(BODY);
    // A later one can never be known before its period ended.
    await expect(
      ds.query(`UPDATE report_submission SET known_at = period_to - interval '1 day' WHERE id = '00000000-0000-4000-8000-000000000003'`),
    ).rejects.toThrow(/ck_report_submission__known_at/);
  });
});
