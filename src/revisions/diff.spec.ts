import { diff } from './diff.js';
import { fieldsOf, parseState, SUBJECTS } from './subjects.js';

describe('revision diffs', () => {
  it('names each changed field with its value before and after, nested fields as indicator.target', () => {
    const before = fieldsOf(
      SUBJECTS.goal,
      parseState('{"title":"Ten firms","due_date":"2026-09-30","indicator_unit":"firms","indicator_baseline":2,"indicator_target":10}'),
    );
    const after = fieldsOf(
      SUBJECTS.goal,
      parseState('{"title":"Ten firms","due_date":"2026-12-15","indicator_unit":"firms","indicator_baseline":2,"indicator_target":12.5}'),
    );
    expect(diff(before, after)).toEqual([
      { field: 'dueDate', from: '2026-09-30', to: '2026-12-15' },
      { field: 'indicator.target', from: 10, to: 12.5 },
    ]);
  });

  it('lists every field set at creation, from null', () => {
    const created = fieldsOf(
      SUBJECTS.funder,
      parseState('{"id":"f","name":"Vinnova","kind":"national_agency","reporting_period":"yearly"}'),
    );
    expect(diff(undefined, created)).toEqual([
      { field: 'name', from: null, to: 'Vinnova' },
      { field: 'kind', from: null, to: 'national_agency' },
      { field: 'reportingPeriod', from: null, to: 'yearly' },
    ]);
  });

  it('finds nothing changed between equal states', () => {
    const state = fieldsOf(SUBJECTS.cluster, parseState('{"id":"c","name":"Findit","public_badge":true,"archived_at":null}'));
    expect(diff(state, state)).toEqual([]);
  });

  it('keeps amounts exact, as the API writes them, and timestamps as ISO 8601 in UTC', () => {
    const before = fieldsOf(SUBJECTS.funding, parseState('{"amount": 2000000.00, "archived_at": null}'));
    const after = fieldsOf(SUBJECTS.funding, parseState('{"amount": 2500000.50, "archived_at": "2026-10-01T12:00:00.123456+02:00"}'));
    expect(diff(before, after)).toEqual([
      { field: 'amount', from: '2000000.00', to: '2500000.50' },
      { field: 'archivedAt', from: null, to: '2026-10-01T10:00:00.123Z' },
    ]);
  });
});
