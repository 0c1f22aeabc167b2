import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetails } from './common/problem-details.js';
import { hardenDocument } from './openapi-hardening.js';
import { PLAN_ITEM_KINDS } from './plan-item-kinds.js';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Styrman')
    .setDescription(
      'Action plans of regional cluster initiatives — vision, goals, indicators, low-hanging fruits and activities — ' +
        'with red / yellow / green traffic lights and a status history kept for ever.\n\n' +
        'Every `/api/v1` request needs an API key: `Authorization: Bearer <key>` or `X-API-Key: <key>`. ' +
        'Click **Authorize** and paste a key. Errors are RFC 9457 problem details (`application/problem+json`).',
    )
    .setVersion('1.0.0')
    .setLicense('Proprietary', 'https://styrman.dev/license')
    .setContact('Styrman', 'https://styrman.dev', 'support@styrman.dev')
    .addServer('/', 'The server this document is served from: production, staging or a local development instance')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, as `Authorization: Bearer <key>`.' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key, as `X-API-Key: <key>`.' }, 'api-key')
    .addTag('clusters', 'Cluster initiatives: name, region, phase, vision and purpose.')
    .addTag('plan', 'The whole action plan in one read, and what changed in it between two moments.');
  // Every kind of plan item is tagged by its path, in the order of the kinds.
  for (const kind of PLAN_ITEM_KINDS) builder.addTag(kind.routes.path, kind.routes.docs.tag);
  const config = builder
    .addTag('actors', 'The stakeholder analysis: organisations in the inner and outer core, and how far each is engaged.')
    .addTag('status', 'Traffic lights: update the status of a goal, activity, low-hanging fruit or risk, and read its history.')
    .addTag('revisions', 'Every version of every resource: what changed, field by field, who and when.')
    .addTag('funders', 'Funders and the fundings they give clusters.')
    .addTag('reports', 'Reports over a period for funders and steering groups: JSON, CSV or an Excel workbook, and links to share them.')
    .addTag(
      'indicators',
      'Programme indicators: the definitions funders ask every cluster to measure the same way, and their totals, each organisation counted once.',
    )
    .addTag(
      'narratives',
      'Period narratives (lägesrapportens text): what a cluster writes about a reporting period, carried by its reports.',
    )
    .addTag('report-submissions', 'Reports submitted to funders: frozen byte for byte, acknowledged or returned, and what is due.')
    .addTag('dashboard', 'Current traffic lights of many clusters, and embeddable badges.')
    .addTag('follow-up', 'The follow-up rhythm: items that need a status update, and the traffic lights month by month.')
    .addTag('events', 'What changed since a cursor: a gap-free feed of events, and signed webhooks that deliver them.')
    .addTag('notifications', 'Emails about reports due, decisions, red statuses and a weekly digest: subscriptions with double opt-in.')
    .addTag('keys', 'API keys and their roles (admin only).')
    .addTag('signatures', 'Signed statements of submitted reports, their hash chain, and the public keys that verify them.')
    .addTag('health', 'Liveness and readiness, without a key.')
    .build();
  // Tags are named where the routes are declared; none is made up from a controller's class name.
  return hardenDocument(SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetails], autoTagControllers: false }));
}

export function setupOpenApi(app: INestApplication): void {
  // Built when /docs or /docs-json is first asked for, then kept: an instance that only serves the API never holds
  // the document (~1 MB of JSON, several MB of heap) nor Swagger UI's copy of it.
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Styrman API',
    // filter: a search box over ~50 operations; persistAuthorization: a reload keeps the key pasted into Authorize.
    swaggerOptions: { persistAuthorization: true, filter: true, displayRequestDuration: true, tryItOutEnabled: false },
  });
  // The root is where people land first: send them to Swagger UI.
  app
    .getHttpAdapter()
    .get('/', (_request: unknown, reply: { redirect: (url: string, code?: number) => void }) => reply.redirect('/docs', 302));
}
