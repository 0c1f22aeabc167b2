import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/app.js';

type Operation = { summary?: string; tags?: string[]; security?: unknown[]; responses: Record<string, unknown> };

describe('the OpenAPI document', () => {
  let t: TestApp;
  let served: { paths: Record<string, Record<string, Operation>> };
  beforeAll(async () => {
    t = await startTestApp();
    served = (await t.api(null).get('/docs-json')).body;
  });
  afterAll(() => t.close());

  it('served at /docs-json is the committed openapi.json (regenerate with npm run openapi)', async () => {
    const committed = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'openapi.json'), 'utf8'));
    expect(served).toEqual(committed);
  });

  it('gives every operation a summary and a tag, and every /api/v1 operation the key requirement and its 401', () => {
    const operations = Object.entries(served.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(5);
    for (const { path, op } of operations) {
      expect(op.summary).toBeTruthy();
      expect(op.tags?.length).toBeGreaterThan(0);
      if (path.startsWith('/api/v1')) {
        // The badge may also be fetched without a key (an empty requirement) when the cluster makes it public.
        const optional = path.endsWith('/badge.svg') ? [{}] : [];
        expect(op.security).toEqual([{ bearer: [] }, { 'api-key': [] }, ...optional]);
        expect(op.responses['401']).toBeDefined();
      }
    }
  });
});
