import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';

let counter = 0;
const unique = () => `${++counter}-${randomBytes(3).toString('hex')}`;

export async function createCluster(t: TestApp, fields: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await t
    .api()
    .post('/api/v1/clusters')
    .send({ name: `Cluster ${unique()}`, region: 'Gävleborg', phase: 'initiation', ...fields });
  if (res.status !== 201) throw new Error(`createCluster: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createGoal(
  t: TestApp,
  clusterId: string,
  fields: Record<string, unknown> = {},
  key?: string,
): Promise<Record<string, any>> {
  const res = await t
    .api(key)
    .post(`/api/v1/clusters/${clusterId}/goals`)
    .send({ title: `Goal ${unique()}`, horizon: 'short_term', ...fields });
  if (res.status !== 201) throw new Error(`createGoal: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createActivity(t: TestApp, clusterId: string, fields: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await t
    .api()
    .post(`/api/v1/clusters/${clusterId}/activities`)
    .send({ title: `Activity ${unique()}`, ...fields });
  if (res.status !== 201) throw new Error(`createActivity: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createFruit(t: TestApp, clusterId: string, fields: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await t
    .api()
    .post(`/api/v1/clusters/${clusterId}/low-hanging-fruits`)
    .send({ what: `Fruit ${unique()}`, when: '2030-01-01', ...fields });
  if (res.status !== 201) throw new Error(`createFruit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A date relative to today (UTC), as YYYY-MM-DD. */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export async function createRisk(t: TestApp, clusterId: string, fields: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await t
    .api()
    .post(`/api/v1/clusters/${clusterId}/risks`)
    .send({ title: `Risk ${unique()}`, likelihood: 3, impact: 3, ...fields });
  if (res.status !== 201) throw new Error(`createRisk: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createActor(t: TestApp, clusterId: string, fields: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await t
    .api()
    .post(`/api/v1/clusters/${clusterId}/actors`)
    .send({ name: `Organisation ${unique()}`, kind: 'company', core: 'inner', ...fields });
  if (res.status !== 201) throw new Error(`createActor: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
