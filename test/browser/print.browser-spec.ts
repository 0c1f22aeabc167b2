import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { freePort } from '../support/net.js';

const SOFFICE = '/usr/bin/soffice';
const PDFTOTEXT = '/usr/bin/pdftotext';
const PDFTOPPM = '/usr/bin/pdftoppm';
const root = join(import.meta.dirname, '..', '..', '..');
const artifacts = join(root, 'test-artifacts', 'funder-workbook');
const ADMIN_KEY = 'sty_print-test-admin-key-0123456789abcdef';
const run = promisify(execFile);

/** The half-year before today's: the last period a half-yearly funder such as the demo's Vinnova has a report for. */
function lastHalfYear(today = new Date()): string {
  return today.getUTCMonth() < 6 ? `${today.getUTCFullYear() - 1}-H2` : `${today.getUTCFullYear()}-H1`;
}

/**
 * The funder's workbook as a programme officer prints it: the demo's Vinnova
 * (four clusters) for its last half-year, in Swedish, printed to PDF by
 * LibreOffice Calc headless. Checks the page count, that every page is one
 * sheet as wide as the page with its whole header row (text extracted from
 * the PDF: a cut header loses letters), and leaves every page as a PNG in
 * test-artifacts/funder-workbook/ to look at.
 */
describe('the funder workbook printed (LibreOffice to PDF)', () => {
  let app: ChildProcess;
  let output = '';
  let dataDir: string;
  let work: string;
  let base: string;

  const api = async (path: string): Promise<Response> => {
    const res = await fetch(`${base}/api/v1${path}`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    expect(res.status).toBe(200);
    return res;
  };

  beforeAll(async () => {
    for (const tool of [SOFFICE, PDFTOTEXT, PDFTOPPM]) {
      if (!existsSync(tool)) {
        throw new Error(`${tool} is missing. Install Debian's packages: apt-get install -y libreoffice-calc-nogui poppler-utils`);
      }
    }
    dataDir = await mkdtemp(join(tmpdir(), 'styrman-print-'));
    work = await mkdtemp(join(tmpdir(), 'styrman-print-calc-'));
    const [port, pgPort] = [await freePort(), await freePort()];
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
        ADMIN_API_KEY: ADMIN_KEY,
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
    if (app && app.exitCode === null) {
      app.kill('SIGTERM');
      await once(app, 'exit');
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('prints the four-cluster funder workbook on few landscape pages, each sheet as wide as the page, no header cut', async () => {
    const funders = (await (await api('/funders?limit=200')).json()) as { items: { id: string; name: string }[] };
    const vinnova = funders.items.find((f) => f.name === 'Vinnova')!;
    const period = lastHalfYear();
    const bytes = Buffer.from(await (await api(`/funders/${vinnova.id}/report?period=${period}&format=xlsx&lang=sv`)).arrayBuffer());
    await writeFile(join(work, 'vinnova.xlsx'), bytes);
    await run(
      SOFFICE,
      ['--headless', '--norestore', `-env:UserInstallation=file://${join(work, 'profile')}`, '--convert-to', 'pdf', 'vinnova.xlsx'],
      {
        cwd: work,
        env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
        timeout: 120_000,
      },
    );
    const pdf = join(work, 'vinnova.pdf');
    const { stdout: text } = await run(PDFTOTEXT, ['-layout', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 });
    const pages = text.split('\f').filter((p) => p.trim() !== '');

    // Every page as a PNG, kept beside the PDF and the workbook for a person to look at.
    await rm(artifacts, { recursive: true, force: true });
    await mkdir(artifacts, { recursive: true });
    await writeFile(join(artifacts, 'vinnova.xlsx'), bytes);
    await run(PDFTOPPM, ['-r', '60', '-png', pdf, join(artifacts, 'page')]);
    await writeFile(join(artifacts, 'vinnova.pdf'), await readFile(pdf));
    expect((await readdir(artifacts)).filter((f) => f.endsWith('.png'))).toHaveLength(pages.length);

    // What each sheet prints: its header row (the columns of its print area) and its name in the page's title.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const printed = new Map<string, string[]>();
    for (const sheet of book.worksheets) {
      const headerRow = Number(/^(\d+):/.exec(sheet.pageSetup.printTitlesRow ?? '')?.[1]);
      const lastColumn = /:\$?([A-Z]+)\$?\d+$/.exec(sheet.pageSetup.printArea ?? '')?.[1];
      expect({ sheet: sheet.name, headerRow, lastColumn }).toEqual({
        sheet: sheet.name,
        headerRow: expect.any(Number),
        lastColumn: expect.any(String),
      });
      const columns = sheet.getColumn(lastColumn!).number;
      const headers: string[] = [];
      for (let c = 1; c <= columns; c++) headers.push(sheet.getRow(headerRow).getCell(c).text);
      printed.set(sheet.name, headers);
    }

    const sheetOf = (page: string) => {
      const title = page.split('\n').find((l) => l.includes(`Styrman: Vinnova, ${period}`));
      expect(title).toBeDefined();
      return [...printed.keys()].find((name) => title!.trimEnd().endsWith(name))!;
    };
    const tokens = (s: string) => {
      const counts = new Map<string, number>();
      for (const w of s.split(/\s+/).filter(Boolean)) counts.set(w, (counts.get(w) ?? 0) + 1);
      return counts;
    };
    const pagesPerSheet = new Map<string, number>();
    for (const page of pages) {
      const sheet = sheetOf(page);
      pagesPerSheet.set(sheet, (pagesPerSheet.get(sheet) ?? 0) + 1);
      // Every word of every printed header, as often as the headers have it: a header cut at the page's edge or
      // in its cell ("Aktiviteter: grö") lacks a word, and a sheet wider than the page lacks its last columns.
      const onPage = tokens(page);
      const missing = [...tokens(printed.get(sheet)!.join(' '))].filter(([word, n]) => (onPage.get(word) ?? 0) < n).map(([w]) => w);
      expect({ sheet, missing }).toEqual({ sheet, missing: [] });
    }
    // Every sheet is printed, the summary on one page; the whole pack on few pages (31 before the print layout,
    // 19 on the demo's Vinnova for 2026-H1 after it, 21 with its programme indicators (RCO01, RCO10, RCR02) on a page
    // of their own; the bound leaves room for the demo's history, which follows today).
    expect([...pagesPerSheet.keys()].sort()).toEqual([...printed.keys()].sort());
    expect(pagesPerSheet.get('Sammanfattning')).toBe(1);
    expect(pages.length).toBeLessThanOrEqual(24);
    console.log(
      `The funder workbook (Vinnova, ${period}, 4 clusters) prints on ${pages.length} pages: ${JSON.stringify(Object.fromEntries(pagesPerSheet))}`,
    );
  });
});
