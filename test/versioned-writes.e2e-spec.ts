import { startTestApp, type TestApp } from './support/app.js';
import { createCluster } from './support/factories.js';

/**
 * Clusters, funders and fundings change the way plan items do: the row is
 * locked, its version compared with If-Match, then written. Concurrent
 * writers with the same If-Match: one wins, the others get 412 and change
 * nothing; archiving waits for a change in flight.
 */
describe('versioned writes of clusters, funders and fundings', () => {
  let t: TestApp;
  const paths: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '0', MAX_IN_FLIGHT_PER_KEY: '100' }); // 50 requests of one key at once, on purpose
    const cluster = await createCluster(t);
    const funder = (await t.api().post('/api/v1/funders').send({ name: 'Vinnova', kind: 'national_agency' })).body;
    const funding = (
      await t
        .api()
        .post(`/api/v1/funders/${funder.id}/fundings`)
        .send({ clusterId: cluster.id, programme: 'Vinnväxt', amount: 1, startsOn: '2026-01-01', endsOn: '2026-12-31' })
    ).body;
    paths.cluster = `/api/v1/clusters/${cluster.id}`;
    paths.funder = `/api/v1/funders/${funder.id}`;
    paths.funding = `/api/v1/fundings/${funding.id}`;
  });
  afterAll(() => t.close());

  const change: Record<string, (i: number) => object> = {
    cluster: (i) => ({ vision: `Vision ${i}` }),
    funder: (i) => ({ name: `Vinnova ${i}` }),
    funding: (i) => ({ programme: `Programme ${i}` }),
  };

  for (const kind of ['cluster', 'funder', 'funding']) {
    it(`50 concurrent PATCHes of a ${kind} with the same If-Match: exactly one wins, the others get 412`, async () => {
      const before = (await t.api().get(paths[kind])).body;
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => t.api().patch(paths[kind]).set('If-Match', `"${before.version}"`).send(change[kind](i))),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 412)).toHaveLength(49);
      const winner = results.find((r) => r.status === 200)!;
      const after = (await t.api().get(paths[kind])).body;
      expect(after.version).toBe(before.version + 1);
      expect(after).toEqual(winner.body);
    });
  }

  it('a stale If-Match on archiving is a 412 and archives nothing; the current one archives', async () => {
    const current = (await t.api().get(paths.funding)).body;
    expect(
      (
        await t
          .api()
          .delete(paths.funding)
          .set('If-Match', `"${current.version - 1}"`)
      ).status,
    ).toBe(412);
    expect((await t.api().get(paths.funding)).body.archivedAt).toBeNull();
    expect((await t.api().delete(paths.funding).set('If-Match', `"${current.version}"`)).status).toBe(204);
    expect((await t.api().get(paths.funding)).body).toMatchObject({ version: current.version + 1, archivedAt: expect.any(String) });
  });
});
