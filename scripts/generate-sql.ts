/**
 * Writes the SQL of the read models to `sql/` (`npm run sql`), or with --check
 * fails when the committed files differ from what the code sends
 * (`npm run sql:check`, run by CI). Each method marked `@GenerateSql` is called
 * with its example arguments on a data source that is never connected: the
 * statements it would send are caught before they leave, with their
 * parameters, and written out in one layout (@sqltools/formatter, which
 * TypeORM uses too). Needs no database.
 */
import 'reflect-metadata';
import { format } from '@sqltools/formatter';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource, EntityNotFoundError } from 'typeorm';
import { ActorsRepository } from '../src/actors/actors.repository.js';
import { ClustersRepository } from '../src/clusters/clusters.repository.js';
import { DomainError } from '../src/common/domain-error.js';
import { DashboardRepository } from '../src/dashboard/dashboard.repository.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { sqlMethods } from '../src/database/generate-sql.js';
import { ENTITIES } from '../src/entities.js';
import { FollowUpRepository } from '../src/follow-up/follow-up.repository.js';
import { FundersRepository } from '../src/funders/funders.repository.js';
import { IndicatorTotalsRepository } from '../src/indicators/indicator-totals.repository.js';
import { PlanChangesRepository } from '../src/plan/plan-changes.repository.js';
import { NarrativesRepository } from '../src/narratives/narratives.repository.js';
import { MeasurementsRepository } from '../src/goals/measurements.repository.js';
import { IndicatorDefinitionsRepository } from '../src/indicators/indicator-definitions.repository.js';
import { AuthRepository } from '../src/auth/auth.repository.js';
import { ApiKeysRepository } from '../src/api-keys/api-keys.repository.js';
import { RevisionsRepository } from '../src/revisions/revisions.repository.js';
import { EventsRepository } from '../src/events/events.repository.js';
import { WebhooksRepository } from '../src/webhooks/webhooks.repository.js';
import { WebhookDeliveriesRepository } from '../src/webhooks/webhook-deliveries.repository.js';
import { SubscriptionsRepository } from '../src/notifications/subscriptions.repository.js';
import { OutboxRepository } from '../src/notifications/outbox.repository.js';
import { EmailsRepository } from '../src/notifications/emails.repository.js';
import { LateEntriesRepository } from '../src/report-submissions/late-entries.repository.js';
import { ReportSubmissionsRepository } from '../src/report-submissions/report-submissions.repository.js';
import { SubmissionCompareRepository } from '../src/report-submissions/submission-compare.repository.js';
import { StatementsRepository } from '../src/signatures/statements.repository.js';
import { ReportsRepository } from '../src/reports/read/reports.repository.js';
import { RisksActorsRepository } from '../src/reports/read/risks-actors.repository.js';

const directory = join(import.meta.dirname, '..', '..', 'sql');

