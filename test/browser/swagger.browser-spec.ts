import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { freePort } from '../support/net.js';

const CHROMIUM = '/usr/bin/chromium';

/** What the browser made of the status grid's SVG. */
interface Drawn {
  root: string;
  parserErrors: number;
  width: number;
  cells: number;
  titled: number;
  coloured: number;
  lettered: number;
  legend: string[];
}
const root = join(import.meta.dirname, '..', '..', '..');
const artifacts = join(root, 'test-artifacts');

/** The quarter before today's, as the README's step 4 asks for it: `2026-Q3` in November 2026. */
function lastQuarter(today = new Date()): string {
  const quarter = Math.floor(today.getMonth() / 3); // 0-based: this quarter
  return quarter === 0 ? `${today.getFullYear() - 1}-Q4` : `${today.getFullYear()}-Q${quarter}`;
}

/** The half-year before today's, as the README's step 6 asks for it (Vinnova reports half-yearly): `2026-H1` in November 2026. */
function lastHalfYear(today = new Date()): string {
  return today.getMonth() < 6 ? `${today.getFullYear() - 1}-H2` : `${today.getFullYear()}-H1`;
}

/**
 * The README's "Your first five minutes", step by step, exactly as written,
 * in Debian's Chromium against the app started as `npm start` starts it
 * (embedded PostgreSQL, demo data), with the keys read from the start-up
 * block as a newcomer reads them. Each step checks what the README promises
 * and leaves a screenshot in test-artifacts/.
 */
