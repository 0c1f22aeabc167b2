import type { DataSource } from 'typeorm';

/**
 * Writes plan items and their history straight into the tables with chosen
 * timestamps, so that a report's start, end and changes are known by hand.
 * The item rows carry the status and state of their newest entry, as the API
 * keeps them; each gets a revision as it is, from its first entry (and, if
 * archived, an `archived` one), so that it exists from then on.
 */
export class HistoryBuilder {
  constructor(
    private readonly dataSource: DataSource,
    readonly clusterId: string,
  ) {}

  private async entries(kind: string, id: string, entries: Entry[]): Promise<void> {
    for (const e of entries) {
      await this.dataSource.query(
        `INSERT INTO status_update (subject_type, subject_id, cluster_id, status, state, comment, author, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [kind, id, this.clusterId, e.status, e.state ?? null, e.comment ?? null, e.author ?? 'Test author', e.at],
      );
    }
  }

  /**
   * A revision of a row as it is now, recorded at `at`: a resource made through the API
   * today (a cluster, a funding) then counts as existing since `at`.
   */
  async backdate(subject: string, id: string, at: string, state: 'as-is' | 'unarchived' = 'as-is'): Promise<void> {
    const table = subject;
    const stateSql = state === 'as-is' ? 'to_jsonb(t)' : `to_jsonb(t) || '{"archived_at": null}'`;
    const cluster = subject === 'funder' ? 'NULL::uuid' : subject === 'cluster' ? 't.id' : 't.cluster_id';
    await this.dataSource.query(
      `INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, recorded_at)
       SELECT pg_current_xact_id()::text::bigint, $1, t.id, ${cluster}, t.version, 'created', ${stateSql}, 'Test author', $3
       FROM "${table}" t WHERE t.id = $2`,
      [subject, id, at],
    );
  }

  private async revisions(subject: string, id: string, entries: Entry[], archivedAt: unknown): Promise<void> {
    await this.backdate(subject, id, entries[0].at, archivedAt ? 'unarchived' : 'as-is');
    if (archivedAt) {
      await this.dataSource.query(
        `INSERT INTO revision (xid, subject_type, subject_id, cluster_id, version, kind, state, author, recorded_at)
         SELECT pg_current_xact_id()::text::bigint, $1, t.id, t.cluster_id, t.version, 'archived', to_jsonb(t), 'Test author', $3
         FROM "${subject}" t WHERE t.id = $2`,
        [subject, id, archivedAt],
      );
    }
  }

  async goal(fields: Record<string, unknown>, entries: Entry[]): Promise<string> {
    const last = entries.at(-1)!;
    const [row] = await this.dataSource.query(
      `INSERT INTO goal (cluster_id, title, horizon, perspective, contributes_to_goal_id, indicator_unit, indicator_baseline, indicator_target, status, archived_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        this.clusterId,
        fields.title,
        fields.horizon ?? 'short_term',
        fields.perspective ?? null,
        fields.contributesToGoalId ?? null,
        fields.unit ?? null,
        fields.baseline ?? null,
        fields.target ?? null,
        last.status,
        fields.archivedAt ?? null,
      ],
    );
    await this.entries('goal', row.id, entries);
    await this.revisions('goal', row.id, entries, fields.archivedAt);
    return row.id;
  }

  async item(table: 'activity' | 'low_hanging_fruit', fields: Record<string, unknown>, entries: Entry[]): Promise<string> {
    const last = entries.at(-1)!;
    const [row] =
      table === 'activity'
        ? await this.dataSource.query(
            `INSERT INTO activity (cluster_id, title, due_date, state, status, archived_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
            [this.clusterId, fields.title, fields.dueDate ?? null, last.state, last.status, fields.archivedAt ?? null],
          )
        : await this.dataSource.query(
            `INSERT INTO low_hanging_fruit (cluster_id, what, when_date, state, status, archived_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
            [this.clusterId, fields.what, fields.when, last.state, last.status, fields.archivedAt ?? null],
          );
    await this.entries(table, row.id, entries);
    await this.revisions(table, row.id, entries, fields.archivedAt);
    return row.id;
  }

  async risk(fields: { title: string; likelihood: number; impact: number; archivedAt?: string }, entries: Entry[]): Promise<string> {
    const last = entries.at(-1)!;
    const [row] = await this.dataSource.query(
      `INSERT INTO risk (cluster_id, title, likelihood, impact, state, status, archived_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [this.clusterId, fields.title, fields.likelihood, fields.impact, last.state, last.status, fields.archivedAt ?? null],
    );
    await this.entries('risk', row.id, entries);
    await this.revisions('risk', row.id, entries, fields.archivedAt);
    return row.id;
  }

  /** An actor and its history: each step its kind, core and engagement from `at` on (`archived` from then on). */
  async actor(name: string, steps: { at: string; kind: string; core: string; engagement: string; archived?: boolean }[]): Promise<string> {
    const last = steps.at(-1)!;
    const [row] = await this.dataSource.query(
      `INSERT INTO actor (cluster_id, name, kind, core, engagement, archived_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [this.clusterId, name, last.kind, last.core, last.engagement, last.archived ? last.at : null],
    );
    for (const s of steps) {
      await this.dataSource.query(
        `INSERT INTO actor_engagement (actor_id, cluster_id, kind, core, engagement, archived, author, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'Test author', $7)`,
        [row.id, this.clusterId, s.kind, s.core, s.engagement, s.archived ?? false, s.at],
      );
    }
    await this.revisions('actor', row.id, [{ at: steps[0].at, status: 'green' }], last.archived ? last.at : null);
    return row.id;
  }

  async measurement(goalId: string, value: number, measuredOn: string, recordedAt: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO measurement (goal_id, value, measured_on, author, created_at) VALUES ($1, $2, $3, 'Test author', $4)`,
      [goalId, value, measuredOn, recordedAt],
    );
  }
}

export interface Entry {
  at: string;
  status: 'green' | 'yellow' | 'red';
  state?: 'planned' | 'ongoing' | 'done' | 'cancelled' | 'open' | 'mitigated' | 'occurred' | 'closed';
  comment?: string;
  author?: string;
}
