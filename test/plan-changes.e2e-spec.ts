import fc from 'fast-check';
import { CHANGED_SUBJECT_TYPES, type ChangedSubjectType } from '../src/plan/plan-changes.dto.js';
import { SUBJECTS } from '../src/revisions/subjects.js';
import { startTestApp, type TestApp } from './support/app.js';
import { createActivity, createActor, createCluster, createFruit, createGoal, createRisk } from './support/factories.js';
import { expectProblem } from './support/problem.js';
import { ownStatements } from './support/statements.js';

/** The plan's sections by the kind of item they hold. */
const SECTION_OF: Record<Exclude<ChangedSubjectType, 'cluster'>, string> = {
  goal: 'goals',
  activity: 'activities',
  low_hanging_fruit: 'lowHangingFruits',
  risk: 'risks',
  actor: 'actors',
};

type Fields = Record<string, unknown>;

/** An API item's value of a field (`indicator.target` reads into `indicator`). */
function valueAt(item: Record<string, any>, field: string): unknown {
  let value: any = item;
  for (const part of field.split('.')) value = value === null || value === undefined ? null : value[part];
  return value ?? null;
}

/** A plan answer as `type:id` → its fields (those revisions keep: no versions, timestamps of writes, or derived values). */
function project(plan: Record<string, any>): Map<string, Fields> {
  const items = new Map<string, Fields>();
  const add = (type: ChangedSubjectType, item: Record<string, any>) =>
    items.set(`${type}:${item.id}`, Object.fromEntries(SUBJECTS[type].fields.map(({ field }) => [field, valueAt(item, field)])));
  add('cluster', plan.cluster);
  for (const [type, section] of Object.entries(SECTION_OF)) for (const item of plan[section]) add(type as ChangedSubjectType, item);
  return items;
}

/** The plan as of `from` with the changes applied. */
function apply(plan: Map<string, Fields>, changes: Record<string, any>): Map<string, Fields> {
  const out = new Map([...plan].map(([key, fields]) => [key, { ...fields }]));
  for (const item of changes.items) {
    const key = `${item.subject.type}:${item.subject.id}`;
    if (item.change === 'archived') {
      out.delete(key);
      continue;
    }
    const fields =
      item.change === 'added'
        ? Object.fromEntries(SUBJECTS[item.subject.type as ChangedSubjectType].fields.map(({ field }) => [field, null]))
        : out.get(key);
    if (!fields) throw new Error(`a change to ${key}, which is not in the plan as of from`);
    for (const { field, from, to } of item.fields) {
      if (item.change === 'changed') expect(fields[field]).toEqual(from);
      fields[field] = to;
    }
    out.set(key, fields);
  }
  return out;
}

const sorted = (plan: Map<string, Fields>) => [...plan].sort(([a], [b]) => a.localeCompare(b));

