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
