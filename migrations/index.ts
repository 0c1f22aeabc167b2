import { Foundation1795782518626 } from './1795782518626-Foundation.js';
import { ActionPlan1795783438849 } from './1795783438849-ActionPlan.js';
import { Idempotency1795785432842 } from './1795785432842-Idempotency.js';
import { ClusterNameKey1795790000000 } from './1795790000000-ClusterNameKey.js';
import { ForgetStoredSecrets1795790000001 } from './1795790000001-ForgetStoredSecrets.js';
import { RisksAndActors1796016905129 } from './1796016905129-RisksAndActors.js';
import { UpdateCadence1796100000000 } from './1796100000000-UpdateCadence.js';
import { RecentHistoryIndex1796100000001 } from './1796100000001-RecentHistoryIndex.js';
import { IndicatorMilestones1796100000002 } from './1796100000002-IndicatorMilestones.js';
import { ReportLinks1796100000100 } from './1796100000100-ReportLinks.js';
import { Revisions1796200000000 } from './1796200000000-Revisions.js';
import { KeptReports1796300000000 } from './1796300000000-KeptReports.js';
import { ReportSubmissions1796400000000 } from './1796400000000-ReportSubmissions.js';
import { Events1796500000000 } from './1796500000000-Events.js';
import { Webhooks1796500000001 } from './1796500000001-Webhooks.js';
import { WebhookStart1796500000010 } from './1796500000010-WebhookStart.js';
import { WebhookDeliverySkipped1796500000011 } from './1796500000011-WebhookDeliverySkipped.js';
import { EmailNotifications1796700000004 } from './1796700000004-EmailNotifications.js';
import { EmailCreatedIndex1796700000005 } from './1796700000005-EmailCreatedIndex.js';
import { LastStatus1796800000000 } from './1796800000000-LastStatus.js';
import { OpenReports1796900000000 } from './1796900000000-OpenReports.js';
import { ReplanRevisionIndex1796900563378 } from './1796900563378-ReplanRevisionIndex.js';
import { SubmissionKnownAt1796600000000 } from './1796600000000-SubmissionKnownAt.js';
import { Narratives1796600000001 } from './1796600000001-Narratives.js';
import { SignedStatements1796700000003 } from './1796700000003-SignedStatements.js';
import { IndicatorDefinitions1796700000000 } from './1796700000000-IndicatorDefinitions.js';
import { IndicatorAdoption1796700000001 } from './1796700000001-IndicatorAdoption.js';
import { MeasuredOrganisations1796700000002 } from './1796700000002-MeasuredOrganisations.js';

/**
 * Every migration, in order. Listed rather than globbed, like the entities:
 * TypeORM's glob loading imports files behind the module loader's back.
 * Add each new file from `npm run migration:generate` here; a test checks that none is missing.
 */
export const MIGRATIONS = [
  Foundation1795782518626,
  ActionPlan1795783438849,
  Idempotency1795785432842,
  ClusterNameKey1795790000000,
  ForgetStoredSecrets1795790000001,
  RisksAndActors1796016905129,
  UpdateCadence1796100000000,
  RecentHistoryIndex1796100000001,
  IndicatorMilestones1796100000002,
  ReportLinks1796100000100,
  Revisions1796200000000,
  KeptReports1796300000000,
  ReportSubmissions1796400000000,
  Events1796500000000,
  Webhooks1796500000001,
  WebhookStart1796500000010,
  WebhookDeliverySkipped1796500000011,
  SubmissionKnownAt1796600000000,
  Narratives1796600000001,
  IndicatorDefinitions1796700000000,
  IndicatorAdoption1796700000001,
  MeasuredOrganisations1796700000002,
  SignedStatements1796700000003,
  EmailNotifications1796700000004,
  EmailCreatedIndex1796700000005,
  LastStatus1796800000000,
  OpenReports1796900000000,
  ReplanRevisionIndex1796900563378,
];
