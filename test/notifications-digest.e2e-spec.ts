import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock.js';
import { Environment } from '../src/config/environment.js';
import { EmailWorker } from '../src/notifications/email-worker.js';
import { nextDigestAt } from '../src/notifications/schedule.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, daysFromToday } from './support/factories.js';
import { decodeQuotedPrintable, TestSmtpServer } from './support/smtp.js';

const HOUR = 3_600_000;

/**
 * The weekly digest by the scheduler's Clock: an activity due in ten days, updated today, needs no update by the
 * real date; by the Clock, on a Monday four weeks later, it is overdue and in the digest. One digest per
 * subscription, cluster and week, however often the job runs in that week; none for a pending or an
 * unsubscribed address.
 */
describe('the weekly digest', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let worker: EmailWorker;
  let now = new Date();

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

  const subscribe = async (email: string, clusterId: string) => {
    const res = await t
      .api()
      .post('/api/v1/subscriptions')
      .send({ email, language: 'en', topics: ['weekly_digest'], clusterIds: [clusterId] });
    expect(res.status).toBe(201);
    await worker.round();
    const match = /http:\/\/[^\s"<>]*\/api\/v1\/subscriptions\/confirm\/[A-Za-z0-9_-]+/.exec(decodeQuotedPrintable(smtp.to(email)[0].raw));
    if (!match) throw new Error(`no confirmation link for ${email}`);
    return new URL(match[0]).pathname;
  };
  const digests = (email: string) =>
    smtp
      .to(email)
      .map((m) => m.header('subject') ?? '')
      .filter((s) => !s.startsWith('Confirm'));

  it('is sent once a week per subscription, by the Clock, and not to a pending or unsubscribed address', async () => {
    const cluster = await createCluster(t, { name: 'Digest cluster' });
    const activity = await createActivity(t, cluster.id, { title: 'Fair stand booked', dueDate: daysFromToday(10) });
    await t.api().post(`/api/v1/activities/${activity.id}/status-updates`).send({ status: 'green', state: 'ongoing' }).expect(201);
    // By the real date nothing needs an update.
    const real = await t.api().get(`/api/v1/needs-update?clusterId=${cluster.id}`).expect(200);
    expect(real.body.items).toEqual([]);

    // The Clock: the Sunday before a Monday 08:00 (REPORT_TIME_ZONE) at least four weeks ahead.
    const monday = nextDigestAt(new Date(Date.now() + 28 * 24 * HOUR), t.app.get(Environment).REPORT_TIME_ZONE);
    now = new Date(monday.getTime() - 20 * HOUR);
    const reader = 'reader@findit.example.org';
    const pending = 'pending@findit.example.org';
    const leaving = 'leaving@findit.example.org';
    await t
      .api(null)
      .get(await subscribe(reader, cluster.id))
      .expect(200);
    await subscribe(pending, cluster.id);
    await t
      .api(null)
      .get(await subscribe(leaving, cluster.id))
      .expect(200);
    const [{ unsubscribe_token: token }] = await t.dataSource.query<{ unsubscribe_token: string }[]>(
      `SELECT s.unsubscribe_token FROM subscription s WHERE s.email = $1`,
      [leaving],
    );
    await t.api(null).post(`/api/v1/subscriptions/unsubscribe/${token}`).expect(200);
    await worker.round();
    expect(digests(reader)).toEqual([]); // Sunday: no digest yet

    // Monday, hour by hour until Tuesday noon; the job is also made due again twice (as after a restore of the
    // database): the week's digest is decided once.
    for (let at = monday.getTime(); at <= monday.getTime() + 28 * HOUR; at += 4 * HOUR) {
      now = new Date(at);
      if (at === monday.getTime() + 4 * HOUR || at === monday.getTime() + 24 * HOUR) {
        await t.dataSource.query(`UPDATE email_job SET next_run_at = '-infinity' WHERE name = 'weekly_digest'`);
      }
      await worker.round();
    }
    expect(digests(reader)).toEqual([expect.stringContaining('Digest cluster')]);
    const body = decodeQuotedPrintable(smtp.to(reader)[1].raw);
    expect(body).toContain('Fair stand booked');
    expect(smtp.to(pending)).toHaveLength(1); // the confirmation only
    expect(digests(leaving)).toEqual([]);

    // The next Monday: the next week's digest, once.
    now = new Date(monday.getTime() + 7 * 24 * HOUR);
    await worker.round();
    await worker.round();
    expect(digests(reader)).toHaveLength(2);
    expect(digests(pending)).toEqual([]);
    expect(digests(leaving)).toEqual([]);
  });
});
