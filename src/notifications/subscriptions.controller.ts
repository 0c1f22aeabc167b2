import { Body, Controller, Delete, Get, Header, HttpCode, Param, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExcludeEndpoint,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Auth, CurrentCaller, Public } from '../auth/auth.decorators.js';
import { type Caller, ROLES } from '../auth/role.js';
import { ApiBadRequest, ApiConflict, ApiNotFound, ApiUnprocessable, ProblemResponse } from '../common/api-responses.js';
import { PageOf } from '../common/page.dto.js';
import { type Page, PageQueryDto } from '../common/pagination.js';
import { UuidParam } from '../common/validation.js';
import { DomainError } from '../common/domain-error.js';
import { ConfirmedSubscriptionResponse, CreateSubscriptionDto, EmailResponse, SubscriptionResponse } from './dto/subscription.dto.js';
import { SubscriptionsService } from './subscriptions.service.js';
import { IdempotentPost } from '../idempotency/idempotent-post.js';

const SubscriptionPage = PageOf(SubscriptionResponse, 'SubscriptionPage');
const EmailPage = PageOf(EmailResponse, 'EmailPage');
const OWN = 'Any key, for its own subscriptions; admin keys for all. Another key’s subscription is a 404.';
const TOKEN = /^[A-Za-z0-9_-]{16,100}$/;

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head>
<body style="font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;max-width:560px;margin:48px auto;padding:0 16px;color:#1d2433">
${body}</body></html>`;
}

@ApiTags('notifications')
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @IdempotentPost()
  // Every role may subscribe (each key its own); the emails carry only what the key may read.
  @Auth(...ROLES)
  @ApiOperation({
    summary: 'Subscribe an email address',
    description:
      'Any key. The subscription starts `pending` and a confirmation email goes to `email`; nothing else is sent until the link ' +
      'in it is opened (`GET /subscriptions/confirm/{token}`, no key: answers `{ "id", "state": "confirmed" }`, again the same; an ' +
      'unknown token is a 404). Each email is about what the key may read when it is sent, ' +
      'limited to `clusterIds`, and carries a one-click unsubscribe (`List-Unsubscribe`, `List-Unsubscribe-Post`, RFC 8058) ' +
      'and a link that works without a key. Topics: `submission_due` (14 and 3 days before a report is due — the funder’s ' +
      '`reportDueDays` after the period — and the day after, while it is missing or returned), `submission_decided` ' +
      '(within a minute of an acknowledgement or a return), `red_status` (within a minute of an item turning red), ' +
      '`weekly_digest` (Mondays 08:00 in the report time zone, Stockholm unless set otherwise: a cluster’s needs-update list). The address is the only personal ' +
      'data kept; DELETE removes it. A key may have EMAIL_MAX_SUBSCRIPTIONS_PER_KEY (20) subscriptions.',
  })
  @ApiCreatedResponse({ type: SubscriptionResponse })
  @ApiBadRequest()
  @ApiConflict('The key already has EMAIL_MAX_SUBSCRIPTIONS_PER_KEY (20 by default) subscriptions.')
  @ApiUnprocessable('clusterIds names a cluster the key may not read.')
  @ApiResponse({ status: 503, ...ProblemResponse('Emails cannot be sent: SMTP_URL is not set (with DATABASE_URL).') })
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateSubscriptionDto): Promise<SubscriptionResponse> {
    return this.subscriptions.create(caller, dto);
  }

  @Get()
  @Auth(...ROLES)
  @ApiOperation({ summary: 'List subscriptions', description: 'A key’s own subscriptions; all for admin keys.' })
  @ApiOkResponse({ type: SubscriptionPage })
  @ApiBadRequest()
  list(@CurrentCaller() caller: Caller, @Query() query: PageQueryDto): Promise<Page<SubscriptionResponse>> {
    return this.subscriptions.list(caller, query);
  }

  /**
   * Not in the OpenAPI document: its URL is opaque, handed out in the confirmation email (POST /subscriptions says
   * what it does), and opened in a browser without a key. Confirming again answers the same; an unknown token is a 404.
   */
  @Get('confirm/:token')
  @Public()
  @ApiExcludeEndpoint()
  confirm(@Param('token') token: string): Promise<ConfirmedSubscriptionResponse> {
    if (!TOKEN.test(token)) throw DomainError.notFound('The subscription');
    return this.subscriptions.confirm(token);
  }

  /** Not in the OpenAPI document: the page the unsubscribe link in an email opens, with a button that POSTs. */
  @Get('unsubscribe/:token')
  @Public()
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Header('referrer-policy', 'no-referrer')
  async unsubscribePage(@Param('token') token: string): Promise<string> {
    if (!TOKEN.test(token) || !(await this.subscriptions.knowsUnsubscribeToken(token))) {
      return page(
        'Styrman',
        '<h1>Not subscribed / Ingen prenumeration</h1><p>This address gets no more emails from this subscription.</p><p>Adressen får inga fler mejl från den här prenumerationen.</p>',
      );
    }
    return page(
      'Styrman',
      `<h1>Unsubscribe / Avsluta prenumerationen</h1>
<p>Stop these emails from Styrman and remove the address? / Sluta skicka de här mejlen och ta bort adressen?</p>
<form method="post" action="${token}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="font-size:16px;padding:10px 18px">Unsubscribe / Avsluta</button></form>`,
    );
  }

  /**
   * Not in the OpenAPI document: the one-click unsubscribe of RFC 8058 (a mail program POSTs
   * `List-Unsubscribe=One-Click`), and the button of the page above. Deletes the subscription with its address.
   */
  @IdempotentPost('unsubscribe/:token')
  @Public()
  @HttpCode(200)
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  async unsubscribe(@Param('token') token: string): Promise<string> {
    // Unsubscribing twice, or with a token of a subscription already removed, ends in the same place.
    if (TOKEN.test(token)) await this.subscriptions.unsubscribe(token).catch(() => undefined);
    return page(
      'Styrman',
      '<h1>Unsubscribed / Prenumerationen avslutad</h1><p>No more emails are sent, and the address is removed.</p><p>Inga fler mejl skickas, och adressen är borttagen.</p>',
    );
  }

  @Get(':subscriptionId')
  @Auth(...ROLES)
  @ApiOperation({ summary: 'Get a subscription', description: OWN })
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiBadRequest('subscriptionId is not a UUID.')
  @ApiNotFound('subscription')
  get(@CurrentCaller() caller: Caller, @UuidParam('subscriptionId') id: string): Promise<SubscriptionResponse> {
    return this.subscriptions.get(caller, id);
  }

  @Delete(':subscriptionId')
  @Auth(...ROLES)
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a subscription',
    description: `${OWN} Removes it for good: the address, and the emails made for it; nothing more is sent.`,
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiBadRequest('subscriptionId is not a UUID.')
  @ApiNotFound('subscription')
  remove(@CurrentCaller() caller: Caller, @UuidParam('subscriptionId') id: string): Promise<void> {
    return this.subscriptions.remove(caller, id);
  }

  @Get(':subscriptionId/emails')
  @Auth(...ROLES)
  @ApiOperation({ summary: 'The emails of a subscription, newest first: what was sent, when, and its state', description: OWN })
  @ApiOkResponse({ type: EmailPage })
  @ApiBadRequest()
  @ApiNotFound('subscription')
  emails(
    @CurrentCaller() caller: Caller,
    @UuidParam('subscriptionId') id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<EmailResponse>> {
    return this.subscriptions.emails(caller, id, query);
  }
}
