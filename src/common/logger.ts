import type { LoggerService } from '@nestjs/common';
import { type DestinationStream, pino, type Logger } from 'pino';

const REDACTED = '[redacted]';

/**
 * Query parameters whose value is a secret, by name: lower-cased without separators or a trailing `[…]`,
 * ending with one of these (api_key, apiKey, X-API-Key, access_token, client_secret, password, …).
 */
const SECRET_PARAMETER = /(key|token|secret|password|passwd|pwd|auth|authorization|credentials?|signature|sig|session|sessionid)$/;

/** Something that looks like a Styrman key, wherever it is in a URL. */
const STYRMAN_SECRET = /sty_[A-Za-z0-9_-]{8,}/g;

/** A report link's token (`srl_…`, its underscore maybe percent-encoded): whoever holds it opens the report. */
const LINK_TOKEN = /(?<![A-Za-z0-9])srl(?:_|%5[fF])[A-Za-z0-9_-]{8,}/g;

/** A text with every report link token in it replaced. */
export function redactLinkTokens(text: string): string {
  return text.replace(LINK_TOKEN, `srl_${REDACTED}`);
}

function isSecretParameter(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // a malformed escape: judge the name as it is
  }
  return SECRET_PARAMETER.test(
    decoded
      .replace(/\[[^\]]*\]$/, '')
      .replace(/[^a-z0-9]/gi, '')
      .toLowerCase(),
  );
}

/** A URL as it may be logged: values of secret query parameters, anything looking like a key and link tokens replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query =
    q < 0
      ? undefined
      : url
          .slice(q + 1)
          .split('&')
          .map((pair) => {
            const eq = pair.indexOf('=');
            return eq >= 0 && isSecretParameter(pair.slice(0, eq)) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
          })
          .join('&');
  return redactLinkTokens((query === undefined ? path : `${path}?${query}`).replace(STYRMAN_SECRET, `sty_${REDACTED}`));
}

/** Structured JSON logs. Keys are redacted wherever they could appear. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'styrman' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'authorization',
          '["x-api-key"]',
          'headers.authorization',
          'headers["x-api-key"]',
          '*.headers.authorization',
          '*.headers["x-api-key"]',
          'secret',
          '*.secret',
        ],
        censor: REDACTED,
      },
      // Every line, whatever wrote it (the request log, an error with a URL in its message, a framework message):
      // a report link's token never reaches log storage.
      hooks: { streamWrite: redactLinkTokens },
    },
    destination,
  );
}
/** Nest's start-up chatter, one line per route and module (some 200 lines): debug, not info. */
const CHATTY_CONTEXTS = new Set(['RouterExplorer', 'RoutesResolver', 'InstanceLoader']);

/** Nest's own messages (start-up, errors) through the same JSON logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(level: 'info' | 'warn' | 'error' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]): void {
    const context = typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
    if (typeof message === 'object' && message !== null) {
      const rest = params.filter((p) => p !== context);
      this.logger[level]({ context, ...message }, typeof rest[0] === 'string' ? rest[0] : undefined);
    } else {
      const stack = level === 'error' && params.length > 1 && typeof params[0] === 'string' ? params[0] : undefined;
      this.logger[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }

  log(message: unknown, ...params: unknown[]) {
    const context = params.at(-1);
    this.write(typeof context === 'string' && CHATTY_CONTEXTS.has(context) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }
}
