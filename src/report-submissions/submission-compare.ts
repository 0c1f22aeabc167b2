import { CHANGED_SUBJECT_TYPES, type ChangedSubjectType, type ChangeKind } from '../plan/plan-changes.dto.js';
import { fieldOf, PLAN_ITEM_KINDS, sectionOf } from '../plan-item-kinds.js';
import { diff, type FieldChange } from '../revisions/diff.js';

type Json = Record<string, unknown>;

/** An item of a frozen report: what it is, its title, and its fields flat (`indicator.target`). */
export interface ReportItem {
  type: ChangedSubjectType;
  id: string;
  title: string;
  fields: Map<string, unknown>;
}

/** A compared item, before its revisions are added. */
export interface ReportItemChange {
  subject: { type: ChangedSubjectType; id: string; title: string };
  change: ChangeKind;
  fields: FieldChange[];
}

/** The sections of a report's cluster that hold items with ids, and what they are, in the order a comparison lists them. */
const SECTIONS: readonly { key: string; type: ChangedSubjectType; title: string }[] = PLAN_ITEM_KINDS.map((kind) => ({
  key: sectionOf(kind),
  type: kind.subjectType,
  title: fieldOf(kind, kind.columns.search),
}));

/** The texts of a period's narrative, compared as the cluster's `narrative.summary` and so on. */
const NARRATIVE_TEXTS = ['summary', 'results', 'deviations', 'nextSteps'];

/** What an item of a report holds that is not its state at the end of the period: its id, and the history within the period. */
const NOT_STATE = new Set(['id', 'changes', 'replanned']);

/**
 * The fields of a report item, flat: nested objects as `indicator.target`,
 * lists of dated entries (milestones) by their day (`milestones.2026-06-30.actual`),
 * other lists by position.
 */
function flatten(value: Json, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    if (prefix === '' && NOT_STATE.has(key)) continue;
    const name = prefix + key;
    if (Array.isArray(v)) {
      v.forEach((entry: unknown, i) => {
        const label = entry !== null && typeof entry === 'object' && typeof (entry as Json).on === 'string' ? (entry as Json).on : i;
        if (entry !== null && typeof entry === 'object') flatten(entry as Json, `${name}.${String(label)}.`, into);
        else into.set(`${name}.${i}`, entry);
      });
    } else if (v !== null && typeof v === 'object') flatten(v as Json, `${name}.`, into);
    else into.set(name, v ?? null);
  }
  return into;
}

/** The items of a frozen cluster report (the JSON stored at submission): its cluster, then goals, activities, fruits and risks. */
export function reportItems(report: Json): ReportItem[] {
  const items: ReportItem[] = [];
  for (const section of (report.clusters as Json[] | undefined) ?? []) {
    const cluster = section.cluster as Json;
    // The period's narrative is the cluster's account of it: its texts are the cluster's fields (its id, period and version are bookkeeping).
    const narrative = (section.narrative as Json | undefined) ?? {};
    const texts = Object.fromEntries(NARRATIVE_TEXTS.map((key) => [key, narrative[key] ?? null]));
    items.push({ type: 'cluster', id: String(cluster.id), title: String(cluster.name), fields: flatten({ ...cluster, narrative: texts }) });
    for (const { key, type, title } of SECTIONS) {
      for (const item of (section[key] as Json[] | undefined) ?? []) {
        items.push({ type, id: String(item.id), title: String(item[title]), fields: flatten(item) });
      }
    }
  }
  return items;
}

/** Every field the earlier side had that the later one lacks, added to the later side as null, so that it shows as a change. */
function withGone(before: Map<string, unknown>, after: Map<string, unknown>): Map<string, unknown> {
  const all = new Map(after);
  for (const field of before.keys()) if (!all.has(field)) all.set(field, null);
  return all;
}

/**
 * Two reports compared item by item: `added` (in the later report only),
 * `archived` (in the earlier only), `changed` (in both, with fields that
 * differ); an item the same in both is not listed. In the order of the later
 * report within each kind, then the items only the earlier one has.
 */
export function compareReports(earlier: Json, later: Json): ReportItemChange[] {
  const before = new Map(reportItems(earlier).map((item) => [`${item.type}:${item.id}`, item]));
  const changes: ReportItemChange[] = [];
  const seen = new Set<string>();
  for (const item of reportItems(later)) {
    const key = `${item.type}:${item.id}`;
    seen.add(key);
    const old = before.get(key);
    const subject = { type: item.type, id: item.id, title: item.title };
    if (!old) {
      changes.push({ subject, change: 'added', fields: diff(undefined, item.fields) });
      continue;
    }
    const fields = diff(old.fields, withGone(old.fields, item.fields));
    if (fields.length > 0) changes.push({ subject, change: 'changed', fields });
  }
  for (const [key, old] of before) {
    if (seen.has(key)) continue;
    const fields = [...old.fields].filter(([, v]) => v !== null).map(([field, from]) => ({ field, from, to: null }));
    changes.push({ subject: { type: old.type, id: old.id, title: old.title }, change: 'archived', fields });
  }
  // The cluster first, then goals, activities, fruits and risks (a stable sort keeps each kind's order).
  return changes.sort((a, b) => CHANGED_SUBJECT_TYPES.indexOf(a.subject.type) - CHANGED_SUBJECT_TYPES.indexOf(b.subject.type));
}
