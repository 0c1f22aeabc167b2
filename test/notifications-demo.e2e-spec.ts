import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoService } from '../src/demo/demo.service.js';
import { EmailWorker } from '../src/notifications/email-worker.js';
import { startTestApp, type TestApp } from './support/app.js';
import { decodeQuotedPrintable } from './support/smtp.js';

/**
 * What `npm start` does with the embedded database and no SMTP_URL: EMAIL_OUTBOX_DIR is STYRMAN_DATA_DIR/outbox
 * and the demo is loaded; its subscription's emails land there as .eml files.
 */
describe('the demo outbox', () => {
  let t: TestApp;
  let outbox: string;
  beforeAll(async () => {
    outbox = join(await mkdtemp(join(tmpdir(), 'styrman-outbox-')), 'outbox');
    t = await startTestApp({ EMAIL_OUTBOX_DIR: outbox, EMAIL_WORKER: 'false', PUBLIC_URL: 'http://localhost:3000' });
  });
  afterAll(async () => {
    await t.close();
    await rm(join(outbox, '..'), { recursive: true, force: true });
  });

  it('holds a confirmation and a due reminder as .eml files', async () => {
    await t.app.get(DemoService).loadIfEmpty();
    await t.app.get(EmailWorker).round();
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    const mails = await Promise.all(files.map(async (f) => decodeQuotedPrintable(await readFile(join(outbox, f), 'utf8'))));
    const confirmation = mails.filter((m) => m.includes('Bekräfta din prenumeration'));
    const reminders = mails.filter(
      (m) => m.includes('RF Gävleborg') && /Findit: rapporten till RF Gävleborg för \d{4}-Q\d (ska snart in|är försenad)/.test(m),
    );
    expect(confirmation).toHaveLength(1);
    expect(reminders).toHaveLength(1);
    for (const m of [...confirmation, ...reminders]) {
      expect(m).toContain('To: kontakt@findit.example.org');
      expect(m).toContain('Content-Type: text/html');
    }
    expect(reminders[0]).toMatch(/List-Unsubscribe:\s+<http:\/\/localhost:3000\/api\/v1\/subscriptions\/unsubscribe\/[A-Za-z0-9_-]+>/);
    expect(reminders[0]).toContain('Findit');
  });
});
