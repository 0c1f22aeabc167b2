import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  validateSync,
} from 'class-validator';
import { isMemoryLimit } from './memory.js';
import { OutboundSettings } from './outbound-settings.js';
import { relationProblems, settleReportReadConnections } from './environment-relations.js';
import { toBoolean, toInteger } from './transforms.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

@ValidatorConstraint({ name: 'memoryLimit' })
class MemoryLimit implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'number' && isMemoryLimit(value);
  }

  defaultMessage(): string {
    return 'MEMORY_LIMIT_MB must be 0 (Node sizes its heap itself) or 128 to 1048576 megabytes';
  }
}

/**
 * Every setting Styrman reads from the environment. Validated once at boot:
 * a bad value stops start-up with a message naming the variable.
 */
export class Environment extends OutboundSettings {
  /** postgres://user:password@host:port/database. Unset: an embedded PostgreSQL is started. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /**
   * The database itself, not a pooler, for what needs a session of its own: the feed's LISTEN connection. Set it when
   * DATABASE_URL points at PgBouncer in transaction mode. Defaults to DATABASE_URL.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_DIRECT_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_DIRECT_URL?: string;

  /**
   * A streaming replica (hot standby) of the database. Reads as of an instant it has already replayed (complete reports,
   * asOf reads, status grids, revisions, plan changes) go there; everything else, and anything newer, to the primary.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_REPLICA_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_REPLICA_URL?: string;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  /** Defaults to 127.0.0.1 with the embedded database (a laptop printing demo keys), 0.0.0.0 with DATABASE_URL (a container). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  HOST: string;

  @IsString()
  @MinLength(1)
  STYRMAN_DATA_DIR: string = './.data';

  /**
   * The address users reach Styrman at (`https://styrman.example.org`, or with a path in front of `/api/v1`): links
   * (report links) and emails point there; no request header chooses the host. Defaults to `http://localhost:<PORT>`,
   * which with `DATABASE_URL` is warned about at start-up.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, {
    message: 'PUBLIC_URL must be an http:// or https:// address without a query, such as https://styrman.example.org',
  })
  PUBLIC_URL?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  @Max(65535)
  EMBEDDED_PG_PORT?: number;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'ADMIN_API_KEY must be at least 16 characters long' })
  @MaxLength(200)
  ADMIN_API_KEY?: string;

  /** Defaults to true with the embedded database, false with DATABASE_URL. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'DEMO_DATA must be true or false' })
  DEMO_DATA?: boolean;

  @IsString()
  @Matches(/.+/, { message: 'REPORT_TIME_ZONE must be an IANA time zone such as Europe/Stockholm' })
  REPORT_TIME_ZONE: string = 'Europe/Stockholm';

  /** The longest period a report may cover, in calendar days (both ends counted); longer is a 400. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(400_000)
  REPORT_MAX_DAYS: number = 3660;

  /** Reports built at once by one instance; the others wait for a slot. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  REPORT_CONCURRENCY: number = 2;

  /** How long a report waits for a slot, in milliseconds, before it is a 503 with Retry-After. */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(600_000)
  REPORT_QUEUE_TIMEOUT_MS: number = 10_000;

  /** Keep the bytes of reports whose period has ended in PostgreSQL (kept_report) and serve later pulls from there. */
  @Transform(toBoolean)
  @IsBoolean({ message: 'REPORT_KEEP must be true or false' })
  REPORT_KEEP: boolean = true;

  /**
   * Megabytes of kept reports' bytes an instance also holds in memory, most recently pulled first (0: none). PostgreSQL
   * stays the only copy that counts: every pull checks the kept row's ETag there first, so a row deleted or kept anew
   * is never served from memory.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(4096)
  REPORT_KEEP_MEMORY_MB: number = 32;

  /** Seconds a running period's report stays kept (open_report) while none of its clusters is written to; 0: never kept. */
  @Transform(toInteger)
  @Min(0, { message: 'REPORT_OPEN_KEEP_SECONDS must be a whole number of seconds from 0 to 3600' })
  @Max(3600, { message: 'REPORT_OPEN_KEEP_SECONDS must be a whole number of seconds from 0 to 3600' })
  REPORT_OPEN_KEEP_SECONDS: number = 60;

