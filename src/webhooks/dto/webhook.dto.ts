import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ListQueryDto, PageQueryDto } from '../../common/pagination.js';
import { IsText, NotNullIfPresent } from '../../common/validators.js';
import { EVENT_TYPES } from '../../events/event-types.js';

/** An absolute http(s) URL without spaces or control characters (which rules apply to it is checked after). */
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const URL_PATTERN = /^https?:\/\/[^\s\u0000-\u001f\u007f]+$/;

export class CreateWebhookDto {
  /** Where events are POSTed: `https://` (also `http://` when WEBHOOK_ALLOW_PRIVATE=true); never a private, loopback or link-local address. */
  @IsString()
  @MinLength(8)
  @MaxLength(2000)
  @Matches(URL_PATTERN, { message: 'url must be an https:// URL' })
  @ApiProperty({ example: 'https://dashboard.example.org/styrman/webhook', minLength: 8, maxLength: 2000, pattern: URL_PATTERN.source })
  url: string;

  /** Only events of these types; null or left out: every type. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(EVENT_TYPES, { each: true })
  @ApiProperty({
    required: false,
    nullable: true,
    type: [String],
    enum: EVENT_TYPES,
    enumName: 'EventType',
    example: ['goal.status_changed'],
  })
  types?: string[] | null;

  /** Only events about these clusters (each one the key may read); null or left out: every cluster the key may read. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  @ApiProperty({ required: false, nullable: true, type: [String], format: 'uuid', maxItems: 500 })
  clusterIds?: string[] | null;

  /** What the webhook is for. */
  @IsOptional()
  @IsText(500)
  @ApiProperty({ required: false, nullable: true, type: String, maxLength: 500, example: 'Regional dashboard' })
  description?: string | null;
}

export class UpdateWebhookDto {
  @NotNullIfPresent()
  @IsString()
  @MinLength(8)
  @MaxLength(2000)
  @Matches(URL_PATTERN, { message: 'url must be an https:// URL' })
  @ApiProperty({
    required: false,
    example: 'https://dashboard.example.org/styrman/webhook',
    minLength: 8,
    maxLength: 2000,
    pattern: URL_PATTERN.source,
  })
  url?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(EVENT_TYPES, { each: true })
  @ApiProperty({ required: false, nullable: true, type: [String], enum: EVENT_TYPES, enumName: 'EventType' })
  types?: string[] | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  @ApiProperty({ required: false, nullable: true, type: [String], format: 'uuid', maxItems: 500 })
  clusterIds?: string[] | null;

  @IsOptional()
  @IsText(500)
  @ApiProperty({ required: false, nullable: true, type: String, maxLength: 500 })
  description?: string | null;

  /** `true` stops deliveries; `false` turns a disabled webhook on again (and clears its failures). */
  @NotNullIfPresent()
  @IsBoolean()
  @ApiProperty({ required: false, example: false })
  disabled?: boolean;
}

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'https://dashboard.example.org/styrman/webhook' })
  url: string;

  @ApiProperty({ nullable: true, type: [String], enum: EVENT_TYPES, enumName: 'EventType' })
  types: string[] | null;

  @ApiProperty({ nullable: true, type: [String], format: 'uuid' })
  clusterIds: string[] | null;

  @ApiProperty({ nullable: true, type: String })
  description: string | null;

  /** The key that made it: deliveries carry only what this key may read, and stop when it is revoked. */
  @ApiProperty({ format: 'uuid' })
  apiKeyId: string;

  /** Since when deliveries have failed without a success in between; null when the last one succeeded. */
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  failingSince: string | null;

  /** Whether it is disabled (`disabledAt` set). */
  @ApiProperty({ example: false })
  disabled: boolean;

  /** When it was disabled (by PATCH, or after failing for 3 days); null while it delivers. */
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  disabledAt: string | null;

  /** When it was deleted (DELETE archives it: no more deliveries; it and its log stay readable). */
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  archivedAt: string | null;

  @ApiProperty({ example: 1 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class CreatedWebhookResponse extends WebhookResponse {
  /** The signing secret (Standard Webhooks), shown only in this answer. */
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret: string;
}

/**
 * `pending` (to be tried, again after a failure), `succeeded`, `failed` (the retry schedule ran out), `skipped`
 * (not sent: when it was due, the webhook's key could no longer read the event's subject).
 */
export const DELIVERY_STATES = ['pending', 'succeeded', 'failed', 'skipped'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** The event delivered (the `webhook-id` header), or the ping's id. */
  @ApiProperty({ format: 'uuid' })
  eventId: string;

  @ApiProperty({ example: 'goal.status_changed' })
  eventType: string;

  /** Attempts made so far. */
  @ApiProperty({ example: 1 })
  attempt: number;

  @ApiProperty({
    enum: DELIVERY_STATES,
    enumName: 'DeliveryState',
    description:
      '`pending`: to be tried (again); `succeeded`; `failed`: the retry schedule ran out; `skipped`: not sent, because when it ' +
      'was due the webhook’s key could no longer read the event’s subject (every attempt, retries included, checks it).',
  })
  state: DeliveryState;

  /** The HTTP status of the last attempt's answer; null without one (timeout, refused address, no connection). */
  @ApiProperty({ nullable: true, type: Number, example: 200 })
  responseStatus: number | null;

  @ApiProperty({ nullable: true, type: Number, example: 84 })
  durationMs: number | null;

  /** Why the last attempt failed, when it did without an HTTP answer. */
  @ApiProperty({ nullable: true, type: String })
  error: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  nextAttemptAt: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  deliveredAt: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class ListDeliveriesQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(DELIVERY_STATES)
  @ApiProperty({ required: false, enum: DELIVERY_STATES, enumName: 'DeliveryState' })
  state?: DeliveryState;
}

/** The webhooks list: `includeArchived` shows deleted ones too. */
export class ListWebhooksQueryDto extends ListQueryDto {}
