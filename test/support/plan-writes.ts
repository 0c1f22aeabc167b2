import fc from 'fast-check';
import type request from 'supertest';
import type { TestApp } from './app.js';
import { daysFromToday } from './factories.js';

/**
 * Random later writes of every kind to a small plan, for the property-based
 * tests of what must never change once written: a report whose period has
 * ended, and a submitted report.
 */
export type Target = 'goal' | 'subGoal' | 'activity' | 'fruit';
const PATHS: Record<Target, string> = { goal: 'goals', subGoal: 'goals', activity: 'activities', fruit: 'low-hanging-fruits' };

export type Write =
  | { kind: 'patch'; target: Target; body: Record<string, unknown> }
  | { kind: 'status'; target: Target; status: 'green' | 'yellow' | 'red'; state?: string }
  | { kind: 'measure'; value: number; measuredOn: number }
  | { kind: 'archive'; target: Target }
  | { kind: 'patchFunding'; body: Record<string, unknown> }
  | { kind: 'archiveFunding' }
  | { kind: 'newFunding' }
  | { kind: 'patchCluster'; body: Record<string, unknown> }
  | { kind: 'patchFunder'; body: Record<string, unknown> }
  | { kind: 'newItem'; target: Target }
  | { kind: 'archiveCluster' };

const text = fc.stringMatching(/^[A-Za-zÅÄÖåäö0-9 ,.'"=+@;-]{1,30}$/).filter((s) => s.trim().length > 0);
const day = fc.integer({ min: -400, max: 400 }).map(daysFromToday);
const states = fc.constantFrom('planned', 'ongoing', 'done', 'cancelled');
const target = fc.constantFrom<Target>('goal', 'subGoal', 'activity', 'fruit');

const goalPatch = fc.record(
  {
    title: text,
    description: fc.option(text, { nil: null }),
    dueDate: fc.option(day, { nil: null }),
    perspective: fc.constantFrom('business', 'public_sector', 'academia', null),
    indicator: fc.option(
      fc.record({ unit: text, baseline: fc.integer({ min: -100, max: 100 }), target: fc.integer({ min: -100, max: 1000 }) }),
      { nil: null },
    ),
  },
  { requiredKeys: [] },
);
const activityPatch = fc.record(
  {
    title: text,
    description: fc.option(text, { nil: null }),
    owner: fc.option(text, { nil: null }),
    startDate: day,
    dueDate: day,
    state: states,
  },
  { requiredKeys: [] },
);
const fruitPatch = fc.record({ what: text, when: day, how: fc.option(text, { nil: null }), state: states }, { requiredKeys: [] });

export const write: fc.Arbitrary<Write> = fc.oneof(
  goalPatch.map((body): Write => ({ kind: 'patch', target: 'goal', body })),
  goalPatch.map((body): Write => ({ kind: 'patch', target: 'subGoal', body })),
  activityPatch.map((body): Write => ({ kind: 'patch', target: 'activity', body })),
  fruitPatch.map((body): Write => ({ kind: 'patch', target: 'fruit', body })),
  fc
    .record({ target, status: fc.constantFrom('green', 'yellow', 'red'), state: fc.option(states, { nil: undefined }) })
    .map((w): Write => ({ kind: 'status', ...w })),
  // Measured yesterday or today: on or before the end of a period that ends today, recorded after it.
  fc
    .record({ value: fc.integer({ min: -1000, max: 1000 }), measuredOn: fc.constantFrom(-1, 0) })
    .map((w): Write => ({ kind: 'measure', ...w })),
  target.map((t): Write => ({ kind: 'archive', target: t })),
  fc
    .record(
      {
        amount: fc.integer({ min: 0, max: 9_999_999 }),
        programme: text,
        startsOn: day,
        endsOn: day,
        currency: fc.constantFrom('SEK', 'EUR'),
      },
      { requiredKeys: [] },
    )
    .map((body): Write => ({ kind: 'patchFunding', body })),
  fc.constant<Write>({ kind: 'archiveFunding' }),
  fc.constant<Write>({ kind: 'newFunding' }),
  fc
    .record(
      { name: text, region: text, phase: fc.constantFrom('initiation', 'mobilisation', 'formation', 'organisation') },
      { requiredKeys: [] },
    )
    .map((body): Write => ({ kind: 'patchCluster', body })),
  fc
    .record({ name: text, reportingPeriod: fc.constantFrom('quarterly', 'half_yearly', 'yearly') }, { requiredKeys: [] })
    .map((body): Write => ({ kind: 'patchFunder', body })),
  target.map((t): Write => ({ kind: 'newItem', target: t })),
  fc.constant<Write>({ kind: 'archiveCluster' }),
);

/** What the writes act on. */
export interface WritablePlan {
  clusterId: string;
  funderId: string;
  fundingId: string;
  ids: Record<Target, string>;
}

/**
 * Applies a write; a write the rules refuse (a 409 on something archived, a 422 on date order) is fine: it changes
 * nothing. Answers the status.
 */
export async function applyWrite(t: TestApp, plan: WritablePlan, w: Write): Promise<number> {
  const api = t.api();
  let res: request.Response;
  switch (w.kind) {
    case 'patch': {
      const body = { ...w.body };
      if (w.target === 'goal') delete body.perspective; // keep the long-term goal long-term and its contributors valid
      res = await api.patch(`/api/v1/${PATHS[w.target]}/${plan.ids[w.target]}`).send(body);
      break;
    }
    case 'status':
      res = await api.post(`/api/v1/${PATHS[w.target]}/${plan.ids[w.target]}/status-updates`).send({
        status: w.status,
        comment: 'Later news',
        ...(w.state && (w.target === 'activity' || w.target === 'fruit') ? { state: w.state } : {}),
      });
      break;
    case 'measure':
      res = await api.post(`/api/v1/goals/${plan.ids.goal}/measurements`).send({ value: w.value, measuredOn: daysFromToday(w.measuredOn) });
      break;
    case 'archive':
      res = await api.delete(`/api/v1/${PATHS[w.target]}/${plan.ids[w.target]}`);
      break;
    case 'patchFunding':
      res = await api.patch(`/api/v1/fundings/${plan.fundingId}`).send(w.body);
      break;
    case 'archiveFunding':
      res = await api.delete(`/api/v1/fundings/${plan.fundingId}`);
      break;
    case 'newFunding':
      res = await api.post(`/api/v1/funders/${plan.funderId}/fundings`).send({
        clusterId: plan.clusterId,
        programme: 'Top-up',
        amount: 100,
        startsOn: daysFromToday(-400),
        endsOn: daysFromToday(400),
      });
      break;
    case 'patchCluster':
      res = await api.patch(`/api/v1/clusters/${plan.clusterId}`).send(w.body);
      break;
    case 'patchFunder':
      res = await api.patch(`/api/v1/funders/${plan.funderId}`).send(w.body);
      break;
    case 'newItem':
      res =
        w.target === 'fruit'
          ? await api.post(`/api/v1/clusters/${plan.clusterId}/low-hanging-fruits`).send({ what: 'Later fruit', when: daysFromToday(0) })
          : w.target === 'activity'
            ? await api.post(`/api/v1/clusters/${plan.clusterId}/activities`).send({ title: 'Later activity' })
            : await api.post(`/api/v1/clusters/${plan.clusterId}/goals`).send({ title: 'Later goal', horizon: 'short_term' });
      break;
    case 'archiveCluster':
      res = await api.delete(`/api/v1/clusters/${plan.clusterId}`);
      break;
  }
  if (res.status >= 500) throw new Error(`${w.kind}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.status;
}
