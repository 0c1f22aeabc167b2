import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock.js';
import { EmailWorker } from '../src/notifications/email-worker.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { decodeQuotedPrintable, TestSmtpServer } from './support/smtp.js';
import { fundedCluster } from './support/submissions.js';

/**
 * A year of due reminders in seconds: the scheduler's Clock is moved one day at a time and the job runner driven
 * directly. The expected emails come from the contract, restated here: for each period a subscription may read,
 * a reminder 14 days before dueOn (until the 3-day one), 3 days before (until the day after dueOn) and the day after
 * (overdue, for a week), never on or before the period's last day; sent on the first day of that window the clock
 * stops at (every reminder's own day is one) if the report is missing then, the subscription confirmed and not
 * unsubscribed.
 */

const START = '2025-01-01';
const END = '2026-03-10';
const UNSUBSCRIBE_ON = '2025-07-15';
const RESTART_ON = '2025-09-01';
const FUNDING = { startsOn: '2024-07-01', endsOn: '2026-06-30' };
const RHYTHMS = [
  { reportingPeriod: 'quarterly', reportDueDays: 30 },
  { reportingPeriod: 'half_yearly', reportDueDays: 10 },
  { reportingPeriod: 'yearly', reportDueDays: 60 },
] as const;

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The periods of a rhythm that overlap the funding, with their first and last days. */
function periods(rhythm: string): { name: string; from: string; to: string }[] {
  const out: { name: string; from: string; to: string }[] = [];
  for (const year of [2024, 2025, 2026]) {
    const list =
      rhythm === 'quarterly'
        ? [
            { name: `${year}-Q1`, from: `${year}-01-01`, to: `${year}-03-31` },
            { name: `${year}-Q2`, from: `${year}-04-01`, to: `${year}-06-30` },
            { name: `${year}-Q3`, from: `${year}-07-01`, to: `${year}-09-30` },
            { name: `${year}-Q4`, from: `${year}-10-01`, to: `${year}-12-31` },
          ]
        : rhythm === 'half_yearly'
          ? [
              { name: `${year}-H1`, from: `${year}-01-01`, to: `${year}-06-30` },
              { name: `${year}-H2`, from: `${year}-07-01`, to: `${year}-12-31` },
            ]
          : [{ name: `${year}`, from: `${year}-01-01`, to: `${year}-12-31` }];
    out.push(...list.filter((p) => p.to >= FUNDING.startsOn && p.from <= FUNDING.endsOn));
  }
  return out;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Sub {
  label: string;
  address: string;
  id: string;
  /** The (cluster, funder) pairs it may read and asked for. */
  pairs: Set<string>;
  confirm: boolean;
  unsubscribeOn?: string;
  unsubscribePath?: string;
}

async function simulate(instances: number): Promise<void> {
  const rnd = mulberry32(instances * 7919);
  const smtp = await new TestSmtpServer().start();
  const env = { SMTP_URL: smtp.url, EMAIL_WORKER: 'false', PUBLIC_URL: 'http://styrman.test', RATE_LIMIT_PER_MINUTE: '0' };
  const t = await startTestApp(env);
  let now = new Date(`${START}T10:00:00Z`);
  const apps: TestApp[] = [t];
  const watch = (app: TestApp) => jest.spyOn(app.app.get(Clock), 'now').mockImplementation(() => now);
  watch(t);
  for (let i = 1; i < instances; i++) {
    apps.push(await startTestApp(env, {}, t.databaseUrl));
    watch(apps[i]);
  }
  const workers = () => apps.map((a) => a.app.get(EmailWorker));
  try {
    // 3 funders, 50 clusters, each funded by one to three of them.
    const funders: Record<string, any>[] = [];
    for (const [i, r] of RHYTHMS.entries()) {
      funders.push(
        (
          await t
            .api()
            .post('/api/v1/funders')
            .send({ name: `Funder ${i}`, kind: 'national_agency', ...r })
            .expect(201)
        ).body,
      );
    }
    const clusters: Record<string, any>[] = [];
    const pairs: { cluster: string; funder: number }[] = [];
    for (let c = 0; c < 50; c++) {
      const cluster = await createCluster(t);
      clusters.push(cluster);
      const chosen = funders.map((_, i) => i).filter(() => rnd() < 0.5);
      if (chosen.length === 0) chosen.push(c % 3);
      for (const f of chosen) {
        await fundedCluster(t, { cluster, funder: funders[f], ...FUNDING });
        pairs.push({ cluster: cluster.id, funder: f });
      }
    }
    const pairKey = (cluster: string, funder: number) => `${cluster}/${funders[funder].id}`;
    const funderKey = await t.key('funder', { funderId: funders[0].id });
    const editorKey = await t.key('editor', { clusterIds: clusters.slice(0, 10).map((c) => c.id) });
    const viewerKey = await t.key('viewer');
    const select = (where: (p: { cluster: string; funder: number }) => boolean) =>
      new Set(pairs.filter(where).map((p) => pairKey(p.cluster, p.funder)));
    const inFirst = (n: number) => (p: { cluster: string }) => clusters.slice(0, n).some((c) => c.id === p.cluster);
    const subs: Sub[] = [];
    const subscribe = async (label: string, key: string, body: Record<string, unknown>, may: Set<string>, extra: Partial<Sub> = {}) => {
      const address = `${label}@example.org`;
      const res = await t
        .api(key)
        .post('/api/v1/subscriptions')
        .send({ email: address, topics: ['submission_due'], ...body });
      expect(res.status).toBe(201);
      subs.push({ label, address, id: res.body.id, pairs: may, confirm: true, ...extra });
    };
    await subscribe(
      'admin',
      t.adminKey,
      { language: 'en', clusterIds: clusters.slice(20, 30).map((c) => c.id) },
      select((p) => clusters.slice(20, 30).some((c) => c.id === p.cluster)),
    );
    await subscribe(
      'funder',
      funderKey.secret,
      { language: 'sv' },
      select((p) => p.funder === 0),
    );
    await subscribe('editor', editorKey.secret, { language: 'en', clusterIds: clusters.slice(0, 5).map((c) => c.id) }, select(inFirst(5)));
    await subscribe(
      'viewer',
      viewerKey.secret,
      { language: 'sv', clusterIds: clusters.slice(42, 50).map((c) => c.id) },
      select((p) => clusters.slice(42, 50).some((c) => c.id === p.cluster)),
      {
        unsubscribeOn: UNSUBSCRIBE_ON,
      },
    );
    await subscribe('unconfirmed', t.adminKey, { language: 'en' }, new Set(), { confirm: false });

    // The confirmations go out; all but one are confirmed through their link.
    await Promise.all(workers().map((w) => w.round()));
    for (const s of subs) {
      const mails = smtp.to(s.address);
      expect(mails).toHaveLength(1);
      const text = decodeQuotedPrintable(mails[0].raw);
      if (s.confirm) {
        const url = /http:\/\/styrman\.test(\/api\/v1\/subscriptions\/confirm\/[A-Za-z0-9_-]+)/.exec(text)![1];
        await t.api(null).get(url).expect(200);
      }
    }

    // The year, a day at a time: first the day's submissions, then the jobs and the sending on every instance.
    const submittedOn = new Map<string, string>();
    const rows = new Map<string, { subscription: string; key: string }>();
    const remember = async () => {
      for (const r of await t.dataSource.query<{ id: string; subscription_id: string; dedupe_key: string }[]>(
        `SELECT id, subscription_id, dedupe_key FROM email WHERE topic = 'submission_due'`,
      ))
        rows.set(r.id, { subscription: r.subscription_id, key: r.dedupe_key });
    };
    // The days the clock stops at: every day a reminder can come, the two days after it (when it must not come
    // again), and a random day in every week (a submission may come on it).
    const stops = new Set<string>([START, UNSUBSCRIBE_ON, RESTART_ON]);
    for (const r of RHYTHMS)
      for (const per of periods(r.reportingPeriod)) {
        const dueOn = addDays(per.to, r.reportDueDays);
        for (const at of [addDays(dueOn, -14), addDays(dueOn, -3), addDays(dueOn, 1)])
          for (const d of [0, 1, 2]) if (addDays(at, d) >= START && addDays(at, d) <= END) stops.add(addDays(at, d));
      }
    for (let week = START; week <= END; week = addDays(week, 7)) stops.add(addDays(week, Math.floor(rnd() * 7)));
    const days = [...stops].filter((d) => d <= END).sort();
    let submissions = 0;
    for (const day of days) {
      now = new Date(`${day}T10:00:00Z`);
      if (rnd() < 0.35) {
        const open = pairs.flatMap((p) =>
          periods(RHYTHMS[p.funder].reportingPeriod)
            .filter((per) => per.to < day && !submittedOn.has(`${pairKey(p.cluster, p.funder)}/${per.name}`))
            .map((per) => ({ p, per })),
        );
        const pick = open[Math.floor(rnd() * open.length)];
        if (pick) {
          await t
            .api()
            .post(`/api/v1/clusters/${pick.p.cluster}/report-submissions`)
            .send({ funderId: funders[pick.p.funder].id, period: pick.per.name })
            .expect(201);
          submittedOn.set(`${pairKey(pick.p.cluster, pick.p.funder)}/${pick.per.name}`, day);
          submissions++;
        }
      }
      for (const s of subs) {
        if (s.unsubscribeOn !== day) continue;
        await remember();
        const mail = smtp.to(s.address).at(-1)!;
        const path = new URL(/^<(.+)>$/.exec(mail.header('list-unsubscribe')!)![1]).pathname;
        await t
          .api(null)
          .post(path)
          .set('content-type', 'application/x-www-form-urlencoded')
          .send('List-Unsubscribe=One-Click')
          .expect(200);
      }
      if (instances > 1 && day === RESTART_ON) {
        // A restart of the second instance, mid-year.
        await apps[1].app.close();
        apps[1] = await startTestApp(env, {}, t.databaseUrl);
        watch(apps[1]);
      }
      await Promise.all(workers().map((w) => w.runJobs()));
      await Promise.all(workers().map((w) => w.sendDue()));
    }
    await remember();
    expect(submissions).toBeGreaterThan(40);

    // What the contract says should have come.
    const expected = new Map<string, Set<string>>();
    for (const s of subs) {
      const want = new Set<string>();
      for (const p of pairs) {
        if (!s.confirm || !s.pairs.has(pairKey(p.cluster, p.funder))) continue;
        const { reportingPeriod, reportDueDays } = RHYTHMS[p.funder];
        for (const per of periods(reportingPeriod)) {
          const dueOn = addDays(per.to, reportDueDays);
          const at = { '14d': addDays(dueOn, -14), '3d': addDays(dueOn, -3), overdue: addDays(dueOn, 1) };
          const until = { '14d': at['3d'], '3d': at.overdue, overdue: addDays(at.overdue, 7) };
          for (const moment of ['14d', '3d', 'overdue'] as const) {
            if (at[moment] <= per.to) continue;
            const day = at[moment] < START ? START : at[moment];
            if (day >= until[moment] || day > END || (s.unsubscribeOn && day >= s.unsubscribeOn)) continue;
            const submitted = submittedOn.get(`${pairKey(p.cluster, p.funder)}/${per.name}`);
            if (submitted && submitted <= day) continue;
            want.add(`submission_due:${p.cluster}:${funders[p.funder].id}:${per.name}:${moment}`);
          }
        }
      }
      expected.set(s.id, want);
    }

    // What came: each message mapped to its email row by its Message-ID.
    let total = 0;
    for (const s of subs) {
      const received = smtp.to(s.address).slice(1);
      const keys = received.map((m) => {
        const row = rows.get(m.messageId.split('@')[0]);
        expect(row?.subscription).toBe(s.id);
        return row!.key;
      });
      // Exactly once: no key twice, and exactly the expected ones.
      expect(keys.length).toBe(new Set(keys).size);
      expect(new Set(keys)).toEqual(expected.get(s.id));
      total += keys.length;
    }
    expect(expected.get(subs[4].id)!.size).toBe(0);
    expect(total).toBeGreaterThan(300);
    const [{ pending }] = await t.dataSource.query<{ pending: number }[]>(
      `SELECT count(*)::int AS pending FROM email WHERE state = 'pending'`,
    );
    expect(pending).toBe(0);
  } finally {
    for (const a of apps.slice(1)) await a.app.close();
    await t.close();
    await smtp.stop();
  }
}

describe('a simulated year of due reminders', () => {
  it('sends exactly one email per missing submission and moment: none after submission, unconfirmed or unsubscribed', async () => {
    await simulate(1);
  });

  it('does the same with two instances on one database, one of them restarted mid-year', async () => {
    await simulate(2);
  });
});
