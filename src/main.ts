import 'reflect-metadata';
import { join } from 'node:path';
import { createApp } from './app.factory.js';
import { type Environment, EnvironmentError, validateEnvironment } from './config/environment.js';
import { DataFolderLock, ensurePortFree } from './database/data-folder-lock.js';
import type { EmbeddedPostgres } from './database/embedded-postgres.js';
import { DemoService } from './demo/demo.service.js';
import { ensureWebhookSecretKey } from './webhooks/secret-key-file.js';
import { ensureSigningKey } from './signatures/signing-key.js';
import { AuthService } from './auth/auth.service.js';
import { type FreshKey, startUpKeysBlock } from './start-up-keys.js';
import { createLogger } from './common/logger.js';
import { databaseUrlForLog, isConnectionError } from './database/database-url.js';
import { pino } from 'pino';

/** Why start-up stopped: one JSON line on standard error, like every other line Styrman writes. */
const fatal = createLogger('info', pino.destination({ dest: 2, sync: true }));

// The structured log and the keys block share one stream, so that the block really comes last:
// the log is written asynchronously, and a line written beside it could overtake it.
const stdout = pino.destination({ dest: 1, sync: false, minLength: 0 });

function exit(code: number): never {
  stdout.flushSync();
  process.exit(code);
}

async function main(): Promise<void> {
  let env: Environment;
  try {
    env = validateEnvironment(process.env);
    await ensureWebhookSecretKey(env);
    await ensureSigningKey(env);
  } catch (error) {
    if (error instanceof EnvironmentError) {
      fatal.fatal(error.message);
      exit(78); // EX_CONFIG
    }
    throw error;
  }
  const log = createLogger(env.LOG_LEVEL, stdout).child({ context: 'StartUp' });
  const operatorDatabaseUrl = env.DATABASE_URL;

  const started = Date.now();
  let embedded: EmbeddedPostgres | undefined;
  // One data folder, one owner: a second start on a folder whose owner lives stops here, before it touches anything;
  // then the port, before any database is started.
  const lock = env.DATABASE_URL ? undefined : await DataFolderLock.acquire(env.STYRMAN_DATA_DIR, env.PORT);
  await ensurePortFree(env.PORT, env.HOST);
  if (!env.DATABASE_URL) {
    // Loaded only here: the embedded PostgreSQL is a development dependency, absent from production installs.
    const { EmbeddedPostgres } = await import('./database/embedded-postgres.js');
    embedded = await EmbeddedPostgres.start({
      dataDir: env.STYRMAN_DATA_DIR,
      port: env.EMBEDDED_PG_PORT,
      // PORT was checked free a moment ago and is not listened on yet: the kernel could hand it out again.
      avoidPorts: [env.PORT],
      log: (message) => log.info(message),
    });
    env.DATABASE_URL = embedded.url;
    env.DEMO_DATA ??= true;
    // Links point at this machine: the embedded database means a development or single-machine install.
    env.PUBLIC_URL ??= `http://localhost:${env.PORT}`;
    // No mail server on a laptop: the emails land as .eml files, to be opened in a mail program.
    if (!env.SMTP_URL) env.EMAIL_OUTBOX_DIR ??= join(env.STYRMAN_DATA_DIR, 'outbox');
  }
  env.DEMO_DATA ??= false;

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: finishing in-flight requests and stopping`);
    const force = setTimeout(() => exit(1), 20_000);
    force.unref();
    // Requests in flight finish; their keep-alive connections are closed as soon as they go idle, once the
    // listener is closed (before that, a connection accepted in the same instant would be reset, not refused).
    const server = app?.getHttpServer() as { listening?: boolean; closeIdleConnections?: () => void } | undefined;
    const sweep = setInterval(() => {
      if (server?.listening === false) server.closeIdleConnections?.();
    }, 50);
    await app?.close();
    clearInterval(sweep);
    await embedded?.stop();
    lock?.release();
    exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const fresh: FreshKey[] = [];
  try {
    app = await createApp(env, { logDestination: stdout });
    const admin = app.get(AuthService).takeGeneratedAdminSecret();
    if (admin) fresh.push({ role: 'admin', secret: admin, use: 'everything, including new keys (POST /api/v1/api-keys)' });
    const demo = env.DEMO_DATA ? await app.get(DemoService).loadIfEmpty() : undefined;
    if (demo) {
      fresh.push(
        { role: 'editor', secret: demo.editor, use: "Findit's plan: update a status, add an activity" },
        { role: 'funder', secret: demo.funder, use: 'Vinnova: only the clusters it funds, and its report' },
        { role: 'viewer', secret: demo.viewer, use: 'reads every cluster, like a regional dashboard' },
      );
    }
    await app.listen({ port: env.PORT, host: env.HOST });
  } catch (error) {
    await embedded?.stop();
    if (operatorDatabaseUrl && isConnectionError(error)) {
      throw new Error(
        `Could not connect to the PostgreSQL server of DATABASE_URL (${databaseUrlForLog(operatorDatabaseUrl)}): ` +
          `${error instanceof Error ? error.message : String(error)}. Check DATABASE_URL, and that the server is up and reachable from here.`,
        { cause: error },
      );
    }
    throw error;
  }
  const shownHost = env.HOST === '0.0.0.0' ? 'localhost' : env.HOST;
  const docsUrl = `http://${shownHost}:${env.PORT}/docs`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // The last thing start-up prints, after every log line: the keys (or how to get one), then where to go.
  // Plain text outside the structured log's records, so that a secret never lands in log storage.
  stdout.write(
    '\n' +
      startUpKeysBlock({
        docsUrl,
        fresh,
        active: await app.get(AuthService).activeKeyCounts(),
        adminFromEnvironment: env.ADMIN_API_KEY !== undefined,
      }) +
      `Styrman is ready in ${seconds} s: ${docsUrl}\n`,
  );
}

main().catch((error: unknown) => {
  fatal.fatal(`Styrman could not start: ${error instanceof Error ? error.message : String(error)}`);
  exit(1);
});
