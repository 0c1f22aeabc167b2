import { compareReports, reportItems } from './submission-compare.js';

const report = (goal: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  period: '2026-Q3',
  clusters: [
    {
      cluster: { id: 'c1', name: 'Findit', region: 'Gävleborg', phase: 'formation' },
      goals: [{ id: 'g1', title: 'Forty firms', changes: [{ status: 'red' }], replanned: [], ...goal }],
      ...extra,
    },
  ],
});

describe('comparing frozen reports', () => {
  it('reads items flat: nested fields dotted, milestones by their day, the period history and ids left out', () => {
    const [cluster, goal] = reportItems(
      report({ indicator: { unit: 'firms', latestValue: 3 }, milestones: [{ on: '2026-06-30', target: 5, actual: 3 }] }),
    );
    expect(cluster.fields.get('narrative.summary')).toBeNull();
    expect([...goal.fields]).toEqual([
      ['title', 'Forty firms'],
      ['indicator.unit', 'firms'],
      ['indicator.latestValue', 3],
      ['milestones.2026-06-30.on', '2026-06-30'],
      ['milestones.2026-06-30.target', 5],
      ['milestones.2026-06-30.actual', 3],
    ]);
  });

  it('lists only what differs: a changed field, a field gone, an item added or gone, never the period history', () => {
    const earlier = report({ statusAtEnd: 'green', dueDate: '2026-09-30' });
    const later = report(
      { statusAtEnd: 'yellow', changes: [{ status: 'yellow' }] },
      {
        activities: [{ id: 'a1', title: 'Survey' }],
        narrative: { id: 'n1', period: '2026-Q3', version: 2, summary: 'Done' },
      },
    );
    expect(compareReports(earlier, later)).toEqual([
      {
        subject: { type: 'cluster', id: 'c1', title: 'Findit' },
        change: 'changed',
        fields: [{ field: 'narrative.summary', from: null, to: 'Done' }],
      },
      {
        subject: { type: 'goal', id: 'g1', title: 'Forty firms' },
        change: 'changed',
        fields: [
          { field: 'statusAtEnd', from: 'green', to: 'yellow' },
          { field: 'dueDate', from: '2026-09-30', to: null },
        ],
      },
      { subject: { type: 'activity', id: 'a1', title: 'Survey' }, change: 'added', fields: [{ field: 'title', from: null, to: 'Survey' }] },
    ]);
    expect(compareReports(later, earlier).map((c) => [c.subject.id, c.change])).toEqual([
      ['c1', 'changed'],
      ['g1', 'changed'],
      ['a1', 'archived'],
    ]);
    expect(compareReports(later, later)).toEqual([]);
  });
});
