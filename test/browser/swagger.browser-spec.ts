import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Browser, chromium } from 'playwright-core';
import { freePort } from '../support/net.js';

const CHROMIUM = '/usr/bin/chromium';
const root = join(import.meta.dirname, '..', '..', '..');
const artifacts = join(root, 'test-artifacts');

/**
 * A person's first five minutes, in a real browser: open Swagger UI,
 * authorize with the demo editor key, set an activity to yellow with a
 * comment through "Try it out", and see it land in the database.
 */
describe('Swagger UI in a real browser', () => {
  let app: ChildProcess;
  let output = '';
  let browser: Browser | undefined;
  let dataDir: string;
  let port: number;
  let pgPort: number;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium`);
    }
    dataDir = await mkdtemp(join(tmpdir(), 'styrman-browser-'));
    [port, pgPort] = [await freePort(), await freePort()];
    app = spawn(process.execPath, [join(root, 'dist', 'src', 'main.js')], {
      env: {
        ...process.env,
        DATABASE_URL: '',
        STYRMAN_DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        EMBEDDED_PG_PORT: String(pgPort),
        DEMO_DATA: 'true',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    app.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const started = Date.now();
    while (!output.includes('Styrman is ready')) {
      if (app.exitCode !== null || Date.now() - started > 120_000) throw new Error(`the app did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  afterAll(async () => {
    await browser?.close();
    if (app && app.exitCode === null) {
      app.kill('SIGTERM');
      await once(app, 'exit');
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('authorizes with the editor key, updates a status through "Try it out", and the database has it', async () => {
    const editorKey = /^\s+editor\s+(\S+)/m.exec(output)?.[1];
    expect(editorKey).toMatch(/^sty_/);
    const base = `http://127.0.0.1:${port}`;
    const headers = { Authorization: `Bearer ${editorKey}` };
    const clusters = (await (await fetch(`${base}/api/v1/clusters`, { headers })).json()) as { items: { id: string; name: string }[] };
    const findit = clusters.items.find((c) => c.name === 'Findit')!;
    const activities = (await (await fetch(`${base}/api/v1/clusters/${findit.id}/activities`, { headers })).json()) as {
      items: { id: string }[];
    };
    const activityId = activities.items[0].id;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    await page.goto(`${base}/docs`);
    await page.waitForSelector('.swagger-ui .information-container', { timeout: 30_000 });

    await page.click('button.authorize');
    const bearer = page.locator('.auth-container').filter({ hasText: 'bearer' }).first();
    await bearer.locator('input').fill(editorKey!);
    await bearer.locator('button.authorize').click();
    await page.locator('.modal-ux button.btn-done').first().click();

    const operation = page.locator('#operations-status-ActivitiesController_changeStatus');
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('tr[data-param-name="activityId"] input').fill(activityId);
    await operation
      .locator('textarea.body-param__text')
      .fill(JSON.stringify({ status: 'yellow', comment: 'Set from Swagger UI in a browser' }));
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 30_000 });
    expect((await status.innerText()).trim()).toMatch(/^201/);

    await mkdir(artifacts, { recursive: true });
    await operation.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'swagger-status-update.png'), fullPage: false });

    const password = (await readFile(join(dataDir, 'postgres-password'), 'utf8')).trim();
    const db = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'styrman', password, database: 'styrman' });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT status FROM activity WHERE id = $1', [activityId]);
      expect(rows).toEqual([{ status: 'yellow' }]);
      const history = await db.query(
        'SELECT status, comment, author FROM status_update WHERE subject_id = $1 ORDER BY created_at DESC, seq DESC LIMIT 1',
        [activityId],
      );
      expect(history.rows[0]).toEqual({
        status: 'yellow',
        comment: 'Set from Swagger UI in a browser',
        author: 'Karin Ek, process leader Findit',
      });
    } finally {
      await db.end();
    }
  });
});
