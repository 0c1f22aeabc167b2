import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { toBoolean, toInteger } from './transforms.js';

/**
 * The settings of what Styrman sends out: webhook deliveries, emails, and the keys that seal webhook secrets and sign
 * submitted reports. Part of `Environment`, validated with it.
 */
export class OutboundSettings {
  // Webhooks.

  /**
   * The key that encrypts webhook secrets at rest (AES-256-GCM): 32 bytes as 64 hex digits or base64. Required with
   * DATABASE_URL (start-up stops, exit 78); with the embedded database and none set, one is generated at the first
   * start and kept in STYRMAN_DATA_DIR (file `webhook-secret-key`, mode 600).
   */
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, { message: 'WEBHOOK_SECRET_KEY must be 32 bytes as 64 hex digits or base64' })
  WEBHOOK_SECRET_KEY?: string;

  /** During a key rotation: the key before WEBHOOK_SECRET_KEY, which still decrypts the secrets it encrypted. */
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, {
    message: 'WEBHOOK_SECRET_KEY_PREVIOUS must be 32 bytes as 64 hex digits or base64',
  })
  WEBHOOK_SECRET_KEY_PREVIOUS?: string;

  // Signed submissions.

  /**
   * The Ed25519 key that signs the statement of each report submission: its 32-byte seed as 64 hex digits or
   * base64. Required with DATABASE_URL (start-up stops, exit 78); with the embedded database and none set, one is
   * generated at the first start and kept in STYRMAN_DATA_DIR (file `signing-key`, mode 600). Rotating it is
   * setting a new one: the public half of every key that ever signed stays published at /.well-known/styrman-keys.
   */
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, { message: 'SIGNING_KEY must be 32 bytes as 64 hex digits or base64' })
  SIGNING_KEY?: string;

  /** Active (not deleted) webhooks one API key may have; the next POST /webhooks is a 409. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100_000)
  WEBHOOK_MAX_PER_KEY: number = 10;

  /** Allows webhook URLs on private, loopback and link-local addresses, and http:// (tests, closed networks). */
  @Transform(toBoolean)
  @IsBoolean({ message: 'WEBHOOK_ALLOW_PRIVATE must be true or false' })
  WEBHOOK_ALLOW_PRIVATE: boolean = false;

  /** The waits between delivery attempts, comma-separated durations (`500ms`, `5s`, `2m`, `1h`, `1d`); after the last, `failed`. */
  @Matches(/^\s*\d+(ms|s|m|h|d)(\s*,\s*\d+(ms|s|m|h|d))*\s*$/, {
    message: 'WEBHOOK_RETRY_SCHEDULE must be comma-separated durations such as 5s,30s,2m,10m,1h,6h,24h',
  })
  WEBHOOK_RETRY_SCHEDULE: string = '5s,30s,2m,10m,1h,6h,24h';

  /** An endpoint that has failed for this long without a success is disabled (`disabledAt`). */
  @Matches(/^\s*\d+(ms|s|m|h|d)\s*$/, { message: 'WEBHOOK_DISABLE_AFTER must be a duration such as 3d' })
  WEBHOOK_DISABLE_AFTER: string = '3d';

  /** How long a receiver has to answer a delivery, in ms. */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  /** How often an instance looks for events to dispatch and deliveries that are due, in ms. */
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  @Max(60_000)
  WEBHOOK_POLL_MS: number = 1000;

  /** Whether this instance dispatches and delivers webhooks (several instances share the work safely). */
  @Transform(toBoolean)
  @IsBoolean({ message: 'WEBHOOK_WORKER must be true or false' })
  WEBHOOK_WORKER: boolean = true;

  // Email notifications.

  /**
   * Where emails are sent: `smtp://user:password@host:587` (STARTTLS when the server offers it) or
   * `smtps://user:password@host:465`; a password with @, : or / in it is percent-encoded. Unset: with the embedded
   * database each email is written as an .eml file under EMAIL_OUTBOX_DIR; with DATABASE_URL, POST /subscriptions is a 503.
   */
  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/, {
    message: 'SMTP_URL must be an smtp:// or smtps:// URL, such as smtps://user:password@mail.example.org:465',
  })
  SMTP_URL?: string;

  /** The From of every email: an address, or `Name <address>`. */
  @Matches(/^([^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
    message: 'EMAIL_FROM must be an address such as styrman@example.org, or "Styrman <styrman@example.org>"',
  })
  EMAIL_FROM: string = 'Styrman <styrman@localhost>';

  /**
   * Without SMTP_URL: the folder the emails are written to as .eml files. Set by start-up to
   * STYRMAN_DATA_DIR/outbox with the embedded database; with DATABASE_URL and no SMTP_URL, emails are not sent.
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  EMAIL_OUTBOX_DIR?: string;

  /** Whether this instance decides and sends emails (several instances share the work safely). */
  @Transform(toBoolean)
  @IsBoolean({ message: 'EMAIL_WORKER must be true or false' })
  EMAIL_WORKER: boolean = true;

  /** How often an instance looks for emails to decide and send, in ms. */
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  @Max(60_000)
  EMAIL_POLL_MS: number = 5000;

  /** Subscriptions one API key may have; the next POST /subscriptions is a 409. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100_000)
  EMAIL_MAX_SUBSCRIPTIONS_PER_KEY: number = 20;
}
