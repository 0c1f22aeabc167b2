import { createHash, randomBytes } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { bodyOf, compressParts, keptReportKey, type KeptReportKey, recompress } from './kept-reports.js';

/** A report-like text: repetitive JSON with some noise, so that both compressors have work and their buffers fill. */
function* parts(count: number, size: number): Generator<string> {
  for (let i = 0; i < count; i++) {
    yield (
      `{"id":"${randomBytes(16).toString('hex')}","title":"Item ${i}",` +
      `"changes":[${'{"status":"green","comment":"on track"},'.repeat(size)}{}]},`
    );
  }
}

describe('compressParts', () => {
  it('hashes and gzips a report of many megabytes written in parts; brotli (and a smaller gzip) come after, from the gzip bytes', async () => {
    const written = [...parts(400, 1000)]; // about 16 MB: the compressors' buffers fill many times over
    const body = Buffer.from(written.join(''));
    const kept = await compressParts(written);
    expect(kept.size).toBe(body.length);
    expect(kept.etag).toBe(createHash('sha256').update(body).digest('hex'));
    expect(gunzipSync(kept.gzip!).equals(body)).toBe(true);
    // Nothing but the fast gzip on the request path.
    expect(kept.br).toBeNull();
    expect(kept.gzip!.length).toBeLessThan(body.length / 10);
    expect((await bodyOf({ encoding: 'gzip', bytes: kept.gzip! })).equals(body)).toBe(true);
    const later = await recompress(kept.gzip!);
    expect(brotliDecompressSync(later.br).equals(body)).toBe(true);
    expect(gunzipSync(later.gzip).equals(body)).toBe(true);
    expect(later.gzip.length).toBeLessThan(kept.gzip!.length);
  }, 30_000);

  it('takes parts from an async source', async () => {
    async function* slow() {
      for (const part of parts(50, 200)) {
        await new Promise((r) => setImmediate(r));
        yield part;
      }
    }
    const kept = await compressParts(slow());
    expect(gunzipSync(kept.gzip!).length).toBe(kept.size);
  });
});

describe('keptReportKey', () => {
  const key: KeptReportKey = {
    subject: 'funder',
    id: 'f',
    from: '2026-06-30T22:00:00.000Z',
    to: '2026-09-30T21:59:59.999Z',
    knownAt: null,
    period: '2026-Q3',
    label: '2026-Q3',
    timeZone: 'Europe/Stockholm',
    format: 'csv',
    lang: 'sv',
    delimiter: 'semicolon',
    fundingsOf: 'f',
    clusterIds: ['b', 'a'],
  };

  it('is the same for the same clusters in any order, and differs with anything that changes the bytes', () => {
    expect(keptReportKey({ ...key, clusterIds: ['a', 'b'] })).toEqual(keptReportKey(key));
    const variants: Partial<KeptReportKey>[] = [
      { subject: 'cluster' },
      { id: 'g' },
      { from: '2026-07-01T00:00:00.000Z' },
      { to: '2026-09-30T22:00:00.000Z' },
      { knownAt: '2026-12-06T09:30:00.000Z' },
      { period: null },
      { label: '2026-07-01_2026-09-30' },
      { timeZone: 'UTC' },
      { format: 'json' },
      { lang: 'en' },
      { delimiter: 'comma' },
      { fundingsOf: null },
      { clusterIds: ['a'] },
      { clusterIds: ['a', 'b', 'c'] },
    ];
    const keys = new Set([keptReportKey(key).toString('hex'), ...variants.map((v) => keptReportKey({ ...key, ...v }).toString('hex'))]);
    expect(keys.size).toBe(variants.length + 1);
  });
});
