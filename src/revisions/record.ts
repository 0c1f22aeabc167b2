import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/role.js';
import { namedQuery } from '../common/sql.js';
import type { RevisionKind, RevisionSubject } from './revision.entity.js';
import { SUBJECTS } from './subjects.js';

/** Who wrote a revision: the calling key's name and id. */
export type RevisionAuthor = Pick<Caller, 'name' | 'keyId'>;

/** What a write says about the revision it makes (the row is the one it wrote). */
export interface RevisionOf {
  subject: RevisionSubject;
  caller: RevisionAuthor;
  kind: RevisionKind;
}

/**
 * Appends a revision of `stateAfterWrite` (a row just inserted or updated in
 * the transaction of `manager`): the row as stored now, read back in the same
 * statement so that the revision holds exactly what was written, to the
 * microsecond and the last decimal. The author is always the calling key.
 * `recordedAt` is kept to the millisecond, as the API writes it, so that
 * `asOf=<a revision's recordedAt>` includes that revision.
 */
export async function recordRevision(
  manager: EntityManager,
  subject: RevisionSubject,
  stateAfterWrite: { id: string },
  caller: RevisionAuthor,
  kind: RevisionKind,
): Promise<void> {
  const s = SUBJECTS[subject];
  const rows = await namedQuery<{ position: string }>(
    manager,
    `INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, author_key_id, recorded_at)
     SELECT pg_current_xact_id()::text::bigint, :subject, t.id, ${s.cluster}, ${s.version}, :kind, to_jsonb(t), :author, :authorKeyId,
            date_trunc('milliseconds', clock_timestamp())
     FROM "${s.table}" t WHERE t.id = :id
     RETURNING position`,
    { subject, kind, author: caller.name, authorKeyId: caller.keyId, id: stateAfterWrite.id },
  );
  if (rows.length !== 1) throw new Error(`No ${subject} ${stateAfterWrite.id} to record a revision of`);
}
