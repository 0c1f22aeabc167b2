import { Body, Controller, Delete, Get, HttpCode, Patch, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentCaller } from '../auth/auth.decorators.js';
import { type Caller, ROLES } from '../auth/role.js';
import { ApiBadRequest, ApiConditionalWrite, ApiConflict, ApiNotFound, ApiUnprocessable } from '../common/api-responses.js';
import { IfMatch, WithETag } from '../common/etag.js';
import { PageOf } from '../common/page.dto.js';
import type { Page } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import { SecretInResponse } from '../idempotency/idempotency.interceptor.js';
import {
  CreatedWebhookResponse,
  CreateWebhookDto,
  DeliveryResponse,
  ListDeliveriesQueryDto,
  ListWebhooksQueryDto,
  UpdateWebhookDto,
  WebhookResponse,
} from './dto/webhook.dto.js';
import { WebhooksService } from './webhooks.service.js';
import { IdempotentPost } from '../idempotency/idempotent-post.js';

const WebhookPage = PageOf(WebhookResponse, 'WebhookPage');
const DeliveryPage = PageOf(DeliveryResponse, 'WebhookDeliveryPage');
const OWN = 'Any key, for its own webhooks; admin keys for all. Another key’s webhook is a 404.';
const URL_RULE =
  'The url is not https://, or resolves to a private, loopback, link-local or reserved address (unless WEBHOOK_ALLOW_PRIVATE=true); ' +
  'or clusterIds names a cluster the key may not read.';

