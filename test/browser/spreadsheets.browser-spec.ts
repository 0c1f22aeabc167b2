import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { freePort } from '../support/net.js';

const SOFFICE = '/usr/bin/soffice';
const root = join(import.meta.dirname, '..', '..', '..');
const artifacts = join(root, 'test-artifacts');
const ADMIN_KEY = 'sty_spreadsheet-test-admin-key-0123456789';
const run = promisify(execFile);

/**
 * The report as a funder's officer with Swedish settings opens it: the
 * semicolon CSV and the XLSX workbook in LibreOffice Calc (headless, Swedish
 * locale), against the app started as `npm start` starts it. Checks that
 * LibreOffice reads the numbers as numbers and the days as dates.
 */
describe('reports in a spreadsheet with Swedish settings (LibreOffice)', () => {
  let app: ChildProcess;
  let output = '';
  let dataDir: string;
  let work: string;
  let base: string;
  let clusterId: string;
  const year = new Date().getUTCFullYear();

  const api = async (method: string, path: string, body?: unknown): Promise<Record<string, any>> => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as Record<string, any>;
  };

  /**
   * LibreOffice Calc as a Swedish user has it: Tools > Options > Languages >
   * Locale setting "Swedish (Sweden)" in the profile, which decides how numbers
   * and dates are read and shown. (The process locale stays C.UTF-8, which
   * every machine has, so that file names with Å, Ä and Ö are written as such.)
   */
  const soffice = async (args: string[]) => {
    const profile = join(work, 'profile');
    if (!existsSync(join(profile, 'user'))) {
      await mkdir(join(profile, 'user'), { recursive: true });
      await writeFile(
        join(profile, 'user', 'registrymodifications.xcu'),
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
          '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>sv-SE</value></prop></item>\n</oor:items>\n',
      );
    }
    await run(SOFFICE, ['--headless', '--norestore', `-env:UserInstallation=file://${profile}`, ...args], {
      cwd: work,
      env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
      timeout: 120_000,
    });
  };

  const report = async (query: string): Promise<Buffer> => {
    const res = await fetch(`${base}/api/v1/clusters/${clusterId}/report?period=${year}&${query}`, {
      headers: { Authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  beforeAll(async () => {
    if (!existsSync(SOFFICE)) {
      throw new Error(`LibreOffice is not installed at ${SOFFICE}. Install Debian's package: apt-get install -y libreoffice-calc-nogui`);
    }
    dataDir = await mkdtemp(join(tmpdir(), 'styrman-sheets-'));
    work = await mkdtemp(join(tmpdir(), 'styrman-calc-'));
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
        DEMO_DATA: 'false',
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

    const cluster = await api('POST', '/clusters', { name: 'Skogsklustret', region: 'Västerbotten', phase: 'formation' });
    clusterId = cluster.id as string;
    const goal = await api('POST', `/clusters/${clusterId}/goals`, {
      title: 'Anställda i medlemsföretagen',
      horizon: 'long_term',
      indicator: { unit: 'anställda', baseline: 1000.5, target: 1500 },
    });
    const today = new Date().toISOString().slice(0, 10);
    await api('POST', `/goals/${goal.id}/measurements`, { value: 1230.6, measuredOn: today });
    await api('POST', `/clusters/${clusterId}/activities`, { title: 'Studieresa', dueDate: `${year}-12-31` });
  });

  afterAll(async () => {
    if (app && app.exitCode === null) {
      app.kill('SIGTERM');
      await once(app, 'exit');
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('reads the semicolon CSV with decimal commas as numbers and the days as dates', async () => {
    await writeFile(join(work, 'rapport.csv'), await report('format=csv&delimiter=semicolon&lang=sv'));
    // The CSV import filter: semicolon (59), double quote (34), UTF-8 (76), from line 1, Swedish (1053).
    await soffice(['--infilter=CSV:59,34,76,1,,1053', '--convert-to', 'xlsx', '--outdir', join(work, 'calc'), 'rapport.csv']);
    await mkdir(artifacts, { recursive: true });
    await writeFile(join(artifacts, 'report-semicolon-opened-in-calc.xlsx'), await readFile(join(work, 'calc', 'rapport.xlsx')));

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(work, 'calc', 'rapport.xlsx'));
    const sheet = book.worksheets[0];
    const headers = sheet.getRow(1).values as unknown[];
    const cell = (row: number, header: string) => sheet.getRow(row).getCell(headers.indexOf(header));
    const goalRow = [2, 3].find((r) => cell(r, 'Typ').value === 'mål')!;
    const activityRow = [2, 3].find((r) => cell(r, 'Typ').value === 'aktivitet')!;

    for (const [header, value] of [
      ['Utgångsvärde', 1000.5],
      ['Målvärde', 1500],
      ['Senaste värde', 1230.6],
      ['Framsteg %', 46.1],
      ['Statusändringar', 0],
    ] as const) {
      expect({ header, type: cell(goalRow, header).type, value: cell(goalRow, header).value }).toEqual({
        header,
        type: ExcelJS.ValueType.Number,
        value,
      });
    }
    expect(cell(activityRow, 'Slutdatum').type).toBe(ExcelJS.ValueType.Date);
    expect((cell(activityRow, 'Slutdatum').value as Date).toISOString()).toBe(`${year}-12-31T00:00:00.000Z`);
    expect(cell(goalRow, 'Status vid slut').value).toBe('grön');
  });

  it('opens the XLSX workbook with numbers shown with a decimal comma and dates as dates', async () => {
    await writeFile(join(work, 'rapport.xlsx'), await report('format=xlsx&lang=sv'));
    // Each sheet to its own CSV (-1), as Calc shows the cells with Swedish settings.
    await soffice([
      '--convert-to',
      'csv:Text - txt - csv (StarCalc):59,34,76,1,,1053,false,true,false,false,false,-1',
      '--outdir',
      join(work, 'shown'),
      'rapport.xlsx',
    ]);
    const shown = async (sheet: string) => {
      const text = await readFile(join(work, 'shown', `rapport-${sheet}.csv`), 'utf8');
      const lines = text
        .trimEnd()
        .split(/\r?\n/)
        .map((l) => l.split(';'));
      // The table's header: the first row of a sheet, under the title lines of the summary.
      const [header, ...rows] = lines.slice(lines.findIndex((l) => l[0] === 'Kluster'));
      return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    };
    const [goal] = await shown('Mål');
    // A number in the workbook is shown with the Swedish decimal comma; text would have kept its point.
    expect(goal).toMatchObject({ Utgångsvärde: '1000,5', 'Senaste värde': '1230,6', 'Framsteg %': '46,1', 'Status vid slut': 'grön' });
    const [activity] = await shown('Aktiviteter');
    expect(activity['Slutdatum']).toBe(`${year}-12-31`);
    const summary = (await shown('Sammanfattning')).find((row) => row['Poster'] === 'Mål');
    expect(summary).toMatchObject({ Kluster: 'Skogsklustret', Fas: 'formering', 'Grön vid slut': '1' });
  });
});
