import 'reflect-metadata';
import { createApp } from './app.factory.js';
import { type Environment, EnvironmentError, validateEnvironment } from './config/environment.js';
import { EmbeddedPostgres } from './database/embedded-postgres.js';
import { type DemoKeys, DemoService } from './demo/demo.service.js';

async function main(): Promise<void> {
  let env: Environment;
  try {
    env = validateEnvironment(process.env);
  } catch (error) {
    if (error instanceof EnvironmentError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const started = Date.now();
  let embedded: EmbeddedPostgres | undefined;
  if (!env.DATABASE_URL) {
    embedded = await EmbeddedPostgres.start({
      dataDir: env.STYRMAN_DATA_DIR,
      port: env.EMBEDDED_PG_PORT,
      log: (message) => process.stdout.write(`${message}\n`),
    });
    env.DATABASE_URL = embedded.url;
    env.DEMO_DATA ??= true;
  }
  env.DEMO_DATA ??= false;

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal} received: finishing in-flight requests and stopping\n`);
    const force = setTimeout(() => process.exit(1), 20_000);
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
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    app = await createApp(env);
    if (env.DEMO_DATA) printDemoKeys(await app.get(DemoService).loadIfEmpty());
    await app.listen({ port: env.PORT, host: env.HOST });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const shownHost = env.HOST === '0.0.0.0' ? 'localhost' : env.HOST;
  process.stdout.write(`Styrman is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: http://${shownHost}:${env.PORT}/docs\n`);
}

/** The demo keys, once, when the demo was just loaded: one per role, with what to try. */
function printDemoKeys(keys: DemoKeys | undefined): void {
  if (!keys) return;
  process.stdout.write(
    [
      '',
      '  Demo data loaded: cluster initiatives from the programme "Att vara styrman", their funders, plans and a year of history.',
      '  Demo API keys (shown once; paste one into Authorize at /docs):',
      '',
      `    admin   ${keys.admin}   everything, including /api-keys`,
      `    editor  ${keys.editor}   Findit's plan: update a status, add an activity`,
      `    funder  ${keys.funder}   Vinnova: only the clusters it funds, and its report`,
      `    viewer  ${keys.viewer}   read-only, like a regional dashboard`,
      '',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`Styrman could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
