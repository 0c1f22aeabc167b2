import { startTestApp, type TestApp } from './support/app.js';
import { ownStatements } from './support/statements.js';

/**
 * Every list pages the same way (pageRows): the page's rows and their total in one statement; only a page that
 * lies past the end, which cannot carry the total, counts apart. An empty first page is one statement.
 */
describe('paging', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(() => t.close());

  async function page(path: string): Promise<{ body: { items: unknown[]; total: number }; statements: string[] }> {
    const { result, statements } = await ownStatements(t, () => t.api().get(path).expect(200));
    return { body: result.body as { items: unknown[]; total: number }, statements };
  }

  it('answers an empty first page of a list in one statement', async () => {
    for (const path of ['/api/v1/webhooks', '/api/v1/subscriptions', '/api/v1/clusters?q=nothing-like-this']) {
      const { body, statements } = await page(path);
      expect({ path, items: body.items, total: body.total, statements: statements.length }).toEqual({
        path,
        items: [],
        total: 0,
        statements: 1,
      });
    }
  });

  it('answers a page past the end with the total, counted apart', async () => {
    const hook = await t.api().post('/api/v1/webhooks').send({ url: 'http://127.0.0.1:9/hook' }).expect(201);
    const first = await page('/api/v1/webhooks');
    expect({ total: first.body.total, statements: first.statements.length }).toEqual({ total: 1, statements: 1 });
    const past = await page('/api/v1/webhooks?offset=10');
    expect({ items: past.body.items, total: past.body.total, statements: past.statements.length }).toEqual({
      items: [],
      total: 1,
      statements: 2,
    });
    // The webhook's own read, then its empty delivery log in one statement.
    const log = await page(`/api/v1/webhooks/${(hook.body as { id: string }).id}/deliveries`);
    expect({ total: log.body.total, statements: log.statements.length }).toEqual({ total: 0, statements: 2 });
  });
});
