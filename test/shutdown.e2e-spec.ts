import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createTestDatabase, dropTestDatabase } from './support/database.js';

const main = join(import.meta.dirname, '..', '..', 'dist', 'src', 'main.js');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('graceful shutdown', () => {
  it('finishes the requests in flight on SIGTERM, refuses new connections, and exits 0', async () => {
    const databaseUrl = await createTestDatabase();
    const port = await freePort();
    const key = `sty_shutdown_${randomBytes(16).toString('hex')}`;
    const app = spawn(process.execPath, [main], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        ADMIN_API_KEY: key,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DEMO_DATA: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    app.stdout.on('data', (d: Buffer) => (output += d.toString()));
    app.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      while (!output.includes('Styrman is ready')) {
        if (app.exitCode !== null) throw new Error(output);
        await new Promise((r) => setTimeout(r, 100));
      }
      const base = `http://127.0.0.1:${port}`;
      const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
      const cluster = (await (
        await fetch(`${base}/api/v1/clusters`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ name: 'Shutdown', region: 'R', phase: 'initiation' }),
        })
      ).json()) as { id: string };

      // A burst of writes and reads in flight when SIGTERM arrives.
      const inFlight = Array.from({ length: 40 }, (_, i) =>
        fetch(`${base}/api/v1/clusters/${cluster.id}/activities`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ title: `In flight ${i}` }),
        }).then(
          async (r) => ({ status: r.status, body: (await r.json()) as { id?: string } }),
          (): { status: number; body: { id?: string } } => ({ status: 0, body: {} }),
        ),
      );
      // SIGTERM as soon as the first answer shows the burst is being served: the rest are in flight.
      await Promise.race(inFlight);
      app.kill('SIGTERM');
      const results = await Promise.all(inFlight);
      const [code] = await once(app, 'exit');
      expect(code).toBe(0);

      // Every request was either completed or refused cleanly (never cut off half-way).
      const accepted = results.filter((r) => r.status === 201);
      expect(results.every((r) => r.status === 201 || r.status === 503 || r.status === 0)).toBe(true);
      expect(accepted.length).toBeGreaterThan(0);
      await expect(fetch(`${base}/health`)).rejects.toThrow();

      // What was acknowledged is there.
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const { rows } = await client.query(`SELECT id FROM activity WHERE cluster_id = $1`, [cluster.id]);
      await client.end();
      const stored = new Set(rows.map((r: { id: string }) => r.id));
      expect(accepted.every((r) => r.body.id !== undefined && stored.has(r.body.id))).toBe(true);
    } finally {
      if (app.exitCode === null) app.kill('SIGKILL');
      await dropTestDatabase(databaseUrl);
    }
  });
});
