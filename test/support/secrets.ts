import pg from 'pg';

/**
 * Every row of every table of the database as text (`SELECT t::text FROM t`):
 * what a database dump or a backup would hold.
 */
export async function databaseDump(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name
       FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
    );
    if (tables.length < 5) throw new Error(`expected the application's tables, found ${tables.map((t) => t.name).join(', ')}`);
    const parts: string[] = [];
    for (const { name } of tables) {
      const { rows } = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
      parts.push(`-- ${name}`, ...rows.map((r) => r.row));
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

/** Not the secret, nor its UTF-8 bytes in hex (how bytea columns print), nor its base64. */
export function expectNoSecret(text: string, secret: string): void {
  expect(secret.length).toBeGreaterThan(16);
  expect(text).not.toContain(secret);
  expect(text).not.toContain(Buffer.from(secret).toString('hex'));
  expect(text).not.toContain(Buffer.from(secret).toString('base64'));
}
