import { DashboardItem, OverdueCounts } from './dashboard/dto/dashboard.dto.js';
import { canBeOverdue } from './dashboard/dashboard.repository.js';
import { codeOf, PLAN_ITEM_KINDS, sectionOf } from './plan-item-kinds.js';
import { SUBJECT_TYPES } from './plan-items/traffic-light.js';
import { ReportSummary } from './reports/dto/report-counts.dto.js';
import { ReportClusterSection } from './reports/dto/report.dto.js';
import { DATED_KINDS, KIND_CODES } from './reports/report-kinds.js';

/** Where @nestjs/swagger keeps the members a class documents. */
const PROPERTIES = 'swagger/apiModelPropertiesArray';

/** The members a response class documents, in order. */
function members(type: abstract new () => unknown): string[] {
  return ((Reflect.getMetadata(PROPERTIES, type.prototype) as string[] | undefined) ?? []).map((m) => m.replace(/^:/, ''));
}

const sections = PLAN_ITEM_KINDS.map(sectionOf);

describe('the kinds of plan item, from which the rest is derived', () => {
  it('list the subject types of the database and the contract in their order', () => {
    expect(PLAN_ITEM_KINDS.map((kind) => kind.subjectType)).toEqual([...SUBJECT_TYPES]);
  });

  it('name a section of the report, its summary and the dashboard each, in their order', () => {
    for (const shape of [ReportClusterSection, ReportSummary, DashboardItem]) {
      expect(members(shape).filter((m) => sections.includes(m))).toEqual(sections);
    }
  });

  it('that a report lists as dated items are the ones with a due date and states, and the dashboard counts them overdue', () => {
    expect(DATED_KINDS.map((dated) => dated.section)).toEqual(PLAN_ITEM_KINDS.filter((kind) => kind.report).map(sectionOf));
    expect(members(OverdueCounts)).toEqual(PLAN_ITEM_KINDS.filter(canBeOverdue).map(sectionOf));
    expect(DATED_KINDS.map((dated) => dated.section)).toEqual(members(OverdueCounts));
  });

  it.each(PLAN_ITEM_KINDS.map((kind) => [kind.subjectType, kind]))('%s: is named in both languages and has a code', (_, kind) => {
    for (const lang of ['en', 'sv'] as const) {
      expect(kind.names[lang].one).not.toBe('');
      expect(kind.names[lang].the).not.toBe('');
      expect(kind.names[lang].many).not.toBe('');
    }
    expect(KIND_CODES).toContain(codeOf(kind));
    expect(kind.routes.docs.tag).not.toBe('');
  });
});
