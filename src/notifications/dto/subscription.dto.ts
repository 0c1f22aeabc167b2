import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsEmail, IsIn, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { LANGUAGES, type Language, TOPICS, type Topic } from '../topics.js';

export class CreateSubscriptionDto {
  /** Where the emails go: the only personal data kept, removed by DELETE /subscriptions/{id} or an unsubscribe. */
  @IsEmail({ allow_display_name: false, allow_ip_domain: false }, { message: 'email must be an email address' })
  @MaxLength(254)
  @ApiProperty({ example: 'anna.lind@findit.example.org', maxLength: 254, format: 'email' })
  email: string;

  /** The language of the emails. */
  @IsIn(LANGUAGES)
  @ApiProperty({ enum: LANGUAGES, enumName: 'EmailLanguage', example: 'sv' })
  language: Language;

  /**
   * What to be told about: `submission_due` (a report 14 and 3 days before it is due, and the day after when it is
   * overdue), `submission_decided` (a funder acknowledged or returned a report), `red_status` (an item turned red),
   * `weekly_digest` (Mondays 08:00, a cluster's needs-update list).
   */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(TOPICS.length)
  @ArrayUnique()
  @IsIn(TOPICS, { each: true })
  @ApiProperty({ type: [String], enum: TOPICS, enumName: 'SubscriptionTopic', example: ['submission_due', 'weekly_digest'] })
  topics: Topic[];

  /** Only about these clusters (each one the key may read); left out or null: every cluster the key may read. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  @ApiProperty({ required: false, nullable: true, type: [String], format: 'uuid', maxItems: 500 })
  clusterIds?: string[] | null;
}

export const SUBSCRIPTION_STATES = ['pending', 'confirmed'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

export class SubscriptionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'anna.lind@findit.example.org' })
  email: string;

  @ApiProperty({ enum: LANGUAGES, enumName: 'EmailLanguage', example: 'sv' })
  language: Language;

  @ApiProperty({ type: [String], enum: TOPICS, enumName: 'SubscriptionTopic' })
  topics: Topic[];

  @ApiProperty({ nullable: true, type: [String], format: 'uuid' })
  clusterIds: string[] | null;

  /** `pending` until the link in the confirmation email is opened; nothing else is sent before. */
  @ApiProperty({ enum: SUBSCRIPTION_STATES, enumName: 'SubscriptionState', example: 'pending' })
  state: SubscriptionState;

  /** The key that made it: the emails carry only what this key may read when they are sent. */
  @ApiProperty({ format: 'uuid' })
  apiKeyId: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  confirmedAt: string | null;
}

export class ConfirmedSubscriptionResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: SUBSCRIPTION_STATES, enumName: 'SubscriptionState', example: 'confirmed' })
  state: SubscriptionState;
}

/**
 * `pending` (to be sent, again after a failure), `sent`, `failed` (the retries ran out), `skipped` (not sent: when
 * it was due, the subscription's key could no longer read what it is about, or was revoked).
 */
export const EMAIL_STATES = ['pending', 'sent', 'failed', 'skipped'] as const;
export type EmailState = (typeof EMAIL_STATES)[number];

export const EMAIL_TOPICS = ['confirmation', ...TOPICS] as const;

export class EmailResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  subscriptionId: string;

  @ApiProperty({ enum: EMAIL_TOPICS, enumName: 'EmailTopic', example: 'submission_due' })
  topic: string;

  @ApiProperty({ example: 'Findit: report to Vinnova for 2026-Q3 due 30 Oct 2026, in 14 days' })
  subject: string;

  @ApiProperty({ enum: EMAIL_STATES, enumName: 'EmailState', example: 'sent' })
  state: EmailState;

  /** Attempts made. */
  @ApiProperty({ example: 1 })
  attempt: number;

  /** Why the last attempt failed, or why it was skipped. */
  @ApiProperty({ nullable: true, type: String })
  error: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  sentAt: string | null;

  /** When a pending email is tried (again). */
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  nextAttemptAt: string | null;
}
