import fc from 'fast-check';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createFruit, createGoal } from './support/factories.js';

type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
};
type Schema = { properties?: Record<string, unknown>; required?: string[] };

const SEED = 20261127;
const UNKNOWN_UUID = '7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

/** Values nobody should send, and some that are odd but not wrong; each must get a 4xx problem or a success, never a 5xx. */
const NASTY: unknown[] = [
  null,
  '',
  ' ',
  0,
  -1,
  1e308,
  -1e308,
  3.14159,
  true,
  [],
  ['a'],
  {},
  { nested: { deeper: true } },
  'x'.repeat(100_000),
  'a\u0000b',
  '\uD800',
  '\u202Egnp.exe',
  'Zero\u200Bwidth',
  '👩‍🔬🌲',
  "'; DROP TABLE cluster; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'not-a-uuid',
  UNKNOWN_UUID,
  '2026-02-30',
  '9999-99-99',
  '1e6',
  'NaN',
  'Infinity',
];

describe('schema-driven fuzzing of every operation', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const foreign: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_PER_MINUTE: '0',
      AUTH_FAILURES_PER_MINUTE: '0',
      BODY_LIMIT_BYTES: String(1024 * 1024),
      LOG_LEVEL: 'error',
    });
    for (const [target, name] of [
      [ids, 'Fuzz A'],
      [foreign, 'Fuzz B'],
    ] as const) {
      const cluster = await createCluster(t, { name });
      const funder = (
        await t
          .api()
          .post('/api/v1/funders')
          .send({ name: `${name} funder`, kind: 'private' })
      ).body;
      target.cluster = cluster.id;
      target.funder = funder.id;
      target.funding = (
        await t
          .api()
          .post(`/api/v1/funders/${funder.id}/fundings`)
          .send({ clusterId: cluster.id, programme: 'P', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' })
      ).body.id;
      target.goal = (await createGoal(t, cluster.id, { indicator: { unit: 'u', baseline: 0, target: 1 } })).id;
      target.activity = (await createActivity(t, cluster.id)).id;
      target.fruit = (await createFruit(t, cluster.id)).id;
      target.apiKey = (await t.key('viewer')).id;
    }
  });
  afterAll(() => t.close());

  /** What the plan looks like: row counts, versions and the history's length. Unchanged after a refused request. */
  async function fingerprint(): Promise<string> {
    const [row] = await t.dataSource.query(`
      SELECT (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM cluster) AS c,
             (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM goal) AS g,
             (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM activity) AS a,
             (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM low_hanging_fruit) AS f,
             (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM funder) AS fu,
             (SELECT count(*) || ':' || coalesce(sum(version), 0) FROM funding) AS fd,
             (SELECT count(*) FROM measurement) AS m,
             (SELECT count(*) FROM status_update) AS s,
             (SELECT count(*) || ':' || count(revoked_at) FROM api_key) AS k`);
    return JSON.stringify(row);
  }

  function fill(path: string, values: Record<string, string>): string {
    return path
      .replace('{clusterId}', values.cluster)
      .replace('{goalId}', values.goal)
      .replace('{activityId}', values.activity)
      .replace('{funderId}', values.funder)
      .replace('{fundingId}', values.funding)
      .replace(/\/low-hanging-fruits\/\{id\}/, `/low-hanging-fruits/${values.fruit}`)
      .replace(/\/api-keys\/\{id\}/, `/api-keys/${values.apiKey}`);
  }

  function validBody(path: string): Record<string, unknown> {
    if (path.endsWith('/status-updates')) return { status: 'yellow', comment: 'Fuzzing' };
    if (path.endsWith('/measurements')) return { value: 1, measuredOn: '2026-01-01' };
    if (path.endsWith('/goals')) return { title: 'G', horizon: 'short_term' };
    if (path.endsWith('/activities')) return { title: 'A', startDate: '2026-01-01', dueDate: '2026-02-01' };
    if (path.endsWith('/low-hanging-fruits')) return { what: 'F', when: '2026-05-01' };
    if (path.endsWith('/fundings'))
      return { clusterId: ids.cluster, programme: 'P', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' };
    if (path.endsWith('/funders')) return { name: 'F', kind: 'private' };
    if (path.endsWith('/clusters')) return { name: `C ${Math.random()}`, region: 'R', phase: 'initiation' };
    if (path.endsWith('/api-keys')) return { name: 'K', role: 'viewer' };
    return { title: 'Patched' };
  }

  it('never answers 5xx, answers every 4xx with problem details, and changes nothing when it refuses', async () => {
    const doc = (await t.api(null).get('/docs-json')).body as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };
    // A fixed seed: the same hostile requests every run.
    const randomStrings = fc.sample(fc.string({ unit: 'binary', maxLength: 300 }), { seed: SEED, numRuns: 12 });
    const randomNumbers = fc.sample(fc.double(), { seed: SEED, numRuns: 6 });
    const hostile = [...NASTY, ...randomStrings, ...randomNumbers];

    let operations = 0;
    let requests = 0;
    const failures: string[] = [];
    const check = async (label: string, send: () => Promise<{ status: number; headers: Record<string, string>; body: unknown }>) => {
      const before = await fingerprint();
      const res = await send();
      requests += 1;
      if (res.status >= 500) failures.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      else if (res.status >= 400) {
        if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? ''))
          failures.push(`${label}: ${res.status} without problem details`);
        if ((await fingerprint()) !== before) failures.push(`${label}: refused with ${res.status} but changed data`);
      }
    };

    for (const [path, item] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/v1')) continue;
      for (const [method, op] of Object.entries(item)) {
        operations += 1;
        const call = (url: string) => (t.api() as any)[method](url);
        const url = fill(path, ids) + (path.endsWith('/report') ? '?period=2026' : '');
        const ref = op.requestBody?.content['application/json']?.schema.$ref;
        const schema = ref ? doc.components.schemas[ref.split('/').pop()!] : undefined;
        const base = schema ? validBody(path) : undefined;
        const fields = Object.keys(schema?.properties ?? {});
        const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
        let variants = 0;

        // Each body field in turn replaced by each hostile value.
        for (const field of fields) {
          for (const value of hostile) {
            if (variants >= 40 + fields.length) break;
            await check(`${method} ${path} body.${field}=${JSON.stringify(value)?.slice(0, 40)}`, () =>
              call(url).send({ ...base, [field]: value }),
            );
            variants += 1;
          }
        }
        // Path parameters: not a UUID, unknown, another cluster's, absurdly long.
        for (const name of pathParams) {
          for (const value of ['abc', UNKNOWN_UUID, '%00', 'x'.repeat(5000)]) {
            const hostileUrl = url.replace(/[0-9a-f-]{36}/, encodeURIComponent(value));
            await check(`${method} ${path} path.${name}=${value.slice(0, 20)}`, () => call(hostileUrl).send(base));
            variants += 1;
          }
        }
        // Resources of another cluster where this one's are expected (admin may read both: it must not mix them).
        if (pathParams.length > 0) {
          await check(`${method} ${path} foreign ids`, () =>
            call(fill(path, foreign) + (path.endsWith('/report') ? '?period=2026' : '')).send(base),
          );
          variants += 1;
        }
        // Query parameters replaced by hostile values, and unknown ones.
        for (const name of [...queryParams, 'unknownParameter']) {
          for (const value of ['-1', '0', '99999999999999999999', 'x'.repeat(10_000), '%00', 'true', '[]']) {
            const separator = url.includes('?') ? '&' : '?';
            await check(`${method} ${path} query.${name}=${value.slice(0, 20)}`, () =>
              call(`${url}${separator}${name}=${encodeURIComponent(value)}`).send(base),
            );
            variants += 1;
          }
        }
        // The body as a whole: extra fields, malformed JSON, the wrong content type, too big.
        if (method !== 'get' && method !== 'delete') {
          await check(`${method} ${path} extra field`, () => call(url).send({ ...base, extraField: 1 }));
          await check(`${method} ${path} array body`, () => call(url).send([base]));
          await check(`${method} ${path} malformed JSON`, () => call(url).set('Content-Type', 'application/json').send('{"a": '));
          await check(`${method} ${path} text/plain`, () => call(url).set('Content-Type', 'text/plain').send('a=b'));
          await check(`${method} ${path} 2 MB body`, () => call(url).send({ ...base, padding: 'x'.repeat(2 * 1024 * 1024) }));
          await check(`${method} ${path} null body`, () => call(url).set('Content-Type', 'application/json').send('null'));
          variants += 6;
        }
        // A huge URL and a huge header.
        await check(`${method} ${path} 100 000-character URL`, () =>
          call(`${url}${url.includes('?') ? '&' : '?'}q=${'x'.repeat(100_000)}`).send(base),
        );
        await check(`${method} ${path} huge If-Match`, () =>
          call(url)
            .set('If-Match', `"${'9'.repeat(5000)}"`)
            .send(base),
        );
        variants += 2;
        if (variants < 50) {
          for (const value of hostile.slice(0, 50 - variants)) {
            await check(`${method} ${path} If-None-Match=${String(value).slice(0, 20)}`, () =>
              call(url)
                .set('X-Fuzz', 'y')
                .set('If-Match', String(value).replace(/[^\x20-\x7e]/g, '?'))
                .send(base),
            );
          }
        }
      }
    }
    process.stdout.write(`fuzzing: ${operations} of ${operations} operations, ${requests} requests, ${failures.length} failures\n`);
    expect(failures).toEqual([]);
  });
});