describe('GET /clusters/{clusterId}/plan/changes', () => {
  let t: TestApp;
  const changes = (id: string, query: Record<string, string>, key?: string | null) =>
    t.api(key).get(`/api/v1/clusters/${id}/plan/changes`).query(query);
  const tick = () => new Promise((resolve) => setTimeout(resolve, 3));
  const instant = async () => {
    await tick();
    const at = new Date().toISOString();
    await tick();
    return at;
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lists each item whose state differs, field by field, with the revisions between; not one changed and changed back', async () => {
    const cluster = await createCluster(t, { name: 'Changes cluster' });
    const goal = await createGoal(t, cluster.id, { title: 'Thirty firms' });
    const activity = await createActivity(t, cluster.id, { title: 'Matchmaking day', dueDate: '2030-05-01' });
    const actor = await createActor(t, cluster.id, { name: 'Region Gävleborg', kind: 'public_sector' });
    const back = await createRisk(t, cluster.id, { title: 'Firms leave' });
    const from = await instant();

    expect((await t.api().patch(`/api/v1/activities/${activity.id}`).send({ dueDate: '2030-09-01' })).status).toBe(200);
    expect(
      (await t.api().post(`/api/v1/activities/${activity.id}/status-updates`).send({ status: 'red', comment: 'Stalled' })).status,
    ).toBe(201);
    expect((await t.api().patch(`/api/v1/risks/${back.id}`).send({ likelihood: 5 })).status).toBe(200);
    expect((await t.api().patch(`/api/v1/risks/${back.id}`).send({ likelihood: 3 })).status).toBe(200);
    expect((await t.api().delete(`/api/v1/actors/${actor.id}`)).status).toBe(204);
    const fruit = await createFruit(t, cluster.id, { what: 'A first joint tender' });
    const gone = await createFruit(t, cluster.id);
    expect((await t.api().delete(`/api/v1/low-hanging-fruits/${gone.id}`)).status).toBe(204);
    const to = await instant();
    expect((await t.api().patch(`/api/v1/goals/${goal.id}`).send({ title: 'Forty firms' })).status).toBe(200);

    const res = await changes(cluster.id, { from, to });
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(from);
    expect(res.body.to).toBe(to);
    expect(res.body.items.map((i: any) => [i.subject.type, i.subject.id, i.change])).toEqual([
      ['activity', activity.id, 'changed'],
      ['low_hanging_fruit', fruit.id, 'added'],
      ['actor', actor.id, 'archived'],
    ]);
    const [changed, added, archived] = res.body.items;
    expect(changed.subject.title).toBe('Matchmaking day');
    expect(changed.fields).toEqual([
      { field: 'dueDate', from: '2030-05-01', to: '2030-09-01' },
      { field: 'status', from: 'green', to: 'red' },
    ]);
    expect(changed.revisions).toEqual([
      { version: 2, recordedAt: expect.any(String), author: expect.any(String) },
      { version: 3, recordedAt: expect.any(String), author: expect.any(String) },
    ]);
    expect(changed.revisions[0].recordedAt <= changed.revisions[1].recordedAt).toBe(true);
    expect(changed.revisions[0].recordedAt > from && changed.revisions[1].recordedAt <= to).toBe(true);
    expect(added.subject.title).toBe('A first joint tender');
    expect(added.fields).toEqual(expect.arrayContaining([{ field: 'what', from: null, to: 'A first joint tender' }]));
    expect(added.revisions).toHaveLength(1);
    expect(archived.fields).toEqual([{ field: 'archivedAt', from: null, to: expect.any(String) }]);

    // Dates are whole days: nothing happened after today's now.
    const today = new Date().toISOString().slice(0, 10);
    expect((await changes(cluster.id, { from, to: today })).body.items.map((i: any) => i.subject.id)).toContain(goal.id);
  });

  it('makes as many SQL statements for a history of 4 revisions as for one of 60', async () => {
    const cluster = await createCluster(t);
    const from = await instant();
    const activity = await createActivity(t, cluster.id);
    const count = async () => {
      const to = await instant();
      const { result, statements } = await ownStatements(t, () => changes(cluster.id, { from, to }));
      expect(result.status).toBe(200);
      return { statements, revisions: result.body.items.reduce((n: number, i: any) => n + i.revisions.length, 0) };
    };
    await createGoal(t, cluster.id);
    await createRisk(t, cluster.id);
    await t.api().patch(`/api/v1/activities/${activity.id}`).send({ owner: 'Owner 0' });
    const short = await count();
    for (let i = 1; i <= 56; i++)
      await t
        .api()
        .patch(`/api/v1/activities/${activity.id}`)
        .send({ owner: `Owner ${i}` });
    const long = await count();
    expect([short.revisions, long.revisions]).toEqual([4, 60]);
    expect(long.statements).toEqual(short.statements);
    // The access check, and the comparison.
    expect(short.statements).toHaveLength(2);
    process.stdout.write(`plan changes: ${short.statements.length} SQL statements for 4 revisions, ${long.statements.length} for 60\n`);
  });

  it('answers 404 for a cluster the caller may not read, 400 for missing, malformed, future or reversed bounds', async () => {
    const mine = await createCluster(t);
    const theirs = await createCluster(t);
    const editor = await t.key('editor', { clusterIds: [mine.id] });
    const from = '2026-01-01T00:00:00Z';
    const to = new Date().toISOString();
    expect((await changes(mine.id, { from, to }, editor.secret)).status).toBe(200);
    expectProblem(await changes(theirs.id, { from, to }, editor.secret), 404);
    expectProblem(await changes('00000000-0000-4000-8000-000000000000', { from, to }), 404);
    expect((await changes(mine.id, { from, to }, null)).status).toBe(401);
    expectProblem(await changes(mine.id, { to }), 400, 'from');
    expectProblem(await changes(mine.id, { from }), 400, 'to');
    expectProblem(await changes(mine.id, { from: 'yesterday', to }), 400, 'from');
    expectProblem(await changes(mine.id, { from, to: '2999-01-01' }), 400, 'to');
    expectProblem(await changes(mine.id, { from: to, to: from }), 400, 'from');
    expectProblem(await changes(mine.id, { from, to: from }), 400, 'from');
    expectProblem(await changes(mine.id, { from, to, limit: '5' }), 400, 'limit');
  });

  it('applying changes(a, b) to the plan as of a gives the plan as of b, for random histories and instants a < b', async () => {
    type Op =
      | { op: 'create'; kind: Exclude<ChangedSubjectType, 'cluster'>; title: number }
      | { op: 'rename'; pick: number; title: number }
      | { op: 'status'; pick: number; status: 'green' | 'yellow' | 'red' }
      | { op: 'redate'; pick: number; day: number }
      | { op: 'archive'; pick: number }
      | { op: 'cluster'; title: number };
    const title = fc.integer({ min: 0, max: 2 });
    const pick = fc.nat();
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('create' as const), kind: fc.constantFrom(...(Object.keys(SECTION_OF) as any[])), title }),
      fc.record({ op: fc.constant('rename' as const), pick, title }),
      fc.record({ op: fc.constant('status' as const), pick, status: fc.constantFrom('green' as const, 'yellow' as const, 'red' as const) }),
      fc.record({ op: fc.constant('redate' as const), pick, day: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ op: fc.constant('archive' as const), pick }),
      fc.record({ op: fc.constant('cluster' as const), title }),
    );
    const PATHS: Record<string, string> = {
      goal: 'goals',
      activity: 'activities',
      low_hanging_fruit: 'low-hanging-fruits',
      risk: 'risks',
      actor: 'actors',
    };
    const TITLE: Record<string, string> = { goal: 'title', activity: 'title', low_hanging_fruit: 'what', risk: 'title', actor: 'name' };
    const CREATE = { goal: createGoal, activity: createActivity, low_hanging_fruit: createFruit, risk: createRisk, actor: createActor };
    let runs = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), fc.nat(), fc.nat(), async (ops, x, y) => {
        runs++;
        const cluster = await createCluster(t);
        const live: { kind: string; id: string }[] = [];
        const instants = [await instant()];
        for (const o of ops) {
          const item = live.length > 0 && o.op !== 'create' && o.op !== 'cluster' ? live[o.pick % live.length] : undefined;
          let res: { status: number } | undefined;
          if (o.op === 'create') {
            const created = await CREATE[o.kind](t, cluster.id, { [TITLE[o.kind]]: `Item ${o.title}` });
            live.push({ kind: o.kind, id: created.id });
          } else if (o.op === 'cluster') {
            res = await t
              .api()
              .patch(`/api/v1/clusters/${cluster.id}`)
              .send({ vision: `Vision ${o.title}` });
          } else if (!item) {
            continue;
          } else if (o.op === 'rename') {
            res = await t
              .api()
              .patch(`/api/v1/${PATHS[item.kind]}/${item.id}`)
              .send({ [TITLE[item.kind]]: `Item ${o.title}` });
          } else if (o.op === 'status') {
            if (item.kind === 'actor' || item.kind === 'risk') continue;
            res = await t.api().post(`/api/v1/${PATHS[item.kind]}/${item.id}/status-updates`).send({ status: o.status, comment: 'Why' });
          } else if (o.op === 'redate') {
            const field =
              item.kind === 'low_hanging_fruit' ? 'when' : item.kind === 'activity' || item.kind === 'goal' ? 'dueDate' : undefined;
            if (!field) continue;
            res = await t
              .api()
              .patch(`/api/v1/${PATHS[item.kind]}/${item.id}`)
              .send({ [field]: `2030-01-0${o.day}` });
          } else {
            res = await t.api().delete(`/api/v1/${PATHS[item.kind]}/${item.id}`);
            live.splice(live.indexOf(item), 1);
          }
          if (res && res.status >= 300) throw new Error(`${o.op}: ${res.status}`);
          instants.push(await instant());
        }
        const i = x % instants.length;
        const j = y % instants.length;
        fc.pre(i !== j);
        const [a, b] = i < j ? [instants[i], instants[j]] : [instants[j], instants[i]];
        const before = await t.api().get(`/api/v1/clusters/${cluster.id}/plan`).query({ asOf: a });
        const after = await t.api().get(`/api/v1/clusters/${cluster.id}/plan`).query({ asOf: b });
        const diff = await changes(cluster.id, { from: a, to: b });
        expect([before.status, after.status, diff.status]).toEqual([200, 200, 200]);
        expect(sorted(apply(project(before.body), diff.body))).toEqual(sorted(project(after.body)));
        // Every listed item really differs, and is listed once.
        const keys = diff.body.items.map((item: any) => `${item.subject.type}:${item.subject.id}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const item of diff.body.items) {
          expect(CHANGED_SUBJECT_TYPES).toContain(item.subject.type);
          expect(item.fields.length).toBeGreaterThan(0);
          expect(item.revisions.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 15 },
    );
    expect(runs).toBeGreaterThanOrEqual(15);
  });
});
