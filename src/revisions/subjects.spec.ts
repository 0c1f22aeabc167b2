import { PLAN_ITEM_KINDS } from '../plan-item-kinds.js';
import { SUBJECT_TYPES } from '../plan-items/traffic-light.js';
import { SUBJECTS } from './subjects.js';

describe('the revision subjects of the kinds of plan item', () => {
  it('has one kind for every subject type', () => {
    expect(PLAN_ITEM_KINDS.map((kind) => kind.subjectType).sort()).toEqual([...SUBJECT_TYPES].sort());
  });

  it.each(PLAN_ITEM_KINDS.map((kind) => [kind.subjectType, kind]))('%s: table, label and fields come from its descriptor', (_, kind) => {
    const subject = SUBJECTS[kind.subjectType];
    expect(subject.table).toBe(kind.table);
    expect(subject.label).toBe(kind.label);
    expect(subject.fields).toBe(kind.fields);
  });
});
