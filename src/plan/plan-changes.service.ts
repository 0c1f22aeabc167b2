import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import { Environment } from '../config/environment.js';
import { PLAN_ITEM_KINDS } from '../plan-item-kinds.js';
import { parseAsOf } from '../revisions/as-of.js';
import { RevisionsService } from '../revisions/revisions.service.js';
import { fieldsOf, parseState, SUBJECTS } from '../revisions/subjects.js';
import type { ChangedSubjectType, ItemChange, PlanChangesResponse } from './plan-changes.dto.js';
import { PlanChangesRepository } from './plan-changes.repository.js';
import { compareItem, type Side } from './plan-changes.js';

/** The column that titles an item of each kind: a kind of plan item's is its search column. */
const TITLE_COLUMN = {
  cluster: 'name',
  ...Object.fromEntries(PLAN_ITEM_KINDS.map((kind) => [kind.subjectType, kind.columns.search])),
  actor: 'name',
} as Record<ChangedSubjectType, string>;

function side(type: ChangedSubjectType, stateText: string | null): Side | undefined {
  if (stateText === null) return undefined;
  const state = parseState(stateText);
  return { fields: fieldsOf(SUBJECTS[type], state), inPlan: state.archived_at === null || state.archived_at === undefined };
}

@Injectable()
export class PlanChangesService {
  constructor(
    private readonly repository: PlanChangesRepository,
    private readonly revisions: RevisionsService,
    private readonly env: Environment,
  ) {}

  /**
   * Every item of the plan of a cluster the caller may read (404 otherwise)
   * whose state at `to` differs from its state at `from`, field by field, with
   * the revisions in between: two statements (the access check and the
   * comparison), whatever the length of the history.
   */
  async changes(caller: Caller, clusterId: string, query: { from: string; to: string }): Promise<PlanChangesResponse> {
    const now = new Date();
    const from = parseAsOf(query.from, this.env.REPORT_TIME_ZONE, now, 'from')!;
    const to = parseAsOf(query.to, this.env.REPORT_TIME_ZONE, now, 'to')!;
    if (from.getTime() >= to.getTime()) throw DomainError.invalid('from', 'from must be before to');
    await this.revisions.assertVisible('cluster', caller, clusterId);
    const rows = await this.repository.changed(clusterId, from, to);
    const items: ItemChange[] = [];
    for (const row of rows) {
      const compared = compareItem(side(row.subject_type, row.state_from), side(row.subject_type, row.state_to));
      if (!compared) continue;
      const title = parseState(row.state_to)[TITLE_COLUMN[row.subject_type]] as string;
      items.push({ subject: { type: row.subject_type, id: row.subject_id, title }, ...compared, revisions: row.revisions });
    }
    return { from: from.toISOString(), to: to.toISOString(), items };
  }
}
