import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createCluster, createGoal } from './support/factories.js';
import { expectProblem } from './support/problem.js';

/**
 * Text input is normalised (NFC, trimmed of whitespace and invisible format
 * characters at its ends); blank and invisible-only texts are refused; names
 * and titles may not carry bidirectional controls; cluster names are unique
 * by a folded form, so that no two clusters look alike on a dashboard.
 */
describe('text normalisation and look-alike names', () => {
  let t: TestApp;
  let findit: Record<string, any>;
  beforeAll(async () => {
    t = await startTestApp();
    findit = await createCluster(t, { name: 'Findit' });
    await createCluster(t, { name: 'Örebro' }); // NFC
  });
  afterAll(() => t.close());

  async function clusterCount(): Promise<number> {
    const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM cluster`);
    return row.n as number;
  }

  it.each([
    ['a trailing space', 'Findit '],
    ['a zero-width space inside', 'Find\u200bit'],
    ['a trailing no-break space', 'Findit\u00a0'],
    ['a trailing word joiner', 'Findit\u2060'],
    ['fullwidth letters', 'Ｆｉｎｄｉｔ'],
    ['another case', 'FINDIT'],
    ['decomposed (NFD) letters', 'Örebro'.replace('Ö', 'O\u0308')],
  ])('a new cluster named like Findit or Örebro but with %s: 409 naming name', async (_, name) => {
    const before = await clusterCount();
    expectProblem(await t.api().post('/api/v1/clusters').send({ name, region: 'Gävleborg', phase: 'initiation' }), 409, 'name');
    expect(await clusterCount()).toBe(before);
  });

  it('names differing by inner whitespace only are the same name', async () => {
    await createCluster(t, { name: 'Process IT Innovations' });
    expectProblem(
      await t.api().post('/api/v1/clusters').send({ name: 'Process  IT\u2003Innovations', region: 'Västerbotten', phase: 'initiation' }),
      409,
      'name',
    );
  });

  it('an editor may not rename its cluster to a look-alike of another: 409', async () => {
    const other = await createCluster(t, { name: 'Other cluster' });
    const editor = (await t.key('editor', { clusterIds: [other.id] })).secret;
    expectProblem(await t.api(editor).patch(`/api/v1/clusters/${other.id}`).send({ name: 'Fi\u00adndit\u2060' }), 409, 'name');
    expect((await t.api(editor).get(`/api/v1/clusters/${other.id}`)).body.name).toBe('Other cluster');
  });

  it('stores names NFC and trimmed of whitespace and invisible format characters at the ends', async () => {
    const c = await createCluster(t, { name: '\ufeff  Sk\u0061\u030ane Food  \u200b', region: ' Skåne ', vision: '  Food for all.\n' });
    expect(c.name).toBe('Skåne Food');
    expect(c.name).toBe(c.name.normalize('NFC'));
    expect(c.region).toBe('Skåne');
    expect(c.vision).toBe('Food for all.');
    const [row] = await t.dataSource.query(`SELECT name FROM cluster WHERE id = $1`, [c.id]);
    expect(row.name).toBe('Skåne Food');
  });

  it('a renamed cluster keeps its own name in another form (a name may change case)', async () => {
    const res = await t.api().patch(`/api/v1/clusters/${findit.id}`).send({ name: 'FindIT' });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('FindIT');
  });

  it('an archived cluster frees its name, folded form included', async () => {
    const old = await createCluster(t, { name: 'Retired' });
    expect((await t.api().delete(`/api/v1/clusters/${old.id}`)).status).toBe(204);
    expect((await t.api().post('/api/v1/clusters').send({ name: 'RETIRED\u200b', region: 'X', phase: 'initiation' })).status).toBe(201);
  });

  it.each([
    ['a right-to-left override', 'Findit\u202egnah'],
    ['a left-to-right embedding', '\u202aFindit2'],
    ['a first-strong isolate', 'Find\u2068it3\u2069'],
  ])('refuses %s in a name (400 naming name) and in a title (400 naming title)', async (_, text) => {
    const before = await clusterCount();
    expectProblem(await t.api().post('/api/v1/clusters').send({ name: text, region: 'X', phase: 'initiation' }), 400, 'name');
    expect(await clusterCount()).toBe(before);
    expectProblem(await t.api().post(`/api/v1/clusters/${findit.id}/activities`).send({ title: text }), 400, 'title');
  });

  it.each([
    ['only a zero-width space', '\u200b'],
    ['only spaces and format characters', ' \u2060\u00a0\ufeff '],
    ['nothing', ''],
  ])('refuses a title of %s: 400 naming title, nothing written', async (_, title) => {
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM activity`);
    expectProblem(await t.api().post(`/api/v1/clusters/${findit.id}/activities`).send({ title }), 400, 'title');
    expectProblem(await t.api().post(`/api/v1/clusters/${findit.id}/goals`).send({ title, horizon: 'long_term' }), 400, 'title');
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM activity`)).toEqual(before);
  });

  it('refuses a red status comment made only of a zero-width space: 400 naming comment, no history entry', async () => {
    const a = await createActivity(t, findit.id);
    const res = await t.api().post(`/api/v1/activities/${a.id}/status-updates`).send({ status: 'red', comment: '\u200b' });
    expectProblem(res, 400, 'comment');
    const history = await t.api().get(`/api/v1/activities/${a.id}/status-updates`);
    expect(history.body.total).toBe(1);
    expectProblem(
      await t.api().post(`/api/v1/clusters/${findit.id}/activities`).send({ title: 'Survey', status: 'yellow', statusComment: ' \u200b ' }),
      400,
      'statusComment',
    );
  });

  it('normalises a comment and a goal title too', async () => {
    const g = await createGoal(t, findit.id, { title: '  Mo\u0308te  ' });
    expect(g.title).toBe('Möte');
    const res = await t.api().post(`/api/v1/goals/${g.id}/status-updates`).send({ status: 'yellow', comment: ' Sla\u030at ' });
    expect(res.status).toBe(201);
    const history = await t.api().get(`/api/v1/goals/${g.id}/status-updates`);
    expect(history.body.items[0].comment).toBe('Slåt');
  });
});