@ApiTags('events')
// Every role may keep webhooks (each its own); the roles are named so that the document says who may write.
@Controller('webhooks')
@Auth(...ROLES)
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @IdempotentPost()
  @WithETag()
  @ApiOperation({
    summary: 'Create a webhook',
    description:
      'Sends what changes (the events your key may read, filtered by `types` and `clusterIds`) to your system at `url` as it happens. ' +
      'Any key.\n\nDetails: events are POSTed to `url`, signed with the Standard ' +
      'Webhooks scheme (`webhook-id` is the event id, `webhook-timestamp`, `webhook-signature`). The answer carries the ' +
      'signing `secret` once. At least once: a receiver dedupes by `webhook-id`. A 2xx within 10 s is a success; otherwise ' +
      'retries after about 5 s, 30 s, 2 min, 10 min, 1 h, 6 h and 24 h, then `failed`; an endpoint failing for 3 days is disabled. ' +
      'A key may have WEBHOOK_MAX_PER_KEY (10) webhooks that are not deleted; at most 2 deliveries of a webhook are in flight at once.',
  })
  @SecretInResponse({
    fields: ['secret'],
    did: (id) => (id ? `created webhook ${id}` : 'created a webhook'),
    lost: 'If the secret was lost, make a new one with POST /webhooks/{id}/secret.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  @ApiBadRequest()
  @ApiConflict('The key already has WEBHOOK_MAX_PER_KEY (10 by default) webhooks that are not deleted.')
  @ApiUnprocessable(URL_RULE)
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    return this.webhooks.create(caller, dto);
  }

  @Get()
  @WithETag()
  @ApiOperation({ summary: 'List webhooks', description: 'A key’s own webhooks; all for admin keys. Secrets are never shown again.' })
  @ApiOkResponse({ type: WebhookPage })
  @ApiBadRequest()
  list(@CurrentCaller() caller: Caller, @Query() query: ListWebhooksQueryDto): Promise<Page<WebhookResponse>> {
    return this.webhooks.list(caller, query);
  }

  @Get(':webhookId')
  @WithETag()
  @ApiOperation({ summary: 'Get a webhook', description: OWN })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiBadRequest('webhookId is not a UUID.')
  @ApiNotFound('webhook')
  get(@CurrentCaller() caller: Caller, @UuidParam('webhookId') id: string): Promise<WebhookResponse> {
    return this.webhooks.get(caller, id);
  }

  @Patch(':webhookId')
  @WithETag()
  @ApiOperation({
    summary: 'Change a webhook',
    description: `${OWN} Only the fields sent change; \`disabled: false\` turns a disabled one on again.`,
  })
  @ApiConditionalWrite()
  @ApiOkResponse({ type: WebhookResponse })
  @ApiBadRequest()
  @ApiNotFound('webhook')
  @ApiConflict('The webhook is deleted (archived).')
  @ApiUnprocessable(URL_RULE)
  update(
    @CurrentCaller() caller: Caller,
    @UuidParam('webhookId') id: string,
    @Body() dto: UpdateWebhookDto,
    @IfMatch() ifMatch: number[] | undefined,
  ): Promise<WebhookResponse> {
    return this.webhooks.update(caller, id, dto, ifMatch);
  }

  @IdempotentPost(':webhookId/secret')
  @WithETag()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Make a new signing secret',
    description:
      `${OWN} The answer carries the new \`secret\` once; deliveries from now on are signed with it (the old one no longer ` +
      'signs). Also the way out for a secret that cannot be decrypted any more (its deliveries fail saying so).',
  })
  @SecretInResponse({
    fields: ['secret'],
    did: (id) => (id ? `made a new secret for webhook ${id}` : 'made a new secret'),
    lost: 'If it was lost, make another with POST /webhooks/{id}/secret.',
  })
  @ApiOkResponse({ type: CreatedWebhookResponse })
  @ApiBadRequest('webhookId is not a UUID.')
  @ApiNotFound('webhook')
  @ApiConflict('The webhook is deleted (archived).')
  newSecret(@CurrentCaller() caller: Caller, @UuidParam('webhookId') id: string): Promise<CreatedWebhookResponse> {
    return this.webhooks.newSecret(caller, id);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a webhook',
    description: `${OWN} Archives it: deliveries stop (pending ones are not sent); it and its delivery log stay readable by id. Again: 204.`,
  })
  @ApiNoContentResponse({ description: 'Deleted (archived), or already.' })
  @ApiBadRequest('webhookId is not a UUID.')
  @ApiNotFound('webhook')
  remove(@CurrentCaller() caller: Caller, @UuidParam('webhookId') id: string): Promise<void> {
    return this.webhooks.remove(caller, id);
  }

  @Get(':webhookId/deliveries')
  @WithETag()
  @ApiOperation({ summary: 'The delivery log of a webhook, newest first', description: OWN })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiBadRequest()
  @ApiNotFound('webhook')
  deliveries(
    @CurrentCaller() caller: Caller,
    @UuidParam('webhookId') id: string,
    @Query() query: ListDeliveriesQueryDto,
  ): Promise<Page<DeliveryResponse>> {
    return this.webhooks.deliveries(caller, id, query);
  }

  @IdempotentPost(':webhookId/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a delivery again now',
    description: `${OWN} A pending delivery is tried at once; a failed or succeeded one once more.`,
  })
  @ApiAcceptedResponse({ type: DeliveryResponse })
  @ApiBadRequest('An id is not a UUID.')
  @ApiNotFound('webhook or delivery')
  @ApiConflict('The webhook is disabled or deleted, or its API key is revoked.')
  retry(
    @CurrentCaller() caller: Caller,
    @UuidParam('webhookId') id: string,
    @UuidParam('deliveryId') deliveryId: string,
  ): Promise<DeliveryResponse> {
    return this.webhooks.retry(caller, id, deliveryId);
  }

  @IdempotentPost(':webhookId/ping')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a test message',
    description: `${OWN} Queues a signed \`webhook.ping\` message, delivered and logged like an event.`,
  })
  @ApiAcceptedResponse({ type: DeliveryResponse })
  @ApiBadRequest('webhookId is not a UUID.')
  @ApiNotFound('webhook')
  @ApiConflict('The webhook is disabled or deleted, or its API key is revoked.')
  ping(@CurrentCaller() caller: Caller, @UuidParam('webhookId') id: string): Promise<DeliveryResponse> {
    return this.webhooks.ping(caller, id);
  }
}