/** The read models written out: the file, the source it comes from, and how to make one. */
const readModels = [
  {
    file: 'reports.repository.sql',
    source: 'src/reports/read/reports.repository.ts',
    owner: ReportsRepository,
    make: (d: DataSource) => new ReportsRepository(d),
  },
  {
    file: 'risks-actors.repository.sql',
    source: 'src/reports/read/risks-actors.repository.ts',
    owner: RisksActorsRepository,
    make: (d: DataSource) => new RisksActorsRepository(d),
  },
  {
    file: 'dashboard.repository.sql',
    source: 'src/dashboard/dashboard.repository.ts',
    owner: DashboardRepository,
    make: (d: DataSource) => new DashboardRepository(d),
  },
  {
    file: 'follow-up.repository.sql',
    source: 'src/follow-up/follow-up.repository.ts',
    owner: FollowUpRepository,
    make: (d: DataSource) => new FollowUpRepository(d),
  },
  {
    file: 'plan-changes.repository.sql',
    source: 'src/plan/plan-changes.repository.ts',
    owner: PlanChangesRepository,
    make: (d: DataSource) => new PlanChangesRepository(d),
  },
  {
    file: 'submission-compare.repository.sql',
    source: 'src/report-submissions/submission-compare.repository.ts',
    owner: SubmissionCompareRepository,
    make: (d: DataSource) => new SubmissionCompareRepository(d),
  },
  {
    file: 'statements.repository.sql',
    source: 'src/signatures/statements.repository.ts',
    owner: StatementsRepository,
    make: (d: DataSource) => new StatementsRepository(d),
  },
  {
    file: 'indicator-totals.repository.sql',
    source: 'src/indicators/indicator-totals.repository.ts',
    owner: IndicatorTotalsRepository,
    make: (d: DataSource) => new IndicatorTotalsRepository(d),
  },
  {
    file: 'funders.repository.sql',
    source: 'src/funders/funders.repository.ts',
    owner: FundersRepository,
    make: (d: DataSource) => new FundersRepository(d),
  },
  {
    file: 'report-submissions.repository.sql',
    source: 'src/report-submissions/report-submissions.repository.ts',
    owner: ReportSubmissionsRepository,
    make: (d: DataSource) => new ReportSubmissionsRepository(d),
  },
  {
    file: 'late-entries.repository.sql',
    source: 'src/report-submissions/late-entries.repository.ts',
    owner: LateEntriesRepository,
    make: (d: DataSource) => new LateEntriesRepository(d),
  },
  {
    file: 'clusters.repository.sql',
    source: 'src/clusters/clusters.repository.ts',
    owner: ClustersRepository,
    make: (d: DataSource) => new ClustersRepository(d),
  },
  {
    file: 'actors.repository.sql',
    source: 'src/actors/actors.repository.ts',
    owner: ActorsRepository,
    make: (d: DataSource) => new ActorsRepository(d),
  },
  {
    file: 'narratives.repository.sql',
    source: 'src/narratives/narratives.repository.ts',
    owner: NarrativesRepository,
    make: (d: DataSource) => new NarrativesRepository(d),
  },
  {
    file: 'measurements.repository.sql',
    source: 'src/goals/measurements.repository.ts',
    owner: MeasurementsRepository,
    make: (d: DataSource) => new MeasurementsRepository(d),
  },
  {
    file: 'indicator-definitions.repository.sql',
    source: 'src/indicators/indicator-definitions.repository.ts',
    owner: IndicatorDefinitionsRepository,
    make: (d: DataSource) => new IndicatorDefinitionsRepository(d),
  },
  {
    file: 'auth.repository.sql',
    source: 'src/auth/auth.repository.ts',
    owner: AuthRepository,
    make: (d: DataSource) => new AuthRepository(d),
  },
  {
    file: 'api-keys.repository.sql',
    source: 'src/api-keys/api-keys.repository.ts',
    owner: ApiKeysRepository,
    make: (d: DataSource) => new ApiKeysRepository(d),
  },
  {
    file: 'revisions.repository.sql',
    source: 'src/revisions/revisions.repository.ts',
    owner: RevisionsRepository,
    make: (d: DataSource) => new RevisionsRepository(d),
  },
  {
    file: 'events.repository.sql',
    source: 'src/events/events.repository.ts',
    owner: EventsRepository,
    make: (d: DataSource) => new EventsRepository(d),
  },
  {
    file: 'webhooks.repository.sql',
    source: 'src/webhooks/webhooks.repository.ts',
    owner: WebhooksRepository,
    make: (d: DataSource) => new WebhooksRepository(d),
  },
  {
    file: 'webhook-deliveries.repository.sql',
    source: 'src/webhooks/webhook-deliveries.repository.ts',
    owner: WebhookDeliveriesRepository,
    make: (d: DataSource) => new WebhookDeliveriesRepository(d),
  },
  {
    file: 'subscriptions.repository.sql',
    source: 'src/notifications/subscriptions.repository.ts',
    owner: SubscriptionsRepository,
    make: (d: DataSource) => new SubscriptionsRepository(d),
  },
  {
    file: 'outbox.repository.sql',
    source: 'src/notifications/outbox.repository.ts',
    owner: OutboxRepository,
    make: (d: DataSource) => new OutboxRepository(d),
  },
  {
    file: 'emails.repository.sql',
    source: 'src/notifications/emails.repository.ts',
    owner: EmailsRepository,
    make: (d: DataSource) => new EmailsRepository(d),
  },
];

