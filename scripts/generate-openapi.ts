/**
 * Writes the OpenAPI document to openapi.json (`npm run openapi`), or with
 * --check fails when the committed file differs from what the code produces
 * (`npm run openapi:check`, run by CI). Needs no database: the application is
 * built in Nest's preview mode, which reads the routes without starting providers.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setGlobalPrefix } from '../src/app.factory.js';
import { AppModule } from '../src/app.module.js';
import { validateEnvironment } from '../src/config/environment.js';
import { buildOpenApiDocument } from '../src/openapi.js';

const target = join(import.meta.dirname, '..', '..', 'openapi.json');

const env = validateEnvironment({ DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview', LOG_LEVEL: 'silent' });
const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(env), new FastifyAdapter(), {
  preview: true,
  logger: false,
  abortOnError: false,
});
setGlobalPrefix(app);
const generated = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
await app.close();

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== generated) {
    process.stderr.write('openapi.json is out of date: run `npm run openapi` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write('openapi.json matches the code.\n');
} else {
  await writeFile(target, generated);
  const paths = Object.keys((JSON.parse(generated) as { paths: object }).paths).length;
  process.stdout.write(`openapi.json written (${paths} paths).\n`);
}
