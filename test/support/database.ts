import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEMPLATE_DATABASE = 'styrman_test_template';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function serverUrl(): string {
  const url = process.env.STYRMAN_TEST_SERVER_URL;
  if (!url) throw new Error('STYRMAN_TEST_SERVER_URL is not set: run the tests with `npm test`');
  return url;
}

/** A fresh database with every migration applied, copied from the template; its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `styrman_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl(), name);
}

/** A database with nothing in it, not even the migrations. */
export async function createEmptyDatabase(): Promise<string> {
  const name = `styrman_empty_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return withDatabase(serverUrl(), name);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * The URL an application under test is given as DATABASE_URL for the database at `url`: through PgBouncer when the run
 * has one (STYRMAN_TEST_PGBOUNCER=1), else `url` itself.
 */
export function pooledUrl(url: string): string {
  const bouncer = process.env.STYRMAN_TEST_PGBOUNCER_URL;
  return bouncer ? withDatabase(bouncer, new URL(url).pathname.slice(1)) : url;
}