  /**
   * The memory an instance is sized for, in MB (`npm run start:prod`, the image: `dist/src/launch.js`): the heap gets
   * `--max-old-space-size` and `--max-semi-space-size` from it. Default: the cgroup's limit (a container's), else 256.
   * 0: Node's own sizing (from the machine's memory). Heap flags given to Node itself win.
   */
  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'MEMORY_LIMIT_MB must be a whole number of megabytes: 0 (Node sizes its heap itself) or 128 to 1048576' })
  @Validate(MemoryLimit)
  MEMORY_LIMIT_MB?: number;

  /** At most this many clusters are read from PostgreSQL and written to the client at a time while a report is built. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(10_000)
  REPORT_BATCH_CLUSTERS: number = 10;

  /**
   * Connections a report built to be kept (a complete period's, or a running one's kept for a short time) reads its
   * batches on at once, all in one snapshot (the first exports it, the others import it): PostgreSQL reads as many
   * batches at a time, in order, on as many cores. Each counts against DB_POOL_SIZE: REPORT_CONCURRENCY ×
   * REPORT_READ_CONNECTIONS must be less than it. Through a transaction pooler (DATABASE_DIRECT_URL set apart from
   * DATABASE_URL) reports read on one connection: a report waiting for a second server connection while holding one
   * could wait on another doing the same.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(4)
  REPORT_READ_CONNECTIONS: number = 2;

  /**
   * Kilobytes of rows a report reads at a time (its memory is one batch): each batch holds as many clusters as fit at
   * the bytes per cluster read so far, the first one cluster; a single cluster larger than this is read whole.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(16)
  @Max(1_048_576)
  REPORT_BATCH_KB: number = 1024;

  /** Kilobytes of a streamed report an instance holds for a reader that is not reading (beyond the part being written). */
  @Transform(toInteger)
  @IsInt()
  @Min(16)
  @Max(1_048_576)
  REPORT_STREAM_BUFFER_KB: number = 1024;

  /** A client that takes nothing of a streamed report for this long, in ms, is disconnected and its report's slot freed. */
  @Transform(toInteger)
  @IsInt()
  @Min(50)
  @Max(3_600_000)
  REPORT_STALL_TIMEOUT_MS: number = 30_000;

  /** `Cache-Control: private, max-age=` of a report whose period has ended, in seconds. */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(31_536_000)
  REPORT_MAX_AGE_SECONDS: number = 300;

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** Comma-separated origins allowed by CORS, or `*`. Unset: CORS is off. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;

  /** Largest accepted request body, in bytes. */
  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  /** Requests per minute one API key may make to one instance; 0 turns the limit off. */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE: number = 1200;

  /** Requests without a valid key per minute from one IP address; beyond it 429 instead of 401 (a valid key always passes). */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  AUTH_FAILURES_PER_MINUTE: number = 60;

  /**
   * Requests of one API key in progress at once on one instance, long-polls (`GET /events?wait=`) included;
   * beyond it 429 with Retry-After.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100_000)
  MAX_IN_FLIGHT_PER_KEY: number = 32;

  /** Long-polls (`GET /events?wait=`) one API key may hold at once on one instance; beyond it 429 with Retry-After. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100_000)
  EVENTS_MAX_WAITERS_PER_KEY: number = 4;

  /** Long-polls one instance holds at once, all keys together; beyond it 503 with Retry-After. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100_000)
  EVENTS_MAX_WAITERS: number = 256;

  /** Trust X-Forwarded-For from a load balancer in front (for the client IP of rate limits and logs). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'TRUST_PROXY must be true or false' })
  TRUST_PROXY?: boolean;

  /** A bearer token that may read `GET /metrics` (as an admin key may), for a Prometheus scraper. Unset: admin keys only. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters long' })
  @MaxLength(200)
  METRICS_TOKEN?: string;

  /** Connections in the PostgreSQL pool of one instance. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE: number = 10;

  // HTTP server: limits on slow and idle clients.

  /** Time a client has to send the request line and headers, in ms (slower: 408 and the connection closed). */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  HTTP_HEADERS_TIMEOUT_MS: number = 10_000;

  /** Time a client has to send the whole request, body included, in ms; at least HTTP_HEADERS_TIMEOUT_MS. */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS: number = 30_000;

  /** How long an idle keep-alive connection stays open, in ms (longer than a load balancer's idle timeout). */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 72_000;

  /** Open connections one instance accepts at once; further ones are closed at once. */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  HTTP_MAX_CONNECTIONS: number = 1000;
}

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `5s`, `2m` or `24h`, in milliseconds. */
export function durationMs(text: string): number {
  const m = /^\s*(\d+)(ms|s|m|h|d)\s*$/.exec(text);
  if (!m) throw new Error(`Not a duration: ${text}`);
  return Number(m[1]) * DURATION_MS[m[2]];
}

export class EnvironmentError extends Error {}

export { reportReadConnections } from './environment-relations.js';

/** Validates raw environment variables; throws an EnvironmentError naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = Object.keys(new Environment());
  const relevant: Record<string, unknown> = {};
  for (const key of [
    ...known,
    'DATABASE_URL',
    'DATABASE_DIRECT_URL',
    'DATABASE_REPLICA_URL',
    'HOST',
    'EMBEDDED_PG_PORT',
    'ADMIN_API_KEY',
    'DEMO_DATA',
    'CORS_ORIGINS',
    'TRUST_PROXY',
    'WEBHOOK_SECRET_KEY',
    'WEBHOOK_SECRET_KEY_PREVIOUS',
    'SIGNING_KEY',
    'PUBLIC_URL',
    'METRICS_TOKEN',
    'MEMORY_LIMIT_MB',
    'SMTP_URL',
    'EMAIL_OUTBOX_DIR',
  ]) {
    const value = raw[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const env = plainToInstance(Environment, relevant);
  const errors = validateSync(env, { skipMissingProperties: false });
  const messages = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
  settleReportReadConnections(env, raw);
  messages.push(...relationProblems(env));
  if (messages.length > 0) {
    throw new EnvironmentError(`Invalid configuration:\n  ${messages.join('\n  ')}`);
  }
  env.HOST ??= env.DATABASE_URL ? '0.0.0.0' : '127.0.0.1';
  env.DATABASE_DIRECT_URL ??= env.DATABASE_URL;
  if (env.PUBLIC_URL) env.PUBLIC_URL = env.PUBLIC_URL.replace(/\/+$/, '');
  return env;
}

/** Where links point: PUBLIC_URL, or `http://localhost:<PORT>` when unset. */
export function publicUrl(env: Environment): string {
  return env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
}