describe("the README's first five minutes, in a real browser", () => {
  let app: ChildProcess;
  let output = '';
  let browser: Browser | undefined;
  let page: Page;
  let dataDir: string;
  let port: number;
  let pgPort: number;
  let base: string;
  /** What a step found that a later step uses, as a person would have copied it. */
  const copied: {
    editorKey?: string;
    funderKey?: string;
    finditId?: string;
    activityId?: string;
    vinnovaId?: string;
    acknowledged?: { id: string; sha256: string };
  } = {};

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}. Install Debian's package: apt-get install -y chromium`);
    }
    dataDir = await mkdtemp(join(tmpdir(), 'styrman-browser-'));
    [port, pgPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
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
    // The key block is the last thing start-up prints: wait for its closing rule.
    while (!/More keys, one per person[\s\S]*─{20,}/.test(output)) {
      if (app.exitCode !== null || Date.now() - started > 120_000) throw new Error(`the app did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await mkdir(artifacts, { recursive: true });
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
    page = await browser.newPage({ viewport: { width: 1280, height: 1600 }, acceptDownloads: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (app && app.exitCode === null) {
      app.kill('SIGTERM');
      await once(app, 'exit');
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(artifacts, `first-five-minutes-${name}.png`), fullPage: false });

  /** Authorize → paste the key into `bearer` → Authorize → Close, logging out a key already there. */
  async function authorize(key: string): Promise<void> {
    await page.click('button.authorize');
    const bearer = page.locator('.auth-container').filter({ hasText: 'bearer' }).first();
    const logout = bearer.locator('button', { hasText: 'Logout' });
    if (await logout.isVisible()) await logout.click();
    await bearer.locator('input').fill(key);
    await bearer.locator('button.authorize').click();
    await bearer.locator('button', { hasText: 'Logout' }).waitFor();
    await page.locator('.modal-ux button.btn-done').first().click();
    await page.locator('.modal-ux').waitFor({ state: 'detached' });
  }

  /** Opens an operation under a tag, Try it out, fills what the README says, Execute; the live response's status and body. */
  async function tryItOut(
    tag: string,
    operationId: string,
    fill: { params?: Record<string, string>; selects?: Record<string, string>; body?: string } = {},
  ): Promise<{ operation: Locator; status: string; body: string }> {
    const operation = page.locator(`#operations-${tag}-${operationId}`);
    // Once a body was edited, Swagger UI adds a Reset button of the same class beside Cancel.
    const tryOut = operation.locator('button.try-out__btn:not(.reset)');
    if (!(await tryOut.isVisible())) await operation.locator('.opblock-summary').first().click();
    if ((await tryOut.innerText()).trim() === 'Try it out') await tryOut.click();
    for (const [name, value] of Object.entries(fill.params ?? {})) {
      await operation.locator(`tr[data-param-name="${name}"] input`).fill(value);
    }
    for (const [name, value] of Object.entries(fill.selects ?? {})) {
      await operation.locator(`tr[data-param-name="${name}"] select`).selectOption(value);
    }
    if (fill.body !== undefined) await operation.locator('textarea.body-param__text').fill(fill.body);
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 30_000 });
    await operation.scrollIntoViewIfNeeded();
    const code = operation.locator('.live-responses-table .response-col_description .highlight-code pre').first();
    const body = (await code.count()) > 0 ? await code.innerText() : '';
    return { operation, status: (await status.innerText()).trim(), body };
  }

  /** The query Swagger UI sent, from the request URL it shows. */
  async function sentQuery(operation: Locator): Promise<Record<string, string>> {
    return Object.fromEntries(new URL(await operation.locator('.request-url pre').innerText()).searchParams);
  }

  it('start-up prints the demo keys, each with its role', () => {
    copied.editorKey = /^\s+editor\s+(sty_\S+)/m.exec(output)?.[1];
    copied.funderKey = /^\s+funder\s+(sty_\S+)/m.exec(output)?.[1];
    expect(copied.editorKey).toMatch(/^sty_/);
    expect(copied.funderKey).toMatch(/^sty_/);
  });

  it('1. opens /docs, authorizes with the editor key, stays authorized after a reload, and the filter box finds a tag (risk finds risks)', async () => {
    await page.goto(`${base}/docs`);
    await page.waitForSelector('.swagger-ui .information-container', { timeout: 30_000 });
    await authorize(copied.editorKey!);
    await page.reload();
    await page.waitForSelector('.swagger-ui .information-container', { timeout: 30_000 });
    await page.locator('button.authorize.locked').waitFor();
    // Nothing pre-filled anywhere: an empty filter box, and no operation yet shows a query value.
    const filter = page.locator('input.operation-filter-input');
    await filter.fill('status');
    await page.locator('#operations-tag-status').waitFor();
    await page.locator('#operations-tag-clusters').waitFor({ state: 'detached' });
    // The filter matches tags: each kind of item is a tag, so typing "risk" finds the risks.
    await filter.fill('risk');
    await page.locator('#operations-tag-risks').waitFor();
    await page.locator('#operations-tag-goals').waitFor({ state: 'detached' });
    await shot('1-authorized-and-filtered');
    await filter.fill('');
    await page.locator('#operations-tag-clusters').waitFor();
  });

  it("2. lists the clusters (the editor sees Findit) and Findit's activities, some overdue", async () => {
    const clusters = await tryItOut('clusters', 'ClustersController_list');
    expect(clusters.status).toBe('200');
    const findit = (JSON.parse(clusters.body) as { items: { id: string; name: string }[] }).items.find((c) => c.name === 'Findit');
    expect(findit).toBeDefined();
    copied.finditId = findit!.id;
    // The request Swagger UI sent carries no filter the user did not type: only the documented defaults of paging and sorting.
    expect(await sentQuery(clusters.operation)).toEqual({ limit: '50', offset: '0', includeArchived: 'false', sort: 'name' });

    const activities = await tryItOut('activities', 'ActivitiesController_list', { params: { clusterId: copied.finditId } });
    expect(activities.status).toBe('200');
    const sent = await sentQuery(activities.operation);
    expect(Object.keys(sent).filter((name) => !['limit', 'offset', 'includeArchived', 'sort'].includes(name))).toEqual([]);
    const items = (JSON.parse(activities.body) as { items: { id: string; overdue: boolean; state: string }[] }).items;
    expect(items.filter((a) => a.overdue).length).toBeGreaterThan(0);
    copied.activityId = items.find((a) => a.overdue)!.id;
    await shot('2-findit-activities-overdue');
  });

  it("3. updates the activity's status to yellow (201, now yellow), and its history shows it newest first with the editor as author", async () => {
    const body = '{ "status": "yellow", "comment": "Two key firms have not signed up yet" }';
    const update = await tryItOut('status', 'ActivitiesController_changeStatus', { params: { activityId: copied.activityId! }, body });
    expect(update.status).toBe('201');
    expect(JSON.parse(update.body)).toMatchObject({ id: copied.activityId, status: 'yellow' });
    await shot('3a-status-update-201');

    const history = await tryItOut('status', 'ActivitiesController_statusUpdates', { params: { activityId: copied.activityId! } });
    expect(history.status).toBe('200');
    const [newest] = (JSON.parse(history.body) as { items: Record<string, unknown>[] }).items;
    expect(newest).toMatchObject({
      status: 'yellow',
      comment: 'Two key firms have not signed up yet',
      author: 'Karin Ek, process leader Findit',
    });
    await shot('3b-status-history');
  });

  it("4. with the funder key, finds Vinnova's id and downloads its report for last quarter as CSV", async () => {
    await authorize(copied.funderKey!);
    const funders = await tryItOut('funders', 'FundersController_list');
    expect(funders.status).toBe('200');
    const vinnova = (JSON.parse(funders.body) as { items: { id: string; name: string }[] }).items.find((f) => f.name === 'Vinnova');
    expect(vinnova).toBeDefined();
    copied.vinnovaId = vinnova!.id;

    const report = await tryItOut('reports', 'ReportsController_funderReport', {
      params: { funderId: vinnova!.id, period: lastQuarter() },
      selects: { format: 'csv' },
    });
    expect(report.status).toBe('200');
    const link = report.operation.locator('.live-responses-table a', { hasText: 'Download file' });
    await shot('4-funder-report-csv');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header.split(',').length).toBeGreaterThan(3);
    expect(rows.length).toBeGreaterThan(0);
    expect(csv).toContain('Findit');
  });

  it('5. with the editor key again, lists the risks scoring 15 or more (greatest first) and the inner core, and moves an actor up the ladder', async () => {
    await authorize(copied.editorKey!);
    const risks = await tryItOut('risks', 'RisksController_list', { params: { clusterId: copied.finditId!, minScore: '15' } });
    expect(risks.status).toBe('200');
    const scores = (JSON.parse(risks.body) as { items: { score: number }[] }).items.map((r) => r.score);
    expect(scores.length).toBeGreaterThan(0);
    expect(scores.every((score) => score >= 15)).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await shot('5a-risks-scoring-15-or-more');

    const actors = await tryItOut('actors', 'ActorsController_list', {
      params: { clusterId: copied.finditId! },
      selects: { core: 'inner' },
    });
    expect(actors.status).toBe('200');
    const inner = (JSON.parse(actors.body) as { items: { id: string; core: string; engagement: string }[] }).items;
    expect(inner.length).toBeGreaterThan(0);
    expect(inner.every((a) => a.core === 'inner')).toBe(true);
    const notYet = inner.find((a) => a.engagement !== 'committed');
    expect(notYet).toBeDefined();

    const moved = await tryItOut('actors', 'ActorsController_update', {
      params: { actorId: notYet!.id },
      body: '{ "engagement": "committed" }',
    });
    expect(moved.status).toBe('200');
    expect(JSON.parse(moved.body)).toMatchObject({ id: notYet!.id, engagement: 'committed' });
    await shot('5b-actor-committed');
  });

  it('6. reports the half-year to Vinnova: submit, return with a comment, complete, resubmit, acknowledge', async () => {
    const half = lastHalfYear();
    // 6.1 The text Findit wrote about the half-year, then the submission: known at the submission, the text included.
    const narrative = await tryItOut('narratives', 'NarrativesController_get', { params: { clusterId: copied.finditId!, period: half } });
    expect(narrative.status).toBe('200');
    const text = JSON.parse(narrative.body) as { version: number; summary: string; results: string; deviations: string; nextSteps: string };
    expect(text.summary).toContain('Findit');
    const submitted = await tryItOut('report-submissions', 'ReportSubmissionsController_submit', {
      params: { clusterId: copied.finditId! },
      body: `{ "funderId": "${copied.vinnovaId!}", "period": "${half}" }`,
    });
    expect(submitted.status).toBe('201');
    const submission = JSON.parse(submitted.body) as {
      id: string;
      state: string;
      sha256: string;
      period: string;
      knownAt: string;
      submittedAt: string;
    };
    expect(submission).toMatchObject({ state: 'submitted', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(submission.knownAt).toBe(submission.submittedAt);
    await shot('6a-report-submitted');

    // 6.2 The funder finds it in its inbox, reads it, and returns it with a comment.
    await authorize(copied.funderKey!);
    const inbox = await tryItOut('report-submissions', 'ReportSubmissionsController_listForFunder', {
      params: { funderId: copied.vinnovaId! },
      selects: { state: 'submitted' },
    });
    expect(inbox.status).toBe('200');
    expect((JSON.parse(inbox.body) as { items: { id: string }[] }).items.map((i) => i.id)).toContain(submission.id);
    const report = await tryItOut('report-submissions', 'ReportSubmissionsController_report', { params: { submissionId: submission.id } });
    expect(report.status).toBe('200');
    expect(report.body).toContain('Findit');
    expect(report.body).toContain(text.summary);
    const returned = await tryItOut('report-submissions', 'ReportSubmissionsController_returnForCompletion', {
      params: { submissionId: submission.id },
      body: '{ "comment": "Please add the member survey results." }',
    });
    expect(returned.status).toBe('200');
    expect(JSON.parse(returned.body)).toMatchObject({ state: 'returned', decisionComment: 'Please add the member survey results.' });
    await shot('6b-report-returned');

    // 6.3 The cluster completes the half-year: the survey, measured in it, and the text.
    await authorize(copied.editorKey!);
    const goals = await tryItOut('goals', 'GoalsController_list', { params: { clusterId: copied.finditId! } });
    const survey = (JSON.parse(goals.body) as { items: { id: string; title: string }[] }).items.find(
      (g) => g.title === 'Member surveys started',
    );
    expect(survey).toBeDefined();
    const measuredOn = half.endsWith('H1') ? `${half.slice(0, 4)}-06-25` : `${half.slice(0, 4)}-12-20`;
    const measured = await tryItOut('goals', 'MeasurementsController_create', {
      params: { goalId: survey!.id },
      body: `{ "value": 31, "measuredOn": "${measuredOn}", "comment": "Medlemsenkäten" }`,
    });
    expect(measured.status).toBe('201');
    const completed = await tryItOut('narratives', 'NarrativesController_put', {
      params: { clusterId: copied.finditId!, period: half, 'If-Match': `"${text.version}"` },
      body: JSON.stringify({
        summary: text.summary,
        results: `${text.results} Medlemsenkäten: 31 svar.`,
        deviations: text.deviations,
        nextSteps: text.nextSteps,
      }),
    });
    expect(completed.status).toBe('200');
    expect(JSON.parse(completed.body)).toMatchObject({ version: text.version + 1 });
    const late = await tryItOut('report-submissions', 'ReportSubmissionsController_lateEntries', {
      params: { submissionId: submission.id },
    });
    expect((JSON.parse(late.body) as { items: { value: number }[] }).items.map((m) => m.value)).toEqual([31]);
    await shot('6c-half-year-completed');

    // 6.4 The resubmission: a new checksum, naming the returned one; nothing late yet.
    const resubmitted = await tryItOut('report-submissions', 'ReportSubmissionsController_submit', {
      params: { clusterId: copied.finditId! },
      body: `{ "funderId": "${copied.vinnovaId!}", "period": "${half}" }`,
    });
    expect(resubmitted.status).toBe('201');
    const second = JSON.parse(resubmitted.body) as { id: string; sha256: string; previousSubmissionId: string };
    expect(second.previousSubmissionId).toBe(submission.id);
    expect(second.sha256).not.toBe(submission.sha256);
    const none = await tryItOut('report-submissions', 'ReportSubmissionsController_lateEntries', { params: { submissionId: second.id } });
    expect(JSON.parse(none.body)).toMatchObject({ items: [], total: 0 });

    // 6.5 The funder acknowledges it.
    await authorize(copied.funderKey!);
    const acknowledged = await tryItOut('report-submissions', 'ReportSubmissionsController_acknowledge', {
      params: { submissionId: second.id },
      body: '{ "comment": "Received, thank you." }',
    });
    expect(acknowledged.status).toBe('200');
    expect(JSON.parse(acknowledged.body)).toMatchObject({ id: second.id, state: 'acknowledged', decisionComment: 'Received, thank you.' });
    copied.acknowledged = { id: second.id, sha256: second.sha256 };
    await shot('6d-report-acknowledged');

    // "lists, period by period, what each funded cluster owes": Findit's half-year is among them, acknowledged.
    const due = await tryItOut('report-submissions', 'ReportSubmissionsController_dueForFunder', {
      params: { funderId: copied.vinnovaId! },
    });
    expect(due.status).toBe('200');
    const rows = (JSON.parse(due.body) as { items: { clusterId: string; period: string; state: string; submissionId: string | null }[] })
      .items;
    expect(rows.filter((r) => r.clusterId === copied.finditId && r.submissionId === second.id)).toEqual([
      expect.objectContaining({ period: half, state: 'acknowledged' }),
    ]);
  });

  it("7. opens Findit's badge in the browser", async () => {
    const badge = await browser!.newPage();
    const response = await badge.goto(`${base}/api/v1/clusters/${copied.finditId}/badge.svg`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    await badge.locator('svg title').waitFor({ state: 'attached' });
    await expect(badge.locator('svg title').textContent()).resolves.toMatch(/^Findit: /);
    await badge.screenshot({ path: join(artifacts, 'first-five-minutes-7-badge.png') });
    await badge.close();
  });

  it("8. next steps: the funder's programme indicators for the half-year, the signed statement of the report, and a subscription whose confirmation lands in the outbox", async () => {
    const half = lastHalfYear();
    await authorize(copied.funderKey!);
    const totals = await tryItOut('indicators', 'IndicatorTotalsController_funder', {
      params: { funderId: copied.vinnovaId!, period: half },
    });
    expect(totals.status).toBe('200');
    const body = JSON.parse(totals.body) as {
      period: string;
      complete: boolean;
      items: { definition: { code: string }; clusters: { clusterId: string }[]; total: number; overlap?: number }[];
    };
    expect(body).toMatchObject({ period: half, complete: true });
    const codes = body.items.map((i) => i.definition.code);
    expect(codes).toEqual(expect.arrayContaining(['RCO01', 'RCO10', 'RCR02']));
    // The demo's member firms overlap between Vinnova's clusters: counted once, and the overlap said.
    const rco01 = body.items.find((i) => i.definition.code === 'RCO01')!;
    expect(rco01.clusters.length).toBeGreaterThan(1);
    expect(rco01.overlap).toBeGreaterThan(0);
    await shot('8a-indicator-totals');

    // "Check a report you received": the statement Styrman signed for the acknowledged report names its SHA-256.
    const statement = await tryItOut('signatures', 'StatementsController_statement', { params: { submissionId: copied.acknowledged!.id } });
    expect(statement.status).toBe('200');
    expect(statement.body).toContain(copied.acknowledged!.sha256);
    await shot('8b-signed-statement');

    await authorize(copied.editorKey!);
    const subscribed = await tryItOut('notifications', 'SubscriptionsController_create', {
      body: '{ "email": "anna.lind@findit.example.org", "language": "sv", "topics": ["submission_due", "weekly_digest"] }',
    });
    expect(subscribed.status).toBe('201');
    expect(JSON.parse(subscribed.body)).toMatchObject({ state: 'pending' });
    await shot('8c-subscribed');
    // "the emails land as .eml files in .data/outbox/": the confirmation, addressed to the subscriber.
    const outbox = join(dataDir, 'outbox');
    const end = Date.now() + 60_000;
    let confirmation: string | undefined;
    while (!confirmation && Date.now() < end) {
      const files = existsSync(outbox) ? await readdir(outbox) : [];
      for (const f of files.filter((name) => name.endsWith('.eml'))) {
        const text = await readFile(join(outbox, f), 'utf8');
        if (/^To: anna\.lind@findit\.example\.org/m.test(text) && /subscriptions\/confirm\//.test(text)) confirmation = text;
      }
      if (!confirmation) await new Promise((r) => setTimeout(r, 250));
    }
    expect(confirmation).toBeDefined();
  });

  it('left the status update in the database, by the editor', async () => {
    const password = (await readFile(join(dataDir, 'postgres-password'), 'utf8')).trim();
    const db = new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'styrman', password, database: 'styrman' });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT status FROM activity WHERE id = $1', [copied.activityId]);
      expect(rows).toEqual([{ status: 'yellow' }]);
    } finally {
      await db.end();
    }
  });

  it("shows Findit's status grid as an SVG heat map that fits an A4 page, with a title on every cell", async () => {
    const viewerKey = /^\s+viewer\s+(\S+)/m.exec(output)?.[1];
    expect(viewerKey).toMatch(/^sty_/);
    const base = `http://127.0.0.1:${port}`;
    const headers = { Authorization: `Bearer ${viewerKey}` };
    const clusters = (await (await fetch(`${base}/api/v1/clusters`, { headers })).json()) as { items: { id: string; name: string }[] };
    const findit = clusters.items.find((c) => c.name === 'Findit')!;
    const grid = (await (
      await fetch(`${base}/api/v1/clusters/${findit.id}/status-grid?period=${new Date().getUTCFullYear()}`, { headers })
    ).json()) as {
      rows: unknown[];
      columns: unknown[];
    };
    expect(grid.rows.length).toBeGreaterThan(0);

    browser ??= await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    // An A4 page is about 794 CSS pixels wide.
    const context = await browser.newContext({ viewport: { width: 800, height: 1100 }, extraHTTPHeaders: headers });
    const page = await context.newPage();
    const response = await page.goto(`${base}/api/v1/clusters/${findit.id}/status-grid?period=${new Date().getUTCFullYear()}&format=svg`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('image/svg+xml; charset=utf-8');
    // Run in the page, where the DOM is (this project compiles without the DOM's types).
    const drawn = await page.evaluate<Drawn>(`(() => {
      const svg = document.documentElement;
      const cells = Array.from(document.querySelectorAll('g.cell'));
      const coloured = cells.filter((c) => c.getAttribute('data-status') !== 'none');
      return {
        root: svg.tagName,
        parserErrors: document.getElementsByTagName('parsererror').length,
        width: svg.getBoundingClientRect().width,
        cells: cells.length,
        titled: cells.filter((c) => (c.querySelector('title')?.textContent ?? '').length > 0).length,
        coloured: coloured.length,
        lettered: coloured.filter((c) => /^[GYR]$/.test(c.querySelector('text')?.textContent ?? '')).length,
        legend: Array.from(document.querySelectorAll('g.legend-item')).map((e) => e.textContent),
      };
    })()`);
    expect(drawn.root).toBe('svg');
    expect(drawn.parserErrors).toBe(0);
    expect(drawn.width).toBeLessThanOrEqual(800);
    expect(drawn.cells).toBe(grid.rows.length * grid.columns.length);
    expect(drawn.titled).toBe(drawn.cells);
    expect(drawn.coloured).toBeGreaterThan(0);
    expect(drawn.lettered).toBe(drawn.coloured);
    expect(drawn.legend).toEqual(['Ggreen: on track', 'Yyellow: at risk', 'Rred: off track', 'not in the plan']);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'status-grid.png') });
    await context.close();
  });
});
