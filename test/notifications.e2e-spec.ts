import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock.js';
import { EmailWorker } from '../src/notifications/email-worker.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createCluster, createGoal } from './support/factories.js';
import { decodeQuotedPrintable, TestSmtpServer } from './support/smtp.js';
import { fundedCluster } from './support/submissions.js';

/** The link of a given path in a message (`/subscriptions/confirm/…`). */
function link(raw: string, path: string): string {
  const match = new RegExp(`http://[^\\s"<>]*${path}[A-Za-z0-9_-]+`).exec(decodeQuotedPrintable(raw));
  if (!match) throw new Error(`no ${path} link in:\n${raw}`);
  return match[0];
}

describe('notifications by email', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let worker: EmailWorker;
  let now = new Date('2026-01-20T09:00:00Z');

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    t = await startTestApp({ SMTP_URL: smtp.url, EMAIL_WORKER: 'false', PUBLIC_URL: 'http://styrman.test' });
    worker = t.app.get(EmailWorker);
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => now);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  /** Everything the worker would do in a round: jobs, events, sending. */
  const round = () => worker.round();

  const subscribe = async (key: string | undefined, body: Record<string, unknown>) => {
    const res = await t.api(key).post('/api/v1/subscriptions').send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; state: string };
  };

  it('confirms by the link (double opt-in), reminds of a missing report 14 days before dueOn, and unsubscribes in one click', async () => {
    const funded = await fundedCluster(t, { reportingPeriod: 'quarterly', startsOn: '2025-01-01', endsOn: '2027-12-31' });
    // 2025-Q4 ends 31 Dec; due 20 days later: 20 Jan. 14 days before: 6 Jan; 3 days before: 17 Jan; overdue: 21 Jan.
    await t.api().patch(`/api/v1/funders/${funded.funder.id}`).send({ reportDueDays: 20 }).expect(200);
    const due = await t.api().get(`/api/v1/clusters/${funded.cluster.id}/submissions-due?state=missing`).expect(200);
    expect(due.body.items.find((i: { period: string }) => i.period === '2025-Q4')).toMatchObject({
      dueOn: '2026-01-20',
      clusterName: funded.cluster.name,
    });

    const address = 'anna.lind@findit.example.org';
    now = new Date('2026-01-07T09:00:00Z');
    const sub = await subscribe(undefined, { email: address, language: 'en', topics: ['submission_due'], clusterIds: [funded.cluster.id] });
    expect(sub.state).toBe('pending');
    await round();
    // Pending: the confirmation only, although a reminder is due.
    expect(smtp.to(address).map((m) => m.header('subject'))).toEqual(['Confirm your subscription to Styrman emails']);
    const confirmation = smtp.to(address)[0];
    expect(confirmation.header('list-unsubscribe')).toBeUndefined();

    const confirmUrl = link(confirmation.raw, '/api/v1/subscriptions/confirm/');
    expect(confirmUrl.startsWith('http://styrman.test/api/v1/subscriptions/confirm/')).toBe(true);
    const path = new URL(confirmUrl).pathname;
    const confirmed = await t.api(null).get(path);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ id: sub.id, state: 'confirmed' });
    await t.api(null).get(path).expect(200);
    await t.api(null).get('/api/v1/subscriptions/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').expect(404);

    await round();
    await round();
    const reminders = smtp.to(address).slice(1);
    expect(reminders).toHaveLength(1);
    const reminder = reminders[0];
    expect(reminder.header('subject')).toBe(
      `${funded.cluster.name}: report to ${funded.funder.name} for 2025-Q4 due 20 Jan 2026, in 13 days`,
    );
    const unsubscribeUrl = /^<(.+)>$/.exec(reminder.header('list-unsubscribe') ?? '')?.[1] ?? '';
    expect(unsubscribeUrl).toMatch(/^http:\/\/styrman\.test\/api\/v1\/subscriptions\/unsubscribe\/[A-Za-z0-9_-]+$/);
    expect(reminder.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(reminder.raw).toContain('Content-Type: text/plain');
    expect(reminder.raw).toContain('Content-Type: text/html');
    expect(reminder.decoded).toContain(`/api/v1/clusters/${funded.cluster.id}/report?period=2025-Q4`);
    const emails = await t.api().get(`/api/v1/subscriptions/${sub.id}/emails`).expect(200);
    expect(emails.body.items.map((e: { topic: string; state: string }) => [e.topic, e.state])).toEqual([
      ['submission_due', 'sent'],
      ['confirmation', 'sent'],
    ]);
    expect(reminder.messageId).toBe(`${emails.body.items[0].id}@styrman.test`);

    // The next days of the same moment: nothing new. The 3-day moment: one more.
    now = new Date('2026-01-10T09:00:00Z');
    await round();
    expect(smtp.to(address)).toHaveLength(2);
    now = new Date('2026-01-17T09:00:00Z');
    await round();
    expect(smtp.to(address)).toHaveLength(3);
    expect(smtp.to(address)[2].header('subject')).toContain('in 3 days');

    // One click (RFC 8058): a form POST without a key; the subscription and its address are gone.
    const unsubscribePath = new URL(unsubscribeUrl).pathname;
    const page = await t.api(null).get(unsubscribePath).expect(200);
    expect(page.text).toContain('<form method="post"');
    await t
      .api(null)
      .post(unsubscribePath)
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    await t.api().get(`/api/v1/subscriptions/${sub.id}`).expect(404);
    now = new Date('2026-01-21T09:00:00Z');
    await round();
    expect(smtp.to(address)).toHaveLength(3);
    // A form body anywhere else is still refused.
    await t.api().post('/api/v1/clusters').set('content-type', 'application/x-www-form-urlencoded').send('name=x').expect(415);

    // The address is nowhere but in the subscription (gone now): not in revisions, events, emails.
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT (SELECT count(*) FROM revision WHERE state::text LIKE $1) + (SELECT count(*) FROM email WHERE text LIKE $1 OR html LIKE $1 OR subject LIKE $1)
              + (SELECT count(*) FROM subscription WHERE email = $2) AS n`,
      [`%${address}%`, address],
    );
    expect(Number(n)).toBe(0);
  });

  it('mails a decision with the funder’s comment and a red status with its comment, in Swedish; DELETE removes the address', async () => {
    const funded = await fundedCluster(t, { reportingPeriod: 'quarterly', startsOn: '2025-01-01', endsOn: '2027-12-31' });
    const goal = await createGoal(t, funded.cluster.id);
    const address = 'sven@example.org';
    const sub = await subscribe(undefined, {
      email: address,
      language: 'sv',
      topics: ['submission_decided', 'red_status'],
      clusterIds: [funded.cluster.id],
    });
    await round();
    const confirmUrl = link(smtp.to(address)[0].raw, '/api/v1/subscriptions/confirm/');
    await t.api(null).get(new URL(confirmUrl).pathname).expect(200);

    const submitted = await t
      .api()
      .post(`/api/v1/clusters/${funded.cluster.id}/report-submissions`)
      .send({ funderId: funded.funder.id, period: '2025-Q3' })
      .expect(201);
    await t.api().post(`/api/v1/report-submissions/${submitted.body.id}/return`).send({ comment: 'Saknar budgetuppföljning' }).expect(200);
    await t.api().post(`/api/v1/goals/${goal.id}/status-updates`).send({ status: 'red', comment: 'Två företag hoppade av' }).expect(201);
    await t.api().post(`/api/v1/goals/${goal.id}/status-updates`).send({ status: 'yellow', comment: 'Bättre' }).expect(201);
    // The events feed shows a transaction once every older one has ended: a bounded wait for both emails.
    for (let i = 0; i < 50 && smtp.to(address).length < 3; i++) {
      await round();
      await new Promise((r) => setTimeout(r, 20));
    }
    // Written in one transaction of the dispatcher, sent in no particular order.
    const mails = smtp
      .to(address)
      .slice(1)
      .sort((a, b) => (a.header('subject') ?? '').localeCompare(b.header('subject') ?? ''));
    expect(mails).toHaveLength(2);
    const subjects = mails.map((m) => m.header('subject'));
    expect(subjects).toEqual([
      `${funded.funder.name} skickade tillbaka ${funded.cluster.name}s rapport för 2025-Q3`,
      `Rött i ${funded.cluster.name}: målet ”${goal.title}”`,
    ]);
    expect(mails[0].decoded).toContain('> Saknar budgetuppföljning');
    expect(mails[1].decoded).toContain('> Två företag hoppade av');

    await t.api().delete(`/api/v1/subscriptions/${sub.id}`).expect(204);
    await t.api().get(`/api/v1/subscriptions/${sub.id}`).expect(404);
    const left = await t.dataSource.query(`SELECT 1 FROM subscription WHERE email = $1`, [address]);
    expect(left).toEqual([]);
  });

  it('stops the emails of a key that loses access: a pending email is skipped, and no new ones are decided', async () => {
    const funded = await fundedCluster(t, { reportingPeriod: 'quarterly', startsOn: '2025-01-01', endsOn: '2027-12-31' });
    const other = await fundedCluster(t, {
      funder: funded.funder,
      cluster: await createCluster(t),
      startsOn: '2025-01-01',
      endsOn: '2027-12-31',
    });
    await t.api().patch(`/api/v1/funders/${funded.funder.id}`).send({ reportDueDays: 20 }).expect(200);
    const funderKey = await t.key('funder', { funderId: funded.funder.id });
    const address = 'officer@funder.example.org';
    now = new Date('2026-01-07T09:00:00Z');
    const sub = await subscribe(funderKey.secret, { email: address, language: 'en', topics: ['submission_due'] });
    await round();
    await t
      .api(null)
      .get(new URL(link(smtp.to(address)[0].raw, '/api/v1/subscriptions/confirm/')).pathname)
      .expect(200);

    // Decided (two reminders: both clusters owe 2025-Q4), not sent yet; then the funding of one cluster is archived.
    await worker.runJobs();
    const decided = await t.dataSource.query<{ cluster_id: string }[]>(
      `SELECT cluster_id FROM email WHERE subscription_id = $1 AND topic = 'submission_due' AND state = 'pending'`,
      [sub.id],
    );
    expect(decided.map((d) => d.cluster_id).sort()).toEqual([funded.cluster.id, other.cluster.id].sort());
    await t.api().delete(`/api/v1/fundings/${other.funding.id}`).expect(204);
    await worker.sendDue();
    expect(
      smtp
        .to(address)
        .slice(1)
        .map((m) => m.header('subject')),
    ).toEqual([expect.stringContaining(funded.cluster.name)]);
    const emails = await t.api(funderKey.secret).get(`/api/v1/subscriptions/${sub.id}/emails`).expect(200);
    expect(emails.body.items.filter((e: { state: string }) => e.state === 'skipped')).toHaveLength(1);

    // Revoked: the next moment's reminder is not decided, and nothing is sent.
    await t.api().delete(`/api/v1/api-keys/${funderKey.id}`).expect(204);
    now = new Date('2026-01-17T09:00:00Z');
    await round();
    expect(smtp.to(address)).toHaveLength(2);
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM email WHERE subscription_id = $1`, [sub.id]);
    expect(n).toBe(3);
  });

  it('refuses bad input naming the field, and reportDueDays outside 0–365', async () => {
    const bad = await t.api().post('/api/v1/subscriptions').send({ email: 'not-an-address', language: 'de', topics: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'language', 'topics']);
    const cluster = await createCluster(t);
    const editor = await t.key('editor', { clusterIds: [cluster.id] });
    const elsewhere = await createCluster(t);
    const unreadable = await t
      .api(editor.secret)
      .post('/api/v1/subscriptions')
      .send({ email: 'a@example.org', language: 'en', topics: ['red_status'], clusterIds: [elsewhere.id] });
    expect(unreadable.status).toBe(422);
    expect(unreadable.body.errors[0].field).toBe('clusterIds');
    const funder = await t.api().post('/api/v1/funders').send({ name: 'Due', kind: 'private', reportDueDays: 366 });
    expect(funder.status).toBe(400);
    expect(funder.body.errors[0].field).toBe('reportDueDays');
    const ok = await t.api().post('/api/v1/funders').send({ name: 'Due ok', kind: 'private' }).expect(201);
    expect(ok.body.reportDueDays).toBe(30);
  });

  it('answers 503 naming SMTP_URL when emails cannot be sent (DATABASE_URL without SMTP_URL)', async () => {
    const bare = await startTestApp({ EMAIL_OUTBOX_DIR: '' });
    try {
      const res = await bare
        .api()
        .post('/api/v1/subscriptions')
        .send({ email: 'a@example.org', language: 'en', topics: ['red_status'] });
      expect(res.status).toBe(503);
      expect(res.body.detail).toContain('SMTP_URL');
    } finally {
      await bare.close();
    }
  });
});
