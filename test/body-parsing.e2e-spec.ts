import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';
import { expectProblem } from './support/problem.js';

/** `depth` nested arrays around `inner`: `[[[…]]]`. */
const nestedArrays = (depth: number, inner = '') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
/** `depth` nested objects: `{"a":{"a":…{}}}`. */
const nestedObjects = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

describe('request bodies: nesting depth, UTF-8 and charset', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT_BYTES: String(64 * 1024) });
  });
  afterAll(() => t.close());

  const countClusters = async () => Number((await t.dataSource.query('SELECT count(*)::int AS n FROM cluster'))[0].n);
  const postRaw = (path: string, body: string | Buffer, contentType = 'application/json') =>
    t
      .api()
      .post(path)
      .set('Content-Type', contentType)
      .serialize((raw: unknown) => raw as string) // bytes as they are, not a JSON rendering of a Buffer
      .send(body);

  describe('a nesting depth limit of 32, applied before validation', () => {
    it('a body nested 1500 levels deep as an unknown field: 400 naming the field, not a 500', async () => {
      const before = await countClusters();
      const body = `{"name":"Deep","region":"X","phase":"initiation","extra":${nestedObjects(1500)}}`;
      const problem = expectProblem(await postRaw('/api/v1/clusters', body), 400, 'extra');
      expect(problem.detail).toMatch(/nest/i);
      expect(await countClusters()).toBe(before);
      // Arrays count too, and so does a bare document.
      expectProblem(await postRaw('/api/v1/clusters', nestedArrays(1500)), 400, 'body');
    });

    it('a 5000-level nested array in clusterIds (API keys) or amount (fundings): 400 naming the field', async () => {
      const keysBefore = Number((await t.dataSource.query('SELECT count(*)::int AS n FROM api_key'))[0].n);
      const key = `{"name":"deep","role":"editor","clusterIds":${nestedArrays(5000, '"7d0f3b0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"')}}`;
      expectProblem(await postRaw('/api/v1/api-keys', key), 400, 'clusterIds');
      expect(Number((await t.dataSource.query('SELECT count(*)::int AS n FROM api_key'))[0].n)).toBe(keysBefore);

      const funder = await t.api().post('/api/v1/funders').send({ name: 'Deep funder', kind: 'national_agency' });
      expect(funder.status).toBe(201);
      const cluster = await createCluster(t);
      const funding = `{"clusterId":"${cluster.id}","programme":"P","amount":${nestedArrays(5000, '1')},"startsOn":"2026-01-01","endsOn":"2026-12-31"}`;
      expectProblem(await postRaw(`/api/v1/funders/${funder.body.id}/fundings`, funding), 400, 'amount');
      expect(await t.dataSource.query('SELECT 1 FROM funding WHERE funder_id = $1', [funder.body.id])).toHaveLength(0);
    });

    it('32 levels pass the depth check (and meet validation), 33 do not', async () => {
      const at32 = expectProblem(
        await postRaw('/api/v1/clusters', `{"name":"N","region":"X","phase":"initiation","extra":${nestedObjects(31)}}`),
        400,
        'extra',
      );
      expect(at32.detail).not.toMatch(/nest/i); // the validation's answer: an unknown field
      const at33 = expectProblem(
        await postRaw('/api/v1/clusters', `{"name":"N","region":"X","phase":"initiation","extra":${nestedObjects(32)}}`),
        400,
        'extra',
      );
      expect(at33.detail).toMatch(/nest/i);
    });

    it('keeps prototype-poisoning protection and the body limit', async () => {
      const before = await countClusters();
      expectProblem(
        await postRaw('/api/v1/clusters', '{"name":"P","region":"X","phase":"initiation","__proto__":{"isAdmin":true}}'),
        400,
        'body',
      );
      expectProblem(
        await postRaw('/api/v1/clusters', '{"name":"P","region":"X","phase":"initiation","constructor":{"prototype":{"x":1}}}'),
        400,
        'body',
      );
      expectProblem(
        await postRaw('/api/v1/clusters', `{"name":"Big","region":"X","phase":"initiation","vision":"${'x'.repeat(70 * 1024)}"}`),
        413,
      );
      // A deep body over the limit is still a 413: the limit comes first.
      expectProblem(await postRaw('/api/v1/clusters', nestedArrays(40 * 1024)), 413);
      expect(await countClusters()).toBe(before);
    });
  });

  describe('UTF-8 only', () => {
    it('invalid UTF-8 bytes: 400, nothing stored (not a U+FFFD)', async () => {
      const before = await countClusters();
      const body = Buffer.concat([
        Buffer.from('{"name":"Bad'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('","region":"X","phase":"initiation"}'),
      ]);
      const problem = expectProblem(await postRaw('/api/v1/clusters', body), 400, 'body');
      expect(problem.detail).toMatch(/UTF-8/);
      const overlong = Buffer.concat([
        Buffer.from('{"name":"Bad'),
        Buffer.from([0xc0, 0xaf]),
        Buffer.from('","region":"X","phase":"initiation"}'),
      ]);
      expectProblem(await postRaw('/api/v1/clusters', overlong), 400, 'body');
      expect(await countClusters()).toBe(before);
      expect(await t.dataSource.query(`SELECT 1 FROM cluster WHERE name LIKE '%' || chr(65533) || '%'`)).toHaveLength(0);
    });

    it('a lone surrogate escape in a value or a key: 400 naming where it is', async () => {
      const before = await countClusters();
      expectProblem(await postRaw('/api/v1/clusters', '{"name":"Bad\\ud800","region":"X","phase":"initiation"}'), 400, 'name');
      expectProblem(await postRaw('/api/v1/clusters', '{"name":"Bad\\udc00x","region":"X","phase":"initiation"}'), 400, 'name');
      expectProblem(await postRaw('/api/v1/clusters', '{"name":"B","region":"X","phase":"initiation","k\\ud800":1}'), 400, 'body');
      const cluster = await createCluster(t);
      expectProblem(
        await postRaw(
          `/api/v1/clusters/${cluster.id}/goals`,
          '{"title":"G","horizon":"short_term","indicator":{"unit":"\\udfff","baseline":0,"target":1}}',
        ),
        400,
        'indicator.unit',
      );
      expect(await countClusters()).toBe(before + 1);
      // A proper pair (😀) is fine.
      const ok = await postRaw('/api/v1/clusters', '{"name":"Smile \\ud83d\\ude00","region":"X","phase":"initiation"}');
      expect(ok.status).toBe(201);
      expect(ok.body.name).toBe('Smile 😀');
    });

    it('a charset other than UTF-8: 415; utf-8 in any case, quoted or not, is fine', async () => {
      const body = '{"name":"Charset","region":"X","phase":"initiation"}';
      expectProblem(await postRaw('/api/v1/clusters', body, 'application/json; charset=iso-8859-1'), 415, 'header.Content-Type');
      expectProblem(await postRaw('/api/v1/clusters', body, 'application/json; charset="utf-16"'), 415, 'header.Content-Type');
      expectProblem(await postRaw('/api/v1/clusters', body, 'application/json;charset=latin1'), 415, 'header.Content-Type');
      expect(await t.dataSource.query(`SELECT 1 FROM cluster WHERE name = 'Charset'`)).toHaveLength(0);
      expect((await postRaw('/api/v1/clusters', body, 'application/json; charset=UTF-8')).status).toBe(201);
      expect(
        (await postRaw('/api/v1/clusters', '{"name":"Charset 2","region":"X","phase":"initiation"}', 'application/json; charset="utf-8"'))
          .status,
      ).toBe(201);
      expect((await postRaw('/api/v1/clusters', '{"name":"Charset 3","region":"X","phase":"initiation"}', 'application/json')).status).toBe(
        201,
      );
    });
  });
});