interface Statement {
  sql: string;
  parameters: unknown[];
}

const sent: Statement[] = [];
// The application's own options (its naming of columns above all), never connected.
const dataSource = new DataSource(dataSourceOptions('postgres://never-connected/styrman', ENTITIES));
// The entities' metadata, which the query builder and the entity repositories need; no connection.
await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
// Catch what would be sent, and answer with no rows.
Object.defineProperty(dataSource.manager, 'query', {
  value: (sql: string, parameters: unknown[] = []) => {
    sent.push({ sql, parameters });
    return Promise.resolve([]);
  },
});
// The query builder and the entity repositories send through a query runner: one that catches too, as inside a
// transaction (a locking read refuses to run outside one).
const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
Object.defineProperty(dataSource, 'createQueryRunner', {
  value: () => {
    const runner = createQueryRunner('master');
    Object.defineProperties(runner, {
      isTransactionActive: { value: true },
      release: { value: () => Promise.resolve() },
      query: {
        value: (sql: string, parameters: unknown[] = [], structured = false) => {
          sent.push({ sql, parameters });
          return Promise.resolve(structured ? { records: [], raw: [], affected: 0 } : []);
        },
      },
    });
    return runner;
  },
});

function literal(value: unknown): string {
  return JSON.stringify(value instanceof Date ? value.toISOString() : value);
}

async function render(model: (typeof readModels)[number]): Promise<string> {
  const instance = model.make(dataSource);
  const out = [
    `-- The SQL that ${model.owner.name} (${model.source}) sends, written by \`npm run sql\`: do not edit.`,
    '-- CI (`npm run sql:check`) fails when this file and the code differ.',
  ];
  for (const { method, examples } of sqlMethods(model.owner)) {
    const run: unknown = Reflect.get(instance, method);
    if (typeof run !== 'function') throw new Error(`${model.owner.name}.${method} is not a method`);
    for (const example of examples) {
      sent.length = 0;
      // No rows come back: a method that needs one (`findOneByOrFail`, a read that answers 404) throws after it
      // has sent its statement.
      await (run.apply(instance, example.args()) as Promise<unknown>).catch((error: unknown) => {
        const noRow = error instanceof EntityNotFoundError || (error instanceof DomainError && error.code === 'not-found');
        if (!noRow || sent.length === 0) throw error;
      });
      if (sent.length === 0) throw new Error(`${model.owner.name}.${method} (${example.name}) sent no statement`);
      for (const { sql, parameters } of sent) {
        out.push('', `-- ${model.owner.name}.${method}: ${example.name}`);
        parameters.forEach((value, i) => out.push(`-- $${i + 1} = ${literal(value)}`));
        out.push(`${format(sql, { language: 'sql', indent: '  ' })};`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

const generated = new Map<string, string>();
for (const model of readModels) generated.set(model.file, await render(model));

if (process.argv.includes('--check')) {
  const committed = (await readdir(directory).catch(() => [])).filter((f) => f.endsWith('.sql'));
  const stale = [...new Set([...committed, ...generated.keys()])].filter((file) => !generated.has(file) || !committed.includes(file));
  for (const [file, text] of generated) {
    if (committed.includes(file) && (await readFile(join(directory, file), 'utf8')) !== text) stale.push(file);
  }
  if (stale.length > 0) {
    process.stderr.write(`sql/ is out of date (${stale.join(', ')}): run \`npm run sql\` and commit the result.\n`);
    process.exit(1);
  }
  process.stdout.write(`sql/ matches the code (${generated.size} files).\n`);
} else {
  await mkdir(directory, { recursive: true });
  for (const file of await readdir(directory)) if (file.endsWith('.sql') && !generated.has(file)) await rm(join(directory, file));
  for (const [file, text] of generated) await writeFile(join(directory, file), text);
  process.stdout.write(`sql/ written: ${[...generated.keys()].join(', ')}.\n`);
}
