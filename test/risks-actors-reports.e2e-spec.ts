import { startTestApp, type TestApp } from './support/app.js';
import { createActor, createCluster, createRisk, daysFromToday } from './support/factories.js';
import { HistoryBuilder } from './support/history.js';

/**
 * Risks and actors in reports and on the dashboard. The period is the second
 * quarter of 2026 in Stockholm: 2026-03-31T22:00Z to 2026-06-30T21:59:59.999Z.
 */
describe('risks and actors in reports and on the dashboard', () => {
  let t: TestApp;
  let cluster: Record<string, any>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    cluster = await createCluster(t, { name: 'ZaSCI seaweed cluster', region: 'Zanzibar', phase: 'initiation' });
    const h = new HistoryBuilder(t.dataSource, cluster.id);
    ids.consensus = await h.risk({ title: 'No consensus', likelihood: 3, impact: 5 }, [
      { at: '2026-01-10T09:00:00Z', status: 'green', state: 'open' },
      { at: '2026-05-02T09:00:00Z', status: 'red', state: 'open', comment: 'Two firms left the working group' },
      { at: '2026-07-10T09:00:00Z', status: 'green', state: 'mitigated', comment: 'After the period' },
    ]);
    ids.budget = await h.risk({ title: 'No budget', likelihood: 2, impact: 2 }, [
      { at: '2026-04-05T09:00:00Z', status: 'yellow', state: 'open', comment: 'Co-financing unsigned' },
      { at: '2026-06-01T09:00:00Z', status: 'green', state: 'mitigated', comment: 'Signed' },
    ]);
    ids.later = await h.risk({ title: 'Made after the period', likelihood: 5, impact: 5 }, [
      { at: '2026-08-01T09:00:00Z', status: 'red', state: 'open', comment: 'New' },
    ]);
    await h.actor('Zanzibar Seaweed Farmers Association', [
      { at: '2026-01-15T09:00:00Z', kind: 'civil_society', core: 'inner', engagement: 'identified' },
      { at: '2026-03-01T09:00:00Z', kind: 'civil_society', core: 'inner', engagement: 'contacted' },
      { at: '2026-05-20T09:00:00Z', kind: 'civil_society', core: 'inner', engagement: 'committed' },
    ]);
    await h.actor('State University of Zanzibar', [
      { at: '2026-02-01T09:00:00Z', kind: 'academia', core: 'outer', engagement: 'identified' },
      { at: '2026-04-10T09:00:00Z', kind: 'academia', core: 'inner', engagement: 'engaged' },
    ]);
    await h.actor('Seaweed Exports Ltd', [{ at: '2026-05-01T09:00:00Z', kind: 'company', core: 'outer', engagement: 'contacted' }]);
    await h.actor('Gone Before The End Ltd', [
      { at: '2026-01-01T09:00:00Z', kind: 'company', core: 'outer', engagement: 'identified' },
      { at: '2026-06-01T09:00:00Z', kind: 'company', core: 'outer', engagement: 'identified', archived: true },
    ]);
    await h.actor('After The Period Ltd', [{ at: '2026-07-05T09:00:00Z', kind: 'company', core: 'inner', engagement: 'committed' }]);
  });
  afterAll(() => t.close());

  const q2 = (extra = '') => t.api().get(`/api/v1/clusters/${cluster.id}/report?period=2026-Q2${extra}`);

  it('lists the risks as of the period, greatest score first, with their changes in it', async () => {
    const res = await q2();
    expect(res.status).toBe(200);
    const section = res.body.clusters[0];
    expect(section.risks).toEqual([
      {
        id: ids.consensus,
        title: 'No consensus',
        likelihood: 3,
        impact: 5,
        score: 15,
        stateAtEnd: 'open',
        statusAtStart: 'green',
        statusAtEnd: 'red',
        changes: [expect.objectContaining({ status: 'red', state: 'open', comment: 'Two firms left the working group' })],
        replanned: [],
      },
      {
        id: ids.budget,
        title: 'No budget',
        likelihood: 2,
        impact: 2,
        score: 4,
        stateAtEnd: 'mitigated',
        statusAtStart: null,
        statusAtEnd: 'green',
        changes: [
          expect.objectContaining({ status: 'yellow', state: 'open' }),
          expect.objectContaining({ status: 'green', state: 'mitigated' }),
        ],
        replanned: [],
      },
    ]);
    expect(section.summary.risks).toEqual({ start: { green: 1, yellow: 0, red: 0 }, end: { green: 1, yellow: 0, red: 1 }, highRisks: 1 });
  });

  it('counts the actors by kind, core and engagement as they were at the start and at the end', async () => {
    const { actors } = (await q2()).body.clusters[0];
    expect(actors.start).toEqual([
      { kind: 'company', core: 'outer', engagement: 'identified', count: 1 },
      { kind: 'academia', core: 'outer', engagement: 'identified', count: 1 },
      { kind: 'civil_society', core: 'inner', engagement: 'contacted', count: 1 },
    ]);
    expect(actors.end).toEqual([
      { kind: 'company', core: 'outer', engagement: 'contacted', count: 1 },
      { kind: 'academia', core: 'inner', engagement: 'engaged', count: 1 },
      { kind: 'civil_society', core: 'inner', engagement: 'committed', count: 1 },
    ]);
  });

  it('writes the risks as rows of the CSV report', async () => {
    const res = await q2('&format=csv');
    expect(res.status).toBe(200);
    const rows = res.text.split('\r\n').filter((line) => line.includes(',risk,'));
    expect(rows).toEqual([
      `2026-Q2,ZaSCI seaweed cluster,Zanzibar,risk,${ids.consensus},No consensus,,green,red,1,no,open,,,3,5,15,,,,,,Two firms left the working group`,
      // Created in the period: its creation is no status change.
      `2026-Q2,ZaSCI seaweed cluster,Zanzibar,risk,${ids.budget},No budget,,,green,1,yes,mitigated,,,2,2,4,,,,,,Signed`,
    ]);
  });

  it('lists a risk whose likelihood or impact changed in the period as replanned, with its score as at the end', async () => {
    const c = await createCluster(t, { name: 'Replanned risks cluster' });
    const risk = await createRisk(t, c.id, { title: 'The process leader lacks a network', likelihood: 2, impact: 4 });
    expect((await t.api().patch(`/api/v1/risks/${risk.id}`).send({ likelihood: 4 })).status).toBe(200);
    expect((await t.api().patch(`/api/v1/risks/${risk.id}`).send({ impact: 5, cause: 'Recruited from outside the region' })).status).toBe(
      200,
    );
    const period = `from=${daysFromToday(-1)}&to=${daysFromToday(0)}`;
    const res = await t.api().get(`/api/v1/clusters/${c.id}/report?${period}`);
    expect(res.status).toBe(200);
    const [reported] = res.body.clusters[0].risks;
    expect(reported).toMatchObject({ likelihood: 4, impact: 5, score: 20 });
    // The cause is no replan; likelihood and impact are, oldest first.
    expect(reported.replanned).toEqual([
      { field: 'likelihood', from: 2, to: 4, recordedAt: expect.any(String), author: expect.any(String) },
      { field: 'impact', from: 4, to: 5, recordedAt: expect.any(String), author: expect.any(String) },
    ]);
    const sheet = await t.api().get(`/api/v1/clusters/${c.id}/report?${period}&format=csv`);
    const header = sheet.text.split('\r\n')[0].split(',');
    const row = sheet.text
      .split('\r\n')
      .find((line) => line.includes(risk.id))!
      .split(',');
    const cell = (name: string) => row[header.indexOf(name)];
    expect([cell('Likelihood (1-5)'), cell('Impact (1-5)'), cell('Risk score')]).toEqual(['4', '5', '20']);
  });

  it('shows the risks’ current lights and the open high risks on the dashboard, in its one statement', async () => {
    const c = await createCluster(t, { name: 'Östersund winter sports' });
    await createRisk(t, c.id, { likelihood: 5, impact: 3, status: 'red', statusComment: 'Snow' });
    await createRisk(t, c.id, { likelihood: 4, impact: 4, state: 'mitigated' });
    await createRisk(t, c.id, { likelihood: 1, impact: 1, status: 'yellow', statusComment: 'Minor' });
    const archived = await createRisk(t, c.id, { likelihood: 5, impact: 5 });
    await t.api().delete(`/api/v1/risks/${archived.id}`);
    await createActor(t, c.id);
    const row = (await t.api().get('/api/v1/dashboard')).body.items.find((i: any) => i.cluster.id === c.id);
    expect(row).toMatchObject({ risks: { green: 1, yellow: 1, red: 1 }, highRisks: 1, worstStatus: 'red' });
  });
});
