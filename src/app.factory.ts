import compress from '@fastify/compress';
// Swagger UI's assets are served by @fastify/static, which @nestjs/swagger would otherwise import lazily.
import '@fastify/static';
import { type INestApplication, Logger, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import helmet from 'helmet';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { useKeyedCacheHeaders } from './common/cache-headers.js';
import { useETags } from './common/etag.js';
import { useJsonBodyParser } from './common/json-body.js';
import { useMethodNotAllowed } from './common/method-not-allowed.js';
import { createLogger, PinoNestLogger, redactUrl } from './common/logger.js';
import { type ProblemCode, problemType } from './common/problem-details.js';
import { sendProblem } from './common/problem-details.filter.js';
import { type Environment, publicUrl } from './config/environment.js';
import { Metrics } from './metrics/metrics.js';
import { useOneClickUnsubscribeBody } from './notifications/one-click-body.js';
import { setupOpenApi } from './openapi.js';
import { KEYS_PATH } from './signatures/statements.controller.js';

export const API_PREFIX = 'api/v1';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** What a URL with raw non-ASCII bytes (`?region=Gävleborg` as typed) is told; HTTP allows only ASCII in the request line. */
const NOT_ASCII_URL =
  'The URL holds characters that are not ASCII: percent-encode the path and query (Gävleborg is G%C3%A4vleborg, as encodeURIComponent writes it).';

/** The request line and headers together, at most (Node's default is 16 KB). */
export const MAX_HEADER_BYTES = 64 * 1024;

/** `/api/v1` for the API; health checks stay at the root for load balancers, the signing keys where well-known documents are. */
export function setGlobalPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: KEYS_PATH, method: RequestMethod.GET },
    ],
  });
}

export interface AppOptions {
  /** Where the JSON log lines go; standard output by default. */
  logDestination?: DestinationStream;
}

/** The application, configured and initialised but not yet listening: what main.ts serves and the tests call. */
export async function createApp(env: Environment, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const logger = createLogger(env.LOG_LEVEL, options.logDestination);
  const frameworkLogger = new Logger('Errors');
  if (!env.PUBLIC_URL) {
    logger.warn(
      `PUBLIC_URL is not set: links Styrman hands out (report links) point at ${publicUrl(env)}. ` +
        'Set PUBLIC_URL to the address users reach this service at, such as https://styrman.example.org.',
    );
  }
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }), // one line per request, from onResponse below
    bodyLimit: env.BODY_LIMIT_BYTES,
    // Slow clients (a header or a body trickled byte by byte) are cut off instead of holding a socket for minutes.
    http: {
      headersTimeout: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: env.HTTP_REQUEST_TIMEOUT_MS,
      // How often Node looks for requests past these timeouts (its default, 30 s, would let them run that much longer).
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(env.HTTP_HEADERS_TIMEOUT_MS / 4))),
      // The longest query the document allows (a types list of 2000 four-byte characters, percent-encoded: 24 KB) fits;
      // beyond it, 431 as the document says.
      maxHeaderSize: MAX_HEADER_BYTES,
    },
    requestTimeout: env.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    routerOptions: { maxParamLength: 500 },
    requestIdHeader: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    // Errors Fastify answers before any route (a malformed URL, a parameter too long): problem details too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => sendProblem(error, request, reply, frameworkLogger),
    // Requests Node cannot even parse (headers too large, broken HTTP) or that came too slowly: a problem-details
    // answer on the raw socket.
    clientErrorHandler: (error: Error & { code?: string }, socket) => {
      const [status, code, detail]: [number, ProblemCode, string] =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'headers-too-large', 'The request line or headers are too large.']
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? [408, 'request-timeout', 'The request took too long to arrive.']
            : error.code === 'HPE_INVALID_URL'
              ? [400, 'validation', NOT_ASCII_URL]
              : [400, 'validation', 'The request is not valid HTTP.'];
      const body = JSON.stringify({ type: problemType(code), title: STATUS_CODES[status], status, detail });
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      } else {
        socket.destroy(error);
      }
    },
    trustProxy: env.TRUST_PROXY ?? false,
    forceCloseConnections: 'idle',
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), adapter, {
    logger: new PinoNestLogger(logger),
    bodyParser: false, // Fastify's own JSON parser, and no urlencoded one
    bufferLogs: false,
    abortOnError: false, // throw to the caller (main.ts, tests) instead of exiting the process
  });

  const fastify = app.getHttpAdapter().getInstance();
  // Beyond the cap Node closes new connections at once: idle sockets cannot pile up without bound.
  fastify.server.maxConnections = env.HTTP_MAX_CONNECTIONS;
  let proxyChecked = env.TRUST_PROXY !== undefined;
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (!proxyChecked && request.headers['x-forwarded-for'] !== undefined) {
      proxyChecked = true; // once per process
      logger.warn(
        'Requests arrive with X-Forwarded-For but TRUST_PROXY is not set: every client behind the proxy shares its address ' +
          '(in the logs and in the failed-authentication limit). Set TRUST_PROXY=true behind a load balancer, or false to silence this.',
      );
    }
  });
  useKeyedCacheHeaders(fastify);
  useETags(fastify);
  useMethodNotAllowed(fastify);
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime);
    // A server error (a 503 from readiness or from a database that is down among them) is a warning; the rest info.
    const level = reply.statusCode >= 500 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return; // built only when it will be written
    request.log[level](
      {
        method: request.method,
        url: redactUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        key: request.caller?.keyId,
      },
      'request',
    );
  });
  // JSON only: Fastify's text/plain parser would hand strings to the DTOs; anything but JSON gets 415.
  fastify.removeContentTypeParser('text/plain');
  useJsonBodyParser(fastify);
  useOneClickUnsubscribeBody(fastify);

  // Helmet's middleware built once: @fastify/helmet builds it anew for every request (parsing the CSP directives each
  // time), which was the largest single cost of a small GET.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:'],
        scriptSrc: [`'self'`, `'unsafe-inline'`],
      },
    },
    crossOriginResourcePolicy: { policy: 'cross-origin' }, // badges are embedded on other sites
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  // gzip and br for JSON, CSV, SVG (and problem details) of 1 KB or more, as Accept-Encoding asks; a response that
  // already has a Content-Encoding (a kept report sent as it is kept) is left alone.
  await app.register(compress, { encodings: ['br', 'gzip'], threshold: 1024 });
  if (env.CORS_ORIGINS) {
    const origins = env.CORS_ORIGINS.split(',').map((o) => o.trim());
    app.enableCors({
      origin: origins.includes('*') ? true : origins,
      exposedHeaders: [
        'ETag',
        'Retry-After',
        'X-Request-Id',
        'Content-Disposition',
        'RateLimit-Limit',
        'RateLimit-Remaining',
        'RateLimit-Reset',
      ],
      allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key'],
    });
  }

  setGlobalPrefix(app);
  setupOpenApi(app);
  await app.init();
  await fastify.ready();
  return app;
}
