/**
 * A typed Styrman client in a few lines, generated from the committed
 * openapi.json: what a regional dashboard or a funder's system starts from.
 *
 *   npm run check:client        # generates examples/generated/styrman-api.d.ts and type-checks this file
 *   STYRMAN_URL=http://localhost:3000 STYRMAN_KEY=sty_... npx tsx examples/client.ts
 */
import createClient from 'openapi-fetch';
import type { paths } from './generated/styrman-api.js';

const client = createClient<paths>({
  baseUrl: process.env.STYRMAN_URL ?? 'http://localhost:3000',
  headers: { Authorization: `Bearer ${process.env.STYRMAN_KEY ?? ''}` },
});

/** The clusters the key may read, with their regions and phases. */
export async function listClusters(region?: string) {
  const { data, error } = await client.GET('/api/v1/clusters', { params: { query: { region, limit: 200 } } });
  if (error) throw new Error(`${error.status} ${error.title}: ${error.detail}`);
  return data.items.map((c) => ({ id: c.id, name: c.name, region: c.region, phase: c.phase }));
}

/** Sets an activity's traffic light, with the comment that says why. */
export async function setActivityStatus(activityId: string, status: 'green' | 'yellow' | 'red', comment: string) {
  const { data, error } = await client.POST('/api/v1/activities/{activityId}/status-updates', {
    params: { path: { activityId } },
    body: { status, comment },
  });
  if (error) throw new Error(`${error.status} ${error.title}: ${error.detail}`);
  return { status: data.status, version: data.version, overdue: data.overdue };
}

/** A funder's report for a quarter: green / yellow / red at its end, per cluster. */
export async function quarterReport(funderId: string, period: string) {
  const { data, error } = await client.GET('/api/v1/funders/{funderId}/report', {
    params: { path: { funderId }, query: { period } },
  });
  if (error) throw new Error(`${error.status} ${error.title}: ${error.detail}`);
  if (typeof data === 'string') throw new Error('asked for JSON, got CSV'); // the operation serves both
  return data.clusters.map((c) => ({ cluster: c.cluster.name, goalsAtEnd: c.summary.goals.end, overdue: c.summary.activities.overdue }));
}

if (process.env.STYRMAN_KEY) {
  const clusters = await listClusters();
  console.log(clusters);
}
