import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/app.js';

interface Written {
  file: string;
  heading: string;
  sql: string;
  parameters: unknown[];
}

/** The statements of the committed sql/*.sql files, each with the example parameters written above it. */
function committedStatements(): Written[] {
  const directory = join(process.cwd(), 'sql');
  const out: Written[] = [];
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.sql'))) {
    for (const block of readFileSync(join(directory, file), 'utf8').split('\n\n').slice(1)) {
      const lines = block.trim().split('\n');
      const parameters = lines
        .map((line) => /^-- \$\d+ = (.*)$/.exec(line)?.[1])
        .filter((value) => value !== undefined)
        .map((value): unknown => JSON.parse(value));
      const sql = lines
        .filter((line) => !line.startsWith('--'))
        .join('\n')
        .replace(/;$/, '');
      out.push({ file, heading: lines[0], sql, parameters });
    }
  }
  return out;
}

describe('the committed SQL (sql/*.sql)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('holds the statements of every repository marked @GenerateSql, each of which PostgreSQL plans against the migrated schema', async () => {
    const statements = committedStatements();
    expect(new Set(statements.map((s) => s.file))).toEqual(
      new Set([
        'reports.repository.sql',
        'risks-actors.repository.sql',
        'dashboard.repository.sql',
        'follow-up.repository.sql',
        'plan-changes.repository.sql',
        'submission-compare.repository.sql',
        'statements.repository.sql',
        'indicator-totals.repository.sql',
        'funders.repository.sql',
        'report-submissions.repository.sql',
        'late-entries.repository.sql',
        'clusters.repository.sql',
        'actors.repository.sql',
        'narratives.repository.sql',
        'measurements.repository.sql',
        'indicator-definitions.repository.sql',
        'auth.repository.sql',
        'api-keys.repository.sql',
        'revisions.repository.sql',
        'events.repository.sql',
        'webhooks.repository.sql',
        'webhook-deliveries.repository.sql',
        'subscriptions.repository.sql',
        'outbox.repository.sql',
        'emails.repository.sql',
      ]),
    );
    expect(statements.length).toBeGreaterThanOrEqual(15);
    for (const s of statements) {
      expect(s.heading).toMatch(/^-- \w+\.\w+: /);
      await expect(t.dataSource.query(`EXPLAIN ${s.sql}`, s.parameters)).resolves.toEqual(expect.any(Array));
    }
  });
});
