import { ApiKey } from './auth/api-key.entity.js';
import { Cluster } from './clusters/cluster.entity.js';
import { Funder } from './funders/funder.entity.js';
import { Funding } from './funders/funding.entity.js';
import { Activity } from './activities/activity.entity.js';
import { Goal } from './goals/goal.entity.js';
import { Measurement } from './goals/measurement.entity.js';
import { MeasurementOrganisation } from './goals/measurement-organisation.entity.js';
import { LowHangingFruit } from './low-hanging-fruits/low-hanging-fruit.entity.js';
import { StatusUpdate } from './plan-items/history/status-update.entity.js';
import { IdempotencyKey } from './idempotency/idempotency-key.entity.js';
import { Risk } from './risks/risk.entity.js';
import { Actor, ActorEngagement } from './actors/actor.entity.js';
import { ReportLink } from './reports/deliver/links/report-link.entity.js';
import { Revision } from './revisions/revision.entity.js';
import { ReportSubmission, SubmittedReport } from './report-submissions/report-submission.entity.js';
import { Narrative } from './narratives/narrative.entity.js';
import { SigningKey, SubmissionStatement } from './signatures/statement.entity.js';
import { IndicatorDefinition } from './indicators/indicator-definition.entity.js';

/**
 * Every entity of the application, given to the data source by the app
 * module, the migration CLI (src/data-source.ts) and the tests; listed here at
 * the top so that database/ depends on no feature. Listed rather than globbed: a glob makes TypeORM import its
 * own copies of the classes, which breaks under test runners with their own
 * module registry.
 *
 * Not every table has an entity, and none needs one to be queried: a feature's
 * SQL lives in its `*.repository.ts`, whether it goes through these entities
 * (the query builder, `getRepository`) or is plain SQL on tables without one
 * (webhooks and their deliveries, subscriptions and emails, the events feed's
 * cursors). Each repository method carries one `@GenerateSql` example, so
 * `npm run sql` writes every statement a service can send to `sql/`.
 */
export const ENTITIES = [
  ApiKey,
  Cluster,
  Funder,
  Funding,
  Goal,
  Measurement,
  Activity,
  LowHangingFruit,
  Risk,
  Actor,
  ActorEngagement,
  StatusUpdate,
  IdempotencyKey,
  ReportLink,
  Revision,
  ReportSubmission,
  SubmittedReport,
  Narrative,
  SigningKey,
  SubmissionStatement,
  IndicatorDefinition,
  MeasurementOrganisation,
];
