import type request from 'supertest';
import type { TestApp } from './app.js';
import { createCluster } from './factories.js';
import { HistoryBuilder } from './history.js';

let counter = 0;

/** The quarter before the current one, e.g. `2026-Q3` in November 2026. */
export function lastQuarter(now = new Date()): string {
  const q = Math.floor(now.getUTCMonth() / 3); // 0-based current quarter
  return q === 0 ? `${now.getUTCFullYear() - 1}-Q4` : `${now.getUTCFullYear()}-Q${q}`;
}

/** The current quarter: not ended yet. */
export function currentQuarter(now = new Date()): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

/** Keeps the body as the bytes sent, whatever the content type. */
export function raw(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

export interface Funded {
  cluster: Record<string, any>;
  funder: Record<string, any>;
  funding: Record<string, any>;
}

/**
 * A cluster funded by a new funder from `startsOn` to `endsOn`; the funding
 * counts as recorded long ago (a revision backdated to 2000), so that it stood
 * at the end of past periods as it does now.
 */
export async function fundedCluster(
  t: TestApp,
  options: {
    reportingPeriod?: string;
    startsOn?: string;
    endsOn?: string;
    cluster?: Record<string, any>;
    funder?: Record<string, any>;
  } = {},
): Promise<Funded> {
  const n = ++counter;
  const cluster = options.cluster ?? (await createCluster(t));
  const funder: Record<string, any> =
    options.funder ??
    (await t
      .api()
      .post('/api/v1/funders')
      .send({
        name: `Funder ${n} ${Math.random().toString(36).slice(2, 8)}`,
        kind: 'national_agency',
        reportingPeriod: options.reportingPeriod,
      })
      .then((r) => r.body as Record<string, any>));
  const res = await t
    .api()
    .post(`/api/v1/funders/${funder.id}/fundings`)
    .send({
      clusterId: cluster.id,
      programme: 'Vinnväxt',
      amount: '1000000.00',
      startsOn: options.startsOn ?? '2020-01-01',
      endsOn: options.endsOn ?? '2035-12-31',
    });
  if (res.status !== 201) throw new Error(`funding: ${res.status} ${JSON.stringify(res.body)}`);
  await new HistoryBuilder(t.dataSource, cluster.id).backdate('funding', res.body.id, '2000-01-01T00:00:00Z');
  return { cluster, funder, funding: res.body };
}
